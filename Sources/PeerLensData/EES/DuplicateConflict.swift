import Foundation

/// Two rows alike in everything but a figure the indicators read (the
/// same geography, period and filters), which they give differently.
///
/// An identical repeat is harmless and only warned about, but when the
/// figures differ, every indicator silently takes the first row's, so
/// one of two contradictory numbers would reach the packs unsaid.
/// `data check` calls this an error and `data import` and `ingest`
/// refuse it.
public struct DuplicateConflict: Sendable, Equatable, CustomStringConvertible {
  public let file: String
  /// The line of the first row, and of the later row that contradicts it.
  public let firstLine: Int
  public let line: Int
  public let column: String
  public let firstText: String
  public let text: String

  public var description: String { "\(file), \(detail)" }

  /// What is wrong, without the file's name: for messages that name the
  /// file themselves (`ingest`, `data import`).
  public var detail: String {
    "line \(line): repeats the geography, period and filters of line \(firstLine) "
      + "but gives \(column) = '\(ErrorText.quoted(text))' where line \(firstLine) gives '\(ErrorText.quoted(firstText))'; "
      + "remove one of the two rows (indicators would take line \(firstLine)'s figure)."
  }

  /// Whether two cells of a data column hold different figures: numbers
  /// are compared as numbers (`12` and `12.0` agree), anything else as text.
  static func differ(_ a: String, _ b: String) -> Bool {
    let ta = a.trimmingCharacters(in: .whitespaces), tb = b.trimmingCharacters(in: .whitespaces)
    if case .number(let x)? = CellValue(parsing: ta), case .number(let y)? = CellValue(parsing: tb) { return x != y }
    return ta != tb
  }
}
