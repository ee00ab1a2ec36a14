import Foundation

/// Area context (deprivation, ethnicity, housing, rurality, child
/// population) for each current authority, from `context/la_context.csv`,
/// joined by `new_la_code`.
///
/// The table keeps the CSV's cells so formulas can use any column with
/// transforms (`log(pop_0_17_mid2024)`, `I(imd19_avg_score^2)`), and
/// offers typed access to numeric columns.
public struct ContextTable: Sendable {
  public let table: CSVTable
  /// Row index by `new_la_code`.
  public let rowByCode: [String: Int]

  public init(table: CSVTable) throws(CSVError) {
    self.table = table
    let codes = try table.text("new_la_code")
    var index: [String: Int] = [:]
    for (i, c) in codes.enumerated() where index[c] == nil { index[c] = i }
    self.rowByCode = index
  }

  public static func load(from url: URL) throws(CSVError) -> ContextTable {
    try ContextTable(table: CSVReader.read(contentsOf: url, source: url.lastPathComponent))
  }

  public var codes: [String] { (try? table.text("new_la_code")) ?? [] }

  /// The numeric columns (every non-missing cell a number).
  public var numericColumns: [String] {
    table.columnNames.filter { name in
      guard let vals = try? table.values(name) else { return false }
      return vals.contains { $0.number != nil }
    }
  }

  /// A numeric column by authority code; missing cells are `nil`.
  public func numeric(_ column: String) throws(CSVError) -> [String: Double] {
    let vals = try table.values(column)
    var out: [String: Double] = [:]
    for (code, i) in rowByCode { if let v = vals[i].number { out[code] = v } }
    return out
  }

  public func text(_ column: String, code: String) -> String? {
    guard let i = rowByCode[code], let col = try? table.text(column) else { return nil }
    return col[i]
  }
}

extension DataMirror {
  /// `context/la_context.csv`.
  public func context() throws -> ContextTable {
    try ContextTable.load(from: url("context/la_context.csv"))
  }
}
