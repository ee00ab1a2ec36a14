import Foundation

/// Two rows that an indicator's filters both select for one area and
/// period, with different figures.
///
/// Why an error and not the first row: a catalogue entry that leaves out
/// a filter (a `characteristic` column with "Total" and "Male" rows, say)
/// would otherwise read whichever row comes first in the file, and a
/// figure for one group would reach the packs as the authority's. Rows that
/// repeat the same figure are harmless and read once.
public struct AmbiguousRows: Error, LocalizedError, Equatable, Sendable {
  /// A column in which the two rows differ, with each row's text.
  public struct Difference: Equatable, Sendable {
    public let column: String
    public let first: String
    public let second: String
  }

  public let indicator: String
  public let file: String
  public let area: String
  public let period: String
  public let firstLine: Int
  public let line: Int
  /// The figure column that differs, with each row's text.
  public let figure: Difference
  /// The columns the rows differ in, outside the standard identifier
  /// columns and the figures read: where the filter the entry lacks would
  /// go. Text columns only, when the rows differ in any; otherwise the
  /// numeric ones (an age given as a number).
  public let filters: [Difference]
  /// The identifier columns (codes, names) the rows differ in, when they
  /// differ in no label: two rows read as one authority that name two
  /// (a code typed for the wrong authority, or a former code beside the
  /// current one with different figures).
  public let identities: [Difference]

  public var errorDescription: String? {
    let head = "\(file), lines \(firstLine) and \(line): indicator '\(ErrorText.quoted(indicator))' reads both rows for \(area) "
      + "in \(period), which give \(figure.column) = '\(ErrorText.quoted(figure.first))' and '\(ErrorText.quoted(figure.second))'. "
    if !identities.isEmpty {
      let named = identities.map { "\($0.column) '\(ErrorText.quoted($0.first))' and '\(ErrorText.quoted($0.second))'" }
      return head + "The rows are read as one authority but name two (\(named.joined(separator: "; "))): correct the code "
        + "on the wrong row, or remove one of them."
    }
    guard let f = filters.first else {
      return head + "The rows repeat the same geography, period and filters: remove one of them "
        + "(`peerlens data check` lists every such pair)."
    }
    let other = filters.dropFirst().prefix(2).map { "\($0.column) ('\(ErrorText.quoted($0.first))', '\(ErrorText.quoted($0.second))')" }
    return head + "They differ in \(f.column) ('\(ErrorText.quoted(f.first))' and '\(ErrorText.quoted(f.second))')"
      + (other.isEmpty ? "" : " and in \(other.joined(separator: ", "))")
      + ": add a filter on \(f.column) to the indicator's entry in the catalogue, "
      + "as in filters = { \(f.column) = \"\(ErrorText.quoted(f.first))\" }."
  }

  /// The error for rows `first` and `second` of `table`, or nil when the
  /// figures they give for the part's columns are the same. `read` names
  /// every column the indicator reads from the file, none of which is
  /// offered as the filter.
  static func find(indicator: String, file: String, table: CSVTable, area: String, period: String,
                   first: Int, second: Int, figureColumns: [String], read: Set<String>) -> AmbiguousRows? {
    let texts = { (name: String) in (try? table.text(name)).map { ($0[first], $0[second]) } }
    let figure = figureColumns.lazy.compactMap { name in texts(name).flatMap { DuplicateConflict.differ($0.0, $0.1) ? Difference(column: name, first: $0.0, second: $0.1) : nil } }.first
    guard let figure else { return nil }
    let differences = table.columnNames.indices.compactMap { c -> Difference? in
      let name = table.columnNames[c]
      guard !read.contains(name), !FileCheck.standardColumns.contains(name), !name.isEmpty,
            table.cells[c][first] != table.cells[c][second] else { return nil }
      return Difference(column: name, first: table.cells[c][first], second: table.cells[c][second])
    }
    // Labels before figures: the filter a catalogue lacks is nearly always a
    // text column (a phase, a characteristic); other figures on the rows
    // differ too, which says nothing about which row to read.
    let isNumber = { (text: String) in if case .number? = CellValue(parsing: text) { return true } else { return false } }
    let isFigure = { (d: Difference) in isNumber(d.first) && isNumber(d.second) }
    let labels = differences.filter { !isFigure($0) }
    let identifiers = ["new_la_code", "old_la_code", "la_name"].compactMap { name -> Difference? in
      guard let c = table.columnNames.firstIndex(of: name), table.cells[c][first] != table.cells[c][second] else { return nil }
      return Difference(column: name, first: table.cells[c][first], second: table.cells[c][second])
    }
    // Without a label to tell them apart, rows naming two authorities are
    // a wrong code, not a missing filter.
    let identities = labels.isEmpty ? identifiers : []
    let filters = !labels.isEmpty ? labels : identities.isEmpty ? differences : []
    return AmbiguousRows(indicator: indicator, file: file, area: area, period: period, firstLine: table.lineNumbers[first],
                         line: table.lineNumbers[second], figure: figure, filters: filters, identities: identities)
  }
}
