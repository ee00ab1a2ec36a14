import Foundation
import Testing
@testable import PeerLensAnalysis
import PeerLensData

/// A count DfE suppressed never comes back by subtraction.
@Suite struct SecondarySuppressionTests {
  let spec = BreakdownSpec(
    title: "Children by age", file: "fixture.csv", filters: [:], category_column: "age", count_column: "n",
    total: "Total", population: nil)

  func table(_ cells: [String: CellValue]) -> BreakdownTable {
    BreakdownTable(spec: spec, period: TimePeriod(code: "2025")!, byArea: ["E1": cells, "england": cells],
                   categories: ["Under 1", "1 to 4", "5 to 9", "10 to 15"])
  }

  /// One suppressed age band: the total (recoverable from any count and its
  /// share) minus the other three would give it, so the smallest other
  /// band is withheld too, and nothing shown adds up to the hidden count.
  @Test func oneSuppressedCategoryWithholdsTheSmallestOther() throws {
    let cells: [String: CellValue] = ["Total": .number(100), "Under 1": .missing(.suppressed), "1 to 4": .number(7),
                                      "5 to 9": .number(40), "10 to 15": .number(50)]
    let result = try #require(BreakdownResult.compute(table(cells), code: "E1", neighbours: []))
    let byCat = Dictionary(uniqueKeysWithValues: result.rows.map { ($0.category, $0) })
    #expect(byCat["Under 1"]?.count == nil && byCat["Under 1"]?.share == nil)
    #expect(byCat["1 to 4"]?.count == nil && byCat["1 to 4"]?.share == nil && byCat["1 to 4"]?.lower == nil)
    #expect(byCat["1 to 4"]?.status == .missing(.suppressed))
    #expect(byCat["5 to 9"]?.count == 40 && byCat["10 to 15"]?.count == 50)
    #expect(result.note.contains("1 to 4") && result.note.contains("subtracting"))
    // The total is recoverable from a shown count and its share; what is left
    // is the sum of two hidden counts (3 + 7), never the suppressed one alone.
    let shown = result.rows.compactMap(\.count).reduce(0, +)
    let total = try #require(byCat["5 to 9"].flatMap { r in r.share.map { 40 / ($0 / 100) } })
    #expect(abs(total - shown - 10) < 1e-9)
  }

  /// Nothing is withheld when subtraction cannot single out a count: none
  /// suppressed, two suppressed, or no total.
  @Test func nothingExtraIsWithheldWhenNoCountCanBeRecovered() throws {
    let none: [String: CellValue] = ["Total": .number(100), "Under 1": .number(3), "1 to 4": .number(7),
                                     "5 to 9": .number(40), "10 to 15": .number(50)]
    let two: [String: CellValue] = ["Total": .number(100), "Under 1": .missing(.suppressed), "1 to 4": .missing(.suppressed),
                                    "5 to 9": .number(40), "10 to 15": .number(50)]
    let noTotal: [String: CellValue] = ["Total": .missing(.suppressed), "Under 1": .missing(.suppressed),
                                        "1 to 4": .number(7), "5 to 9": .number(40), "10 to 15": .number(50)]
    for cells in [none, two, noTotal] {
      let result = try #require(BreakdownResult.compute(table(cells), code: "E1", neighbours: []))
      let shownHere = result.rows.filter { $0.count != nil }.count
      let shownInData = ["Under 1", "1 to 4", "5 to 9", "10 to 15"].filter { cells[$0]?.number != nil }.count
      #expect(shownHere == shownInData)
      #expect(!result.note.contains("subtracting"))
    }
  }
}
