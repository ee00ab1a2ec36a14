import Foundation
import Testing
@testable import PeerLensReports

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
