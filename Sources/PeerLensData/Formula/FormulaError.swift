import Foundation
import PeerLensStatistics

/// A problem with a model formula, pointing at the character (1-based)
/// where it was found.
/// At most about 200 characters of something the user typed.
func short(_ s: String) -> String { ErrorText.quoted(s) }

/// The columns a name could have been, whole names only: the context table
/// has about 80, and a list cut inside a name (or after eleven of them)
/// hid the one the reader wanted. Past 4,000 characters, the rest are
/// counted.
func columnList(_ names: [String]) -> String {
  var out = "", shown = 0
  for name in names {
    let piece = (shown == 0 ? "" : ", ") + short(name)
    if out.count + piece.count > 4000 { break }
    out += piece
    shown += 1
  }
  return shown < names.count ? out + " and \(names.count - shown) more" : out
}

public enum FormulaError: Error, Equatable, LocalizedError, Sendable {
  /// An unknown column among a list of names (`--variables`,
  /// `--candidates`), shown joined by commas with the caret under the first
  /// character of the name at `index`.
  ///
  /// - Parameter option: the option the list was given with; the message
  ///   starts with it, as the user typed no formula ("Formula error at
  ///   character 17" pointed at one that did not exist).
  public static func unknownListed(_ names: [String], at index: Int, available: [String],
                                   option: String? = nil) -> FormulaError {
    let position = names[..<index].reduce(1) { $0 + $1.count + 1 }, list = names.joined(separator: ",")
    if let option {
      return .unknownListedColumn(option: option, name: names[index], position: position, list: list, available: available)
    }
    return .unknownVariable(name: names[index], position: position, formula: list, available: available)
  }

  case unexpected(found: String, expected: String, position: Int, formula: String)
  case unknownFunction(name: String, position: Int, formula: String)
  case unknownVariable(name: String, position: Int, formula: String, available: [String])
  /// An unknown column in a list given with an option (`--candidates`),
  /// the caret under it in the list.
  case unknownListedColumn(option: String, name: String, position: Int, list: String, available: [String])
  case missingResponse(formula: String)
  case notNumeric(variable: String, file: String, line: Int, text: String)
  case categoricalInArithmetic(variable: String, position: Int, formula: String)
  /// A column of numbers, every one quoted, used as a number.
  case quotedNumbers(variable: String, position: Int, formula: String)
  /// Every cell of the column is a missing-value symbol or empty: there
  /// is no value to fit (and the symbols are not categories).
  case onlyMissingValues(variable: String, file: String, symbols: [String])
  case invalidValue(expression: String, file: String, line: Int, value: Double)
  case noCompleteRows(formula: String, dropped: Int)
  /// Nested deeper than `FormulaLimits.maxDepth`.
  case tooDeep(limit: Int, position: Int, formula: String)
  /// Expands to more than `FormulaLimits.maxTerms` terms; `count` is the
  /// size reached when the expansion stopped.
  case tooManyTerms(count: Int, limit: Int, position: Int, formula: String)
  /// Expanding products and powers combines more than
  /// `FormulaLimits.maxTermPairs` pairs of terms.
  case tooComplex(pairs: Int, limit: Int, position: Int, formula: String)
  /// The design matrix would have `count` columns, more than the limit.
  case tooManyParameters(count: Int, limit: Int, formula: String)
  /// The design matrix would have `rows` × `columns` cells, more than the limit.
  case tooManyCells(rows: Int, columns: Int, limit: Int, formula: String)
  /// `^` needs a positive whole number.
  case badExponent(found: String, position: Int, formula: String)
  /// `.` stands for the data's columns, which this formula was parsed without.
  case dotWithoutData(position: Int, formula: String)
  /// `.` would include a column whose header cell is empty (1-based index).
  case unnamedColumn(index: Int, position: Int, formula: String)
  /// `--weights` names a column the data does not have.
  case unknownWeights(name: String, available: [String])

  public var errorDescription: String? {
    func caret(_ f: String, _ p: Int) -> String {
      // A window of the formula around the position, so that a huge
      // formula gives a short message.
      let chars = Array(f), at = min(max(0, p - 1), chars.count)
      let lo = max(0, at - 80), hi = min(chars.count, at + 80)
      let shown = (lo > 0 ? "…" : "") + String(chars[lo..<hi]) + (hi < chars.count ? "…" : "")
      return "\n  \(shown)\n  " + String(repeating: " ", count: at - lo + (lo > 0 ? 1 : 0)) + "^"
    }
    func count(_ n: Int) -> String {
      var digits = String(n), out = ""
      while digits.count > 3 { out = "," + digits.suffix(3) + out; digits.removeLast(3) }
      return digits + out
    }
    switch self {
    case .unexpected(let found, let expected, let p, let f):
      return "Formula error at character \(p): expected \(expected), found \(found).\(caret(f, p))"
    case .unknownFunction(let n, let p, let f):
      return "Formula error at character \(p): unknown function '\(n)' (known: I, log, log2, log10, log1p, sqrt, exp, abs, factor, offset, cbind).\(caret(f, p))"
    case .unknownVariable(let n, let p, let f, let a):
      return "Formula error at character \(p): no column named '\(short(n))' in the data.\(NameSuggestion.hint(for: n, among: a)) "
        + "Columns are: \(columnList(a)).\(caret(f, p))"
    case .unknownListedColumn(let o, let n, let p, let l, let a):
      return "\(o): no column named '\(short(n))'.\(NameSuggestion.hint(for: n, among: a)) "
        + "Columns are: \(columnList(a)).\(caret(l, p))"
    case .missingResponse(let f):
      return "Formula '\(f)' has no response: write it as 'y ~ x1 + x2'."
    case .notNumeric(let v, let file, let line, let t):
      return "\(file), line \(line), column '\(v)': expected a number, found '\(ErrorText.quoted(t))'."
    case .quotedNumbers(let v, let p, let f):
      return "Formula error at character \(p): every value of '\(v)' is a number in quotes, and PeerLens reads quoted values "
        + "as categories (so that codes such as \"805\" stay codes), so '\(v)' cannot be a response or be used in arithmetic. "
        + "Remove the quotes from its values to read them as numbers.\(caret(f, p))"
    case .categoricalInArithmetic(let v, let p, let f):
      return "Formula error at character \(p): '\(v)' is a categorical column and cannot be used in arithmetic.\(caret(f, p))"
    case .onlyMissingValues(let v, let file, let symbols):
      let what = symbols.isEmpty ? "is empty" : "is empty or a missing-value symbol (\(symbols.map { "'\(ErrorText.quoted($0))'" }.joined(separator: ", ")))"
      return "\(file), column '\(v)': no cell holds a number; every cell \(what). "
        + "DfE's symbols are missing values, not categories, so '\(v)' has nothing to fit."
    case .invalidValue(let e, let file, let line, let v):
      // "-nan" and a hint about log for sqrt(x - 3) sent the reader looking for a log.
      let value = v.isNaN ? "NaN (not a number)" : v > 0 ? "infinity" : "minus infinity"
      var causes: [String] = []
      if e.contains("log") { causes.append("the log of zero or of a negative value") }
      if e.contains("sqrt") { causes.append("the square root of a negative value") }
      if e.contains("/") { causes.append("a division by zero") }
      if e.contains("exp") || e.contains("^") { causes.append("a result too large for a double") }
      let hint = causes.isEmpty ? "" : " (here perhaps \(EnglishList.joined(causes, conjunction: "or")))"
      return "\(file), line \(line): '\(e)' evaluates to \(value), which is not a finite number\(hint)."
    case .noCompleteRows(let f, let d):
      return "No rows are left to fit '\(f)': all \(d) rows have a missing value in a variable the formula uses."
    case .tooDeep(let limit, let p, let f):
      return "Formula error at character \(p): nested more than \(limit) levels deep (parentheses, function calls and operators each count a level).\(caret(f, p))"
    case .tooManyTerms(let n, let limit, let p, let f):
      // `y ~ .` over 3,000 columns has no product to rewrite: the advice fits the formula.
      let advice = f.contains("*") || f.contains("^")
        ? "Write the interactions you need rather than a product or power of long sums."
        : f.contains(".") ? "'.' stands for every column but the response: list the variables the model needs instead."
        : "List fewer terms."
      return "Formula error at character \(p): the formula expands to at least \(count(n)) terms; PeerLens fits at most \(count(limit)). \(advice)\(caret(f, p))"
    case .tooComplex(let n, let limit, let p, let f):
      return "Formula error at character \(p): expanding the formula's products and powers combines at least \(count(n)) pairs of terms; PeerLens stops at \(count(limit)). Write the interactions you need rather than a product or power of long sums.\(caret(f, p))"
    case .tooManyParameters(let n, let limit, let f):
      return "The design matrix of '\(short(f))' would have \(count(n)) columns (parameters); PeerLens fits at most \(count(limit)). An interaction of factors has as many columns as the product of their levels."
    case .tooManyCells(let rows, let columns, let limit, let f):
      return "The design matrix of '\(short(f))' would have \(count(rows)) rows × \(count(columns)) columns = \(count(rows * columns)) cells; PeerLens builds at most \(count(limit))."
    case .badExponent(let found, let p, let f):
      return "Formula error at character \(p): '^' takes a positive whole number (as in (a + b + c)^2), found \(found).\(caret(f, p))"
    case .dotWithoutData(let p, let f):
      return "Formula error at character \(p): '.' stands for the other columns of the data, and no data was given here.\(caret(f, p))"
    case .unnamedColumn(let k, let p, let f):
      return "Formula error at character \(p): '.' stands for every other column, and column \(k) has no name in the header, "
        + "so its coefficient would have none. Name the column, or list the variables instead of '.'.\(caret(f, p))"
    case .unknownWeights(let n, let a):
      return "--weights: no column named '\(short(n))' in the data.\(NameSuggestion.hint(for: n, among: a)) Columns are: \(columnList(a))."
    }
  }
}
