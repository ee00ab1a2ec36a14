import Foundation
import PeerLensStatistics

extension ModelFrame {
  /// `error` with its place in the file: a `ModelError` about one row
  /// becomes an `InputError.invalidCell` naming the file, the line, the
  /// data row and the column (the formula's response, a side of
  /// `cbind(…)`, the weights column or the offset); any other error is
  /// returned as it is.
  ///
  /// Why here: the statistics layer sees only the design's rows, which
  /// are the table's rows less those with a missing value, so its "row 3"
  /// may be line 5 of the file. The frame keeps which table row each
  /// design row came from (`rowIndices`), and the table the line it
  /// starts on.
  ///
  /// - Parameter weights: the weights column the frame was built with.
  public func locating(_ error: Error, in table: CSVTable, weights: String? = nil) -> Error {
    // A design column past double range: its message already says what to
    // do; the file and line of its largest value go in front.
    if case .columnOutOfRange(_, _, let row)? = error as? ModelError, rowIndices.indices.contains(row),
       rowIndices[row] >= 0, rowIndices[row] < table.rowCount {
      let i = rowIndices[row]
      return DataError.invalid("\(table.source), line \(table.lineNumbers[i]) (data row \(i + 1)): \(error.localizedDescription)")
    }
    guard let e = error as? ModelError, let (row, input) = e.location, rowIndices.indices.contains(row),
          let expected = e.expectation
    else { return error }
    let i = rowIndices[row]
    guard i >= 0, i < table.rowCount else { return error }
    let expression: Expression?
    var column: String? = nil
    switch input {
    case .response: expression = formula.response
    case .successes, .failures:
      if case .call("cbind", let args, _)? = formula.response, args.count == 2 {
        expression = args[input == .successes ? 0 : 1]
      } else {
        expression = formula.response
      }
    case .weights:
      expression = nil
      column = weights
    case .offset:
      expression = formula.offsets.count == 1 ? formula.offsets[0] : nil
      if formula.offsets.count > 1 { column = formula.offsets.map(\.label).joined(separator: " + ") }
    }
    if case .variable(let name, _)? = expression { column = name }
    guard let name = column ?? expression?.label else { return error }
    // A plain column shows its cell as written; an expression (log(y)) its value.
    let text: String
    if let j = try? table.columnIndex(name) {
      text = table.cells[j][i]
      return InputError.invalidCell(file: table.source, line: table.lineNumbers[i], row: i + 1,
                                    column: table.columnNames[j], text: text, expected: expected)
    }
    text = e.value.map { $0.isFinite ? JSONValue.format($0) : $0.description } ?? ""
    return InputError.invalidCell(file: table.source, line: table.lineNumbers[i], row: i + 1, column: name, text: text,
                                  expected: expected)
  }

  /// A diagnostic's text, with its place in the file where it is about
  /// one row: a response that is not a whole number names the file, the
  /// line, the data row and the column, as `locating(_:in:weights:)` does
  /// for errors. Other diagnostics are their `description`.
  ///
  /// Why: the fit's "row 3" counts only complete rows, so it pointed at
  /// the wrong line whenever a row above had a missing value.
  public func describing(_ diagnostic: ModelDiagnostic, in table: CSVTable) -> String {
    guard case .nonIntegerCounts(let row, let value) = diagnostic, rowIndices.indices.contains(row) else {
      return diagnostic.description
    }
    let i = rowIndices[row]
    guard i >= 0, i < table.rowCount, let response = formula.response else { return diagnostic.description }
    var name = response.label, text = JSONValue.format(value)
    if case .variable(let v, _) = response, let j = try? table.columnIndex(v) {
      name = table.columnNames[j]
      text = table.cells[j][i]
    }
    return "\(table.source), line \(table.lineNumbers[i]) (data row \(i + 1)), column '\(name)': the response is not a "
      + "whole number ('\(text)'); a count family expects counts. The likelihood and AIC are computed with rounded values."
  }
}
