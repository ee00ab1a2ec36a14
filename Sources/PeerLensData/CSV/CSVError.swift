import Foundation

/// What can go wrong reading a CSV file, with the place it went wrong.
///
/// Line numbers are physical lines in the file (1 = the header), so a
/// user can open the file at that line.
public enum CSVError: Error, Equatable, LocalizedError, Sendable {
  case unreadable(file: String, reason: String)
  case empty(file: String)
  case unterminatedQuote(file: String, line: Int)
  case unexpectedCharacterAfterQuote(file: String, line: Int, column: Int)
  case raggedRow(file: String, line: Int, expected: Int, found: Int)
  case duplicateColumn(file: String, name: String)
  case missingColumn(file: String, name: String, available: [String])
  case unparsableNumber(file: String, line: Int, column: String, text: String)
  /// A `time_period` cell that is no period (a suppression symbol, a word).
  case unparsablePeriod(file: String, line: Int, text: String)
  /// A negative figure in a column the catalogue reads that is none of the
  /// dashboard's codes for a missing value (−100, −200, −250, −300, −400).
  case negativeFigure(file: String, line: Int, column: String, text: String)
  case invalidEncoding(file: String)
  /// Bytes that are not UTF-8, with where the first invalid one is: the
  /// physical line and its offset from the start of the file (0 = the
  /// first byte, as a hex editor counts), so that it can be found.
  case invalidEncodingAt(file: String, line: Int, byteOffset: Int, byte: UInt8)
  /// A path that names a folder where a file was expected.
  case notAFile(file: String)
  /// A header with no comma that splits into several names at another
  /// character (`;` or a tab): a file saved by Excel in a locale whose
  /// decimal mark is a comma, which every later error would misdescribe.
  case foreignSeparator(file: String, separator: String, names: [String])

  public var errorDescription: String? {
    switch self {
    case .unreadable(let f, let r): return "\(f): cannot read the file (\(r))."
    case .empty(let f): return "\(f): the file is empty (no header row)."
    case .unterminatedQuote(let f, let l): return "\(f), line \(l): a quoted field is never closed."
    case .unexpectedCharacterAfterQuote(let f, let l, let c):
      return "\(f), line \(l), field \(c): the quoted field that opens here is followed by text after its closing quote (a quote inside a field must be doubled, and every opening quote closed)."
    case .raggedRow(let f, let l, let e, let n):
      return "\(f), line \(l): expected \(e) fields as in the header, found \(n)."
    case .duplicateColumn(let f, let n): return "\(f): the column '\(n)' appears more than once in the header."
    case .missingColumn(let f, let n, let a):
      // A header that differs from the name only by a character no one can
      // see (a byte-order mark, a no-break space) is named as such.
      if let hidden = a.first(where: { $0 != n && ErrorText.visible($0) == ErrorText.visible(n) }) {
        return "\(f): no column named '\(ErrorText.quoted(n))'; the header '\(ErrorText.quoted(hidden))' has an invisible "
          + "character in it (shown as <U+…>), such as a byte-order mark left by joining files: remove it from the header."
      }
      return "\(f): no column named '\(ErrorText.quoted(n))'. Columns are: \(a.map { ErrorText.quoted($0, limit: 60) }.joined(separator: ", "))."
    case .negativeFigure(let f, let l, let c, let t):
      return "\(f), line \(l), column '\(c)': expected a figure of zero or more (or one of the DfE dashboard's codes for a missing value: −100, −200, −250, −300, −400), found '\(ErrorText.quoted(t))'."
    case .unparsableNumber(let f, let l, let c, let t):
      return "\(f), line \(l), column '\(c)': expected a number or a missing-value symbol, found '\(ErrorText.quoted(t))'."
    case .unparsablePeriod(let f, let l, let t):
      // A suppression symbol is a value's reason for being missing; a row
      // must still say which period it is.
      return "\(f), line \(l), column 'time_period': expected a period code (2025, 202425, 2024Q3, 2023-07), "
        + "found '\(ErrorText.quoted(t))'. A missing-value symbol can stand for a figure, not for the row's period."
    case .invalidEncoding(let f): return "\(f): the file is not valid UTF-8 text."
    case .invalidEncodingAt(let f, let l, let o, let b):
      return "\(f), line \(l): the file is not valid UTF-8 text; the first invalid byte, 0x\(String(format: "%02X", b)), "
        + "is at byte offset \(o) of the file. Save the file as UTF-8 (in Excel: \"CSV UTF-8\")."
    case .notAFile(let f): return "\(f): is a folder, not a file; give the path of a CSV file."
    case .foreignSeparator(let f, let sep, let names):
      let shown = sep == "\t" ? "a tab" : "'\(sep)'"
      let listed = names.prefix(4).map { "'\(ErrorText.quoted($0, limit: 40))'" }.joined(separator: ", ")
        + (names.count > 4 ? ", …" : "")
      return "\(f): the header has no commas but splits into \(names.count) names at \(shown) (\(listed)): the file seems to use "
        + "\(shown) as its separator (Excel in some locales). Save it as 'CSV UTF-8 (Comma delimited)'."
    }
  }
}
