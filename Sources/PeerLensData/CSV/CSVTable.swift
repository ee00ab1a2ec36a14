import Foundation

/// The parsed text of a CSV file: named columns of raw cells.
///
/// Nothing is converted yet: conversion to numbers, categories or values
/// with a missing reason happens on request, where the caller knows what
/// a column should hold and can be told precisely when it does not.
public struct CSVTable: Sendable {
  /// The file name used in error messages.
  public let source: String
  public let columnNames: [String]
  /// Cells by column, then row.
  public let cells: [[String]]
  /// Whether each cell was quoted, by column, then row.
  public let quoted: [[Bool]]
  /// The physical line each row starts on.
  public let lineNumbers: [Int]

  public var rowCount: Int { lineNumbers.count }

  /// A table built in memory (joined data, fixtures).
  public init(source: String, columnNames: [String], cells: [[String]], quoted: [[Bool]], lineNumbers: [Int]) {
    self.source = source
    self.columnNames = columnNames
    self.cells = cells
    self.quoted = quoted
    self.lineNumbers = lineNumbers
  }

  /// The index of a column, or an error listing the columns that exist.
  public func columnIndex(_ name: String) throws(CSVError) -> Int {
    if let j = columnNames.firstIndex(of: name) { return j }
    // Tolerate case differences only when unambiguous.
    let folded = columnNames.indices.filter { columnNames[$0].lowercased() == name.lowercased() }
    if folded.count == 1 { return folded[0] }
    throw .missingColumn(file: source, name: name, available: columnNames)
  }

  public func hasColumn(_ name: String) -> Bool { columnNames.contains(name) }

  /// The raw text of a column.
  public func text(_ name: String) throws(CSVError) -> [String] { cells[try columnIndex(name)] }

  /// A column parsed as values that are either numbers or a typed reason
  /// for their absence. Anything else is an error naming the line.
  public func values(_ name: String) throws(CSVError) -> [CellValue] {
    let j = try columnIndex(name)
    var out: [CellValue] = []
    out.reserveCapacity(rowCount)
    for (i, raw) in cells[j].enumerated() {
      guard let v = CellValue(parsing: raw) else {
        throw .unparsableNumber(file: source, line: lineNumbers[i], column: columnNames[j], text: raw)
      }
      out.append(v)
    }
    return out
  }

  /// Keeps the rows for which `include` is true.
  public func filteringRows(_ include: (Int) -> Bool) -> CSVTable {
    let keep = (0..<rowCount).filter(include)
    return CSVTable(
      source: source, columnNames: columnNames,
      cells: cells.map { col in keep.map { col[$0] } },
      quoted: quoted.map { col in keep.map { col[$0] } },
      lineNumbers: keep.map { lineNumbers[$0] })
  }
}
