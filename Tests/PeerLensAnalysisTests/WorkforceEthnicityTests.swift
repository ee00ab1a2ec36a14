import Foundation
import Testing
import PeerLensAnalysis
import PeerLensData
import _PeerLensTestSupport

/// Social workers by ethnic group against the population (issue 23).
@Suite struct WorkforceEthnicityTests {
  /// 10 of 50 known social workers are Black; the population is 5% Black:
  /// share 20%, ratio 4. Wilson for 10 of 50 (z² = 3.84146):
  /// root = z·√(3.84146 + 40·0.8) = z·√35.84146 = 11.73386; denominator 107.68292;
  /// limits (23.84146 ∓ 11.73386)/107.68292 = 0.112438, 0.330371; over 0.05: 2.2488, 6.6074.
  @Test func constructedCase() throws {
    let period = try #require(TimePeriod(code: "2025", identifier: "Reporting year"))
    let table = WorkforceEthnicity.Table(period: period, counts: ["X": ["Total": [
      "Known": .number(50), "Black / African / Caribbean / Black British": .number(10), "White": .number(35),
      "Asian / Asian British": .number(5), "Mixed / Multiple ethnic groups": .missing(.suppressed),
      "Other ethnic group": .number(0)]]])
    let population = CareEthnicityDisproportionality.Population(
      counts: ["X": ["Black": 50, "White": 900, "Asian": 30, "Mixed": 15, "Other": 5]], source: .censusAllAges)
    let r = try #require(WorkforceEthnicity.compute(table: table, population: population, code: "X"))
    let black = try #require(r.rows.first { $0.role == "Total" && $0.group == "Black" })
    #expect(black.share == 20 && black.populationShare == 5)
    #expect(abs(black.ratio.ratio! - 4) < 1e-12)
    #expect(abs(black.ratio.lower! - 2.2488) < 1e-3 && abs(black.ratio.upper! - 6.6074) < 1e-3)
    let mixed = try #require(r.rows.first { $0.group == "Mixed" })
    #expect(mixed.ratio.status == .suppressed && mixed.share == nil)
  }

  /// On the real data, an authority's five groups' shares add up to 100%
  /// of known ethnicity when none is suppressed, for every role shown.
  @Test func realDataSharesAddUp() throws {
    let mirror = DataMirror(root: TestData.data)
    let registry = try mirror.registry()
    let table = try #require(try WorkforceEthnicity.loadTable(mirror: mirror, registry: registry))
    #expect(table.period.code == "2025")
    let population = try CareEthnicityDisproportionality.loadPopulation(mirror: mirror, registry: registry)
    let r = try #require(WorkforceEthnicity.compute(table: table, population: population, code: "E08000025"))  // Birmingham
    #expect(Set(r.rows.map(\.role)).count >= 5)
    for role in Set(r.rows.map(\.role)) {
      let shares = r.rows.filter { $0.role == role }.map(\.share)
      guard shares.allSatisfy({ $0 != nil }) else { continue }
      #expect(abs(shares.compactMap { $0 }.reduce(0, +) - 100) < 1e-9, "\(role)")
    }
    let pop = r.rows.filter { $0.role == "Total" }.compactMap(\.populationShare).reduce(0, +)
    #expect(abs(pop - 100) < 1e-9)
  }

  /// Issue 22.3: a joint return is each partner's figure, compared with
  /// the two authorities' population together; an authority's own row wins.
  @Test func aJointReturnIsEachPartnersFigureAgainstTheirPopulationTogether() throws {
    let period = try #require(TimePeriod(code: "2025", identifier: "Reporting year"))
    let cells: [String: CellValue] = ["Known": .number(40), "Black / African / Caribbean / Black British": .number(4),
                                      "White": .number(36)]
    let table = WorkforceEthnicity.Table(period: period, counts: ["A / B": ["Total": cells],
                                                                   "C": ["Total": cells]])
    let population = CareEthnicityDisproportionality.Population(
      counts: ["A": ["Black": 10, "White": 90], "B": ["Black": 30, "White": 70], "C": ["Black": 1, "White": 99]],
      source: .censusAllAges)
    for (code, partner) in [("A", "B"), ("B", "A")] {
      let r = try #require(WorkforceEthnicity.compute(table: table, population: population, code: code))
      #expect(r.jointWith == [partner])
      let black = try #require(r.rows.first { $0.role == "Total" && $0.group == "Black" })
      #expect(black.share == 10)                 // 4 of 40
      #expect(black.populationShare == 20)       // (10 + 30) of 200, not 10% or 30%
    }
    let own = try #require(WorkforceEthnicity.compute(table: table, population: population, code: "C"))
    #expect(own.jointWith.isEmpty)
    #expect(WorkforceEthnicity.compute(table: table, population: population, code: "D") == nil)
  }

  /// A role in which no social worker's ethnicity is known (0 of 0) has
  /// no share: its rows say why (`zero_denominator`), as an indicator
  /// with a zero denominator does, and are never `ok` without a value. A
  /// missing count or known total gives its own reason.
  @Test func zeroOfZeroIsNotOk() throws {
    let period = try #require(TimePeriod(code: "2025", identifier: "Reporting year"))
    let none: [String: CellValue] = Dictionary(uniqueKeysWithValues: WorkforceEthnicity.groups.map { ($0.csww, .number(0)) })
    let table = WorkforceEthnicity.Table(period: period, counts: ["X": [
      "Total": ["Known": .number(40), "White": .number(36), "Black / African / Caribbean / Black British": .number(4),
                "Asian / Asian British": .missing(.suppressed)],
      "Senior manager": none.merging(["Known": .number(0)]) { $1 },
      "Middle manager": none.merging(["Known": .missing(.notAvailable)]) { $1 },
    ]])
    let population = CareEthnicityDisproportionality.Population(counts: ["X": ["Black": 10, "White": 90]],
                                                                source: .censusAllAges)
    let r = try #require(WorkforceEthnicity.compute(table: table, population: population, code: "X"))
    for row in r.rows {
      #expect((row.status == .ok) == (row.share != nil), "\(row.role) \(row.group): \(row.status.code)")
    }
    let senior = r.rows.filter { $0.role == "Senior manager" }
    #expect(senior.count == 5 && senior.allSatisfy { $0.status == .zeroDenominator && $0.share == nil })
    #expect(r.rows.filter { $0.role == "Middle manager" }.allSatisfy { $0.status == .missing(.notAvailable) })
    let total = r.rows.filter { $0.role == "Total" }
    #expect(total.first { $0.group == "White" }?.status == .ok)
    #expect(total.first { $0.group == "Asian" }?.status == .missing(.suppressed))
    #expect(total.first { $0.group == "Mixed" }?.status == .missing(.suppressed))  // no cell at all
  }

  /// The real file has roles with no known ethnicity (the City of London's
  /// first line managers, 2025): zero_denominator, not ok.
  @Test func realZeroOfZeroRowsAreNotOk() throws {
    let mirror = DataMirror(root: TestData.data)
    let registry = try mirror.registry()
    let table = try #require(try WorkforceEthnicity.loadTable(mirror: mirror, registry: registry))
    let population = try CareEthnicityDisproportionality.loadPopulation(mirror: mirror, registry: registry)
    let r = try #require(WorkforceEthnicity.compute(table: table, population: population, code: "E09000001"))
    let rows = r.rows.filter { $0.role == "First line manager" }
    #expect(!rows.isEmpty && rows.allSatisfy { $0.status == .zeroDenominator && $0.share == nil })
  }
}
