import Foundation
import Testing
import PeerLensAnalysis
import PeerLensData
import PeerLensReports
import _PeerLensTestSupport

/// Region and England overviews set each authority's values beside the
/// value expected given its context, whether it stands out, and its main
/// context facts (issue 22.9), checked against the model's own output.
@Suite(.serialized) struct OverviewContextTests {
  @Test func regionPackShowsExpectationsStandOutsAndContextPerAuthority() throws {
    let run = try Fixtures.real.get()
    let (writer, out) = try Fixtures.htmlWriter(run)
    defer { try? FileManager.default.removeItem(at: out) }
    _ = try writer.write(authorities: [], regions: ["E12000001"], everything: true)
    let html = try String(contentsOf: out.appendingPathComponent("regions/north-east.html"), encoding: .utf8)
    #expect(HTMLCheck.problems(html).isEmpty, "\(HTMLCheck.problems(html).prefix(3))")
    let members = run.authorities.filter { $0.regionCode == "E12000001" }

    // An authority and indicator where the model puts the value outside
    // the 99.8% prediction limit, found from the model output.
    var found: (Authority, IndicatorBench, AuthorityExpectation)? = nil
    for bench in run.indicators where bench.model?.showsExpectation == true {
      for a in members {
        if let m = bench.model?.authorities.first(where: { $0.code == a.code }), m.expected != nil,
           m.position == "above_99.8" || m.position == "below_99.8",
           let p = bench.latest, bench.value(a.code, p)?.status == .ok {
          found = (a, bench, m)
          break
        }
      }
      if found != nil { break }
    }
    let (authority, bench, m) = try #require(found, "no member outside a 99.8% prediction limit")
    let decimals = bench.indicator.decimals
    let expected = NumberFormat.plain(try #require(m.expected), decimals: decimals)
    // The side-by-side cell carries the expectation and the marker.
    #expect(html.contains("<small class=\"expected\">exp. \(expected)</small>"))
    #expect(html.contains(m.position == "above_99.8" ? " ▲<br>" : " ▼<br>"))

    // The authority's row in "Authorities in context".
    let table = try #require(html.components(separatedBy: "id=\"in-context\"").dropFirst().first?
      .components(separatedBy: "</table>").first)
    let row = try #require(table.components(separatedBy: "<tr>").first { $0.contains(">\(authority.name)</") })
    let words = (m.position == "above_99.8" ? "higher" : "lower") + " than expected given context"
    #expect(row.contains("expected \(expected) given context; \(words)"), "\(row)")
    let idaci = try #require(try run.context.numeric("idaci19_avg_score")[authority.code])
    let children = try #require(try run.context.numeric("pop_0_17_mid2024")[authority.code])
    #expect(row.contains(NumberFormat.plain(idaci, decimals: 3)))
    #expect(row.contains(NumberFormat.plain(children, decimals: 0)))
    // Every member has a row; neutral words only.
    for a in members { #expect(table.contains(">\(a.name)<"), "\(a.name) has no row") }
    for word in ["better", "worse", "good", "poor"] {
      #expect(!table.lowercased().contains(" \(word) than"), "\(word)")
    }

    // The England overview has a row for every authority.
    let england = try String(contentsOf: out.appendingPathComponent("england.html"), encoding: .utf8)
    let englandTable = try #require(england.components(separatedBy: "id=\"in-context\"").dropFirst().first?
      .components(separatedBy: "</table>").first)
    #expect(englandTable.components(separatedBy: "<tr>").count - 2 == run.authorities.count)
    #expect(englandTable.contains("expected \(expected) given context; \(words)"))
  }
}
