import Foundation
import Testing
import PeerLensAnalysis
import PeerLensData
import _PeerLensTestSupport

/// Disproportionality of children looked after by ethnic group, on a
/// constructed case worked by hand and on the real data.
@Suite struct CareEthnicityDisproportionalityTests {
  /// The ethnicity breakdown as configured in Models/breakdowns.toml.
  static func ethnicitySpec() throws -> BreakdownSpec {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Models/breakdowns.toml")
    return try #require(try BreakdownSpec.loadAll(from: url).first { $0.filters["cla_group"] == "Ethnicity" })
  }

  /// Authority X: 40 children in care, 2 of unrecorded ethnicity, so 38 known;
  /// Black 6, Mixed suppressed. Population: Black 500 of 10,000 (5%).
  /// England's CLA: Black 8,000 of 80,000 known (10%).
  /// Share 6/38 = 0.157895; versus population 3.1579, versus England 1.5789.
  /// Wilson for 6 of 38 (z² = 3.84146): root = z·√(3.84146 + 24·(1 − 6/38)) = z·√24.05198 = 9.61228;
  /// denominator 2·41.84146 = 83.68292; limits (12 + 3.84146 ∓ 9.61228)/83.68292 = 0.074438, 0.304171;
  /// over 0.05: 1.4888, 6.0834.
  @Test func constructedCaseWorkedByHand() throws {
    let period = try #require(TimePeriod(code: "2025", identifier: "Reporting year"))
    let table = BreakdownTable(spec: try Self.ethnicitySpec(), period: period, byArea: [
      "X": ["Total": .number(40), "Refused or information not yet available": .number(2),
            "Black, African, Caribbean or Black British": .number(6), "Mixed or Multiple ethnic groups": .missing(.suppressed),
            "White": .number(29), "Asian or Asian British": .number(3), "Other ethnic group": .number(0)],
      "england": ["Total": .number(81_000), "Refused or information not yet available": .number(1_000),
                  "Black, African, Caribbean or Black British": .number(8_000), "White": .number(60_000),
                  "Mixed or Multiple ethnic groups": .number(8_000), "Asian or Asian British": .number(3_000),
                  "Other ethnic group": .number(1_000)],
    ], categories: [])
    let population = CareEthnicityDisproportionality.Population(
      counts: ["X": ["Black": 500, "White": 8_500, "Asian": 600, "Mixed": 300, "Other": 100]], source: .censusAllAges)
    let result = try #require(CareEthnicityDisproportionality.compute(cla: table, population: population, code: "X"))
    let black = try #require(result.rows.first { $0.group == "Black" })
    #expect(abs(black.versusPopulation.ratio! - 3.157895) < 1e-5)
    #expect(abs(black.versusEnglandCare.ratio! - 1.578947) < 1e-5)
    #expect(abs(black.versusPopulation.lower! - 1.4888) < 1e-3)
    #expect(abs(black.versusPopulation.upper! - 6.0834) < 1e-3)
    let mixed = try #require(result.rows.first { $0.group == "Mixed" })
    #expect(mixed.count == nil && mixed.status == .missing(.suppressed))
    #expect(mixed.versusPopulation.ratio == nil && mixed.versusEnglandCare.ratio == nil)
    #expect(result.note.contains("overstates disproportionality"))
    #expect(!result.note.lowercased().contains("worse than"))
  }

  @Test func censusGroupsMapToTheFiveMajorGroups() {
    #expect(CareEthnicityDisproportionality.label(forCensusCategory: "Asian, Asian British or Asian Welsh: Chinese") == "Asian")
    #expect(CareEthnicityDisproportionality.label(forCensusCategory: "White: Roma") == "White")
    #expect(CareEthnicityDisproportionality.label(forCensusCategory: "Other ethnic group: Arab") == "Other")
    #expect(CareEthnicityDisproportionality.label(forCensusCategory: "Does not apply") == nil)
  }

  /// On the real data every current authority has a census population and
  /// a comparison; England's CLA against itself would give ratios of 1.
  @Test func everyAuthorityHasAComparisonOnTheRealData() throws {
    let mirror = DataMirror(root: TestData.data)
    let registry = try mirror.registry()
    let spec = try Self.ethnicitySpec()
    let table = try #require(try BreakdownTable(spec, mirror: mirror, registry: registry))
    #expect(table.period.code == "2025")
    let population = try CareEthnicityDisproportionality.loadPopulation(mirror: mirror, registry: registry)
    #expect(population.source == .censusAllAges)
    var withRatio = 0
    for code in table.byArea.keys where code != "england" {
      let r = try #require(CareEthnicityDisproportionality.compute(cla: table, population: population, code: code))
      if r.rows.contains(where: { $0.versusPopulation.ratio != nil }) { withRatio += 1 }
    }
    #expect(withRatio >= 145)
  }
}
