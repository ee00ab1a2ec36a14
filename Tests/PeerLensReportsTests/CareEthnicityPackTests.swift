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
