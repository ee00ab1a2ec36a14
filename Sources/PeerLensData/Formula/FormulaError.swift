import Foundation

/// A problem with a model formula, pointing at the character (1-based)
/// where it was found.
public enum FormulaError: Error, Equatable, LocalizedError, Sendable {
  case unexpected(found: String, expected: String, position: Int, formula: String)
  case unknownFunction(name: String, position: Int, formula: String)
  case unknownVariable(name: String, position: Int, formula: String, available: [String])
  case missingResponse(formula: String)
  case notNumeric(variable: String, file: String, line: Int, text: String)
  case categoricalInArithmetic(variable: String, position: Int, formula: String)
  case invalidValue(expression: String, file: String, line: Int, value: Double)
  case noCompleteRows(formula: String, dropped: Int)

  public var errorDescription: String? {
    func caret(_ f: String, _ p: Int) -> String {
      "\n  \(f)\n  " + String(repeating: " ", count: max(0, p - 1)) + "^"
    }
    switch self {
    case .unexpected(let found, let expected, let p, let f):
      return "Formula error at character \(p): expected \(expected), found \(found).\(caret(f, p))"
    case .unknownFunction(let n, let p, let f):
      return "Formula error at character \(p): unknown function '\(n)' (known: I, log, log2, log10, log1p, sqrt, exp, abs, factor, offset, cbind).\(caret(f, p))"
    case .unknownVariable(let n, let p, let f, let a):
      let list = a.count > 30 ? a.prefix(30).joined(separator: ", ") + ", …" : a.joined(separator: ", ")
      return "Formula error at character \(p): no column named '\(n)' in the data. Columns are: \(list).\(caret(f, p))"
    case .missingResponse(let f):
      return "Formula '\(f)' has no response: write it as 'y ~ x1 + x2'."
    case .notNumeric(let v, let file, let line, let t):
      return "\(file), line \(line), column '\(v)': expected a number, found '\(t)'."
    case .categoricalInArithmetic(let v, let p, let f):
      return "Formula error at character \(p): '\(v)' is a categorical column and cannot be used in arithmetic.\(caret(f, p))"
    case .invalidValue(let e, let file, let line, let v):
      return "\(file), line \(line): '\(e)' evaluates to \(v), which is not a finite number (for example log of zero or of a negative value)."
    case .noCompleteRows(let f, let d):
      return "No rows are left to fit '\(f)': all \(d) rows have a missing value in a variable the formula uses."
    }
  }
}
