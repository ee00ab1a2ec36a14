import Foundation
import Testing
@testable import PeerLensReports
import _PeerLensTestSupport

/// The ethnicity comparison in an authority pack (issue 23): present, in
/// neutral words, with the caveat on the all-ages census, never coloured.
@Suite struct CareEthnicityPackTests {
  @Test func birminghamPackHasTheComparisonInNeutralWords() throws {
    let run = try Fixtures.real.get()
    let pack = try PackBuilder(run: run, software: "PeerLens test").authorityPack(code: "E08000025")
    let section = try #require(pack.careEthnicity)
    #expect(section.rows.map(\.group) == ["Asian", "Black", "Mixed", "White", "Other"])
    #expect(section.rows.contains { $0.versusPopulation != nil && $0.versusEnglandCare != nil })
    for row in section.rows where row.status != "ok" { #expect(row.versusPopulation == nil) }
    #expect(section.note.contains("overstates disproportionality for groups with young age profiles"))
    let html = try HTMLRendererProbe.render(run: run, code: "E08000025")
    let start = try #require(html.range(of: "id=\"care-ethnicity\""))
    let end = try #require(html.range(of: "</table>", range: start.upperBound..<html.endIndex))
    let text = String(html[start.upperBound..<end.lowerBound])
    #expect(text.contains("Ratio to the population"))
    for judged in ["better", "worse", "flag", "class=\"above", "class=\"below", "color"] {
      #expect(!text.lowercased().contains(judged), "judging word or colour: \(judged)")
    }
  }
}

/// The Ofsted leadership section of an authority pack (issue 23).
@Suite struct LeadershipPackTests {
  @Test func packShowsJudgementDateAndCountsThatAddUp() throws {
    let run = try Fixtures.real.get()
    let pack = try PackBuilder(run: run, software: "PeerLens test").authorityPack(code: "E09000007")  // Camden
    let l = try #require(pack.leadership)
    // Camden: Outstanding, inspected 2025-03-03 (the file's row).
    #expect(l.judgement == "Outstanding" && l.date == "2025-03-03")
    #expect(l.counts.map(\.neighbours).reduce(0, +) == 10)
    #expect(l.counts.map(\.england).reduce(0, +) == 153)
    let regionSize = run.registry.authorities.filter { $0.isCurrent && $0.regionCode == "E13000001" }.count
    #expect(l.counts.map(\.region).reduce(0, +) == regionSize)
    let html = try HTMLRendererProbe.render(run: run, code: "E09000007")
    #expect(html.contains("id=\"ofsted-leadership\"") && html.contains("<b>Outstanding</b> (inspection 2025-03-03)"))
  }
}

/// England-only adoption timeliness on the England pack (issue 23).
@Suite struct AdoptionEnglandPackTests {
  @Test func englandPackShowsTheSeriesAndAuthorityPacksSayNoFigure() throws {
    let run = try Fixtures.real.get()
    let (writer, out) = try Fixtures.htmlWriter(run)
    defer { try? FileManager.default.removeItem(at: out) }
    _ = try writer.write(authorities: [], regions: [], everything: true)
    let html = try String(contentsOf: out.appendingPathComponent("england.html"), encoding: .utf8)
    let start = try #require(html.range(of: "id=\"adoption-timeliness\""))
    let text = String(html[start.upperBound...].prefix(2000))
    // The file publishes 10 months (00:10) for all ages in 2025.
    #expect(text.contains("<td>2025</td><td class=\"num\">10</td>"))
    #expect(text.contains("England only"))
    #expect(HTMLCheck.problems(html).isEmpty, "\(HTMLCheck.problems(html).prefix(3))")
    let authority = try HTMLRendererProbe.render(run: run, code: "E08000025")
    #expect(authority.contains("no figure for this authority is published"))
  }
}

/// Social workers by ethnic group in the authority pack (issue 23).
@Suite struct WorkforceEthnicityPackTests {
  @Test func packShowsRolesAndNeutralWords() throws {
    let run = try Fixtures.real.get()
    let pack = try PackBuilder(run: run, software: "PeerLens test").authorityPack(code: "E08000025")
    let w = try #require(pack.workforceEthnicity)
    #expect(w.rows.first?.role == "Total" && Set(w.rows.map(\.role)).count >= 5)
    let html = try HTMLRendererProbe.render(run: run, code: "E08000025")
    let start = try #require(html.range(of: "id=\"workforce-ethnicity\""))
    let end = try #require(html.range(of: "</table>", range: start.upperBound..<html.endIndex))
    let text = String(html[start.upperBound..<end.lowerBound]).lowercased()
    #expect(text.contains("senior manager"))
    for judged in ["better", "worse", "class=\"above", "class=\"below", "color"] { #expect(!text.contains(judged)) }
  }
}
