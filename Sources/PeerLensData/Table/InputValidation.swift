import Foundation

/// Input a command was given that the method cannot use, with the place it
/// went wrong: file, physical line (1 = the header), data row and column, or
/// the option.
public enum InputError: Error, Equatable, LocalizedError, Sendable {
  /// An id that appears on more than one row.
  case duplicateID(file: String, column: String, id: String, lines: [Int])
  /// A cell that holds a number the method cannot take.
  case invalidCell(file: String, line: Int, row: Int, column: String, text: String, expected: String)
  /// A command-line option whose value cannot be used, found only once the data are read.
  case invalidOption(option: String, value: String, expected: String)

  public var errorDescription: String? {
    switch self {
    case .duplicateID(let f, let c, let id, let lines):
      return "\(f), column '\(c)': the id '\(id)' appears on \(lines.count) rows (lines \(lines.map(String.init).joined(separator: ", "))); each unit must appear once."
    case .invalidCell(let f, let l, let r, let c, let t, let e):
      return "\(f), line \(l) (data row \(r)), column '\(c)': expected \(e), found '\(t)'."
    case .invalidOption(let o, let v, let e):
      return "\(o) '\(v)': expected \(e)."
    }
  }
}

/// Checks on the tables the commands read, shared so that every command
/// refuses the same bad input with the same message.
///
/// A method given a negative count or a repeated unit gives numbers that
/// look plausible and mean nothing, so such input is refused before any
/// computation, naming where it is; missing-value symbols are left to the
/// caller, which lists them as missing rather than refusing them.
public enum InputValidation {
  /// Refuses a table in which an id appears on more than one row (the
  /// first repeated id is named, with every line it is on).
  public static func requireUniqueIDs(_ table: CSVTable, column: String) throws {
    let ids = try table.text(column)
    var seen: Set<String> = []
    for id in ids {
      if !seen.insert(id).inserted {
        let lines = ids.indices.filter { ids[$0] == id }.map { table.lineNumbers[$0] }
        throw InputError.duplicateID(file: table.source, column: column, id: id, lines: lines)
      }
    }
  }

  /// Refuses a numeric cell below zero (counts, populations); missing
  /// cells pass.
  public static func requireNonNegative(_ table: CSVTable, column: String, what: String = "a count of zero or more") throws {
    try refuseFirst(in: table, column: column, what: what) { $0 < 0 }
  }

  /// Refuses a figure above `limit`: past it, sums over the rows (a
  /// funnel's target, φ) overflow or lose the units' own digits, and the
  /// limits came out blank, a unit 6.7e149 standard deviations out was
  /// flagged "within", and the message blamed a zero target.
  public static func requireAtMost(_ table: CSVTable, column: String, limit: Double, what: String) throws {
    try refuseFirst(in: table, column: column, what: what) { $0 > limit }
  }

  /// Refuses a figure of magnitude above `limit` in either direction: an
  /// SPC series of ±1e308 had moving ranges of infinity, and its limits came
  /// out blank while the chart said it had them.
  public static func requireMagnitudeAtMost(_ table: CSVTable, column: String, limit: Double, what: String) throws {
    try refuseFirst(in: table, column: column, what: what) { abs($0) > limit }
  }

  /// Throws for the first number in `column` that `isBad` picks, naming
  /// its file, line, row and column, and what was expected.
  private static func refuseFirst(in table: CSVTable, column: String, what: String, where isBad: (Double) -> Bool) throws {
    let j = try table.columnIndex(column)
    for (i, v) in try table.values(column).enumerated() {
      if let x = v.number, isBad(x) {
        throw InputError.invalidCell(file: table.source, line: table.lineNumbers[i], row: i + 1,
                                     column: table.columnNames[j], text: table.cells[j][i], expected: what)
      }
    }
  }

  /// Refuses a numeric cell that is not a whole number, in a column that
  /// counts people or events (1.5 children is a typing slip or a column
  /// of rates given in error); missing cells pass.
  public static func requireWholeNumbers(_ table: CSVTable, column: String, what: String = "a whole number") throws {
    let j = try table.columnIndex(column)
    for (i, v) in try table.values(column).enumerated() {
      if let x = v.number, x != x.rounded() {
        throw InputError.invalidCell(file: table.source, line: table.lineNumbers[i], row: i + 1,
                                     column: table.columnNames[j], text: table.cells[j][i], expected: what)
      }
    }
  }

  /// Refuses a row whose numerator is above its denominator (a proportion
  /// cannot exceed one); rows with a missing cell pass.
  public static func requireNotAbove(_ table: CSVTable, numerator: String, denominator: String) throws {
    let j = try table.columnIndex(numerator)
    let x = try table.values(numerator), n = try table.values(denominator)
    for i in 0..<table.rowCount {
      if let a = x[i].number, let b = n[i].number, a > b {
        throw InputError.invalidCell(file: table.source, line: table.lineNumbers[i], row: i + 1, column: table.columnNames[j],
                                     text: table.cells[j][i],
                                     expected: "a numerator no larger than its denominator '\(denominator)' (\(JSONValue.format(b))) for a proportion")
      }
    }
  }
}
