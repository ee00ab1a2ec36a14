import Testing
@testable import PeerLensData

/// An unknown column is answered with the nearest name and the whole list
/// of columns, whole names only (the list was cut after eleven names,
/// inside a name, hiding the one the reader wanted).
@Suite struct FormulaColumnHintTests {
  static let columns = (1...80).map { "context_variable_number_\($0)" } + ["imd19_avg_score", "pct_asian"]

  @Test func nearestNameAndEveryColumn() {
    let text = FormulaError.unknownVariable(name: "imd19_avg_scor", position: 1, formula: "imd19_avg_scor,pct_asian",
                                            available: Self.columns).localizedDescription
    #expect(text.contains("no column named 'imd19_avg_scor' in the data. Did you mean imd19_avg_score?"))
    #expect(text.contains("pct_asian.") && text.contains("context_variable_number_80,"))
    #expect(!text.contains("…"))
    let weights = FormulaError.unknownWeights(name: "pct_asain", available: Self.columns).localizedDescription
    #expect(weights.contains("Did you mean pct_asian?") && weights.contains("imd19_avg_score"))
  }

  @Test func aVeryLongListCountsWhatItLeavesOut() {
    let many = (1...400).map { "a_rather_long_column_name_\($0)" }
    let list = columnList(many)
    #expect(list.count < 4100)
    let shown = list.components(separatedBy: " and ").first?.split(separator: ",").count ?? 0
    #expect(list.hasSuffix(" and \(400 - shown) more"))
    #expect(list.hasPrefix("a_rather_long_column_name_1, a_rather_long_column_name_2,"))
  }
}
