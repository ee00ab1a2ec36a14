import Foundation

/// A validation report for one EES file: what `peerlens data check`
/// prints and what ingest refuses to store.
public struct FileCheck: Sendable {
  public let file: String
  public let rows: Int
  /// Cells per missing-value reason, over indicator (numeric) columns.
  public let symbolCounts: [MissingReason: Int]
  /// Columns judged to hold numbers, and filter (label) columns.
  public let numericColumns: [String]
  public let filterColumns: [String]
  /// Local-authority codes not in the registry (code → rows).
  public let unknownCodes: [String: Int]
  /// Joint returns of several authorities (code → rows), reported but not errors.
  public let jointReturns: [String: Int]
  /// Rows that repeat another row's geography, period and filters (line numbers).
  public let duplicateLines: [Int]
  /// Cells in numeric columns that are neither numbers nor symbols.
  public let errors: [CSVError]

  public var isClean: Bool { errors.isEmpty && duplicateLines.isEmpty }

  /// Columns that identify a row rather than hold data.
  public static let standardColumns: Set<String> = [
    "time_period", "time_identifier", "geographic_level", "country_code", "country_name", "region_code",
    "region_name", "old_la_code", "new_la_code", "la_name", "area_name",
  ]

  /// Checks a file.
  ///
  /// A column is numeric when at least half its non-empty cells are
  /// numbers and it is not a standard identifier column; every other
  /// non-symbol cell in it is then an error naming line and column (text
  /// in a count column). `requiredNumeric` columns (those the catalogue
  /// reads) are numeric whatever their content.
  /// Checks a CSV file that is not in the EES layout (the Census ethnic
  /// group counts): structure and symbols only.
  public static func checkPlain(_ table: CSVTable) -> FileCheck {
    var counts: [MissingReason: Int] = [:]
    var numeric: [String] = [], filters: [String] = []
    var errors: [CSVError] = []
    for (j, name) in table.columnNames.enumerated() {
      let cells = table.cells[j]
      let data = cells.filter { !$0.isEmpty && CellValue(parsing: $0) != nil }.count
      if data * 2 >= cells.count && !cells.isEmpty {
        numeric.append(name)
        for (i, c) in cells.enumerated() {
          switch CellValue(parsing: c) {
          case .missing(let r)?: counts[r, default: 0] += 1
          case .number?: break
          case nil:
            if errors.count < 50 {
              errors.append(.unparsableNumber(file: table.source, line: table.lineNumbers[i], column: name, text: c))
            }
          }
        }
      } else {
        filters.append(name)
      }
    }
    return FileCheck(file: table.source, rows: table.rowCount, symbolCounts: counts, numericColumns: numeric,
                     filterColumns: filters, unknownCodes: [:], jointReturns: [:], duplicateLines: [], errors: errors)
  }

  public static func check(_ file: EESFile, registry: AuthorityRegistry?, requiredNumeric: Set<String> = []) -> FileCheck {
    let t = file.table
    var numeric: [String] = [], filters: [String] = []
    var counts: [MissingReason: Int] = [:]
    var errors: [CSVError] = []
    for (j, name) in t.columnNames.enumerated() where !standardColumns.contains(name) && !name.isEmpty {
      let cells = t.cells[j]
      // Numbers and suppression symbols both mark a data column (a
      // column can be entirely 'x').
      var data = 0, nonEmpty = 0
      for c in cells where !c.isEmpty {
        nonEmpty += 1
        if CellValue(parsing: c) != nil { data += 1 }
      }
      let isNumeric = requiredNumeric.contains(name) || (nonEmpty > 0 && data * 2 >= nonEmpty)
      if isNumeric {
        numeric.append(name)
        for (i, c) in cells.enumerated() {
          switch CellValue(parsing: c) {
          case .missing(let r)?: counts[r, default: 0] += 1
          case .number?: break
          case nil:
            if errors.count < 50 {
              errors.append(.unparsableNumber(file: file.name, line: t.lineNumbers[i], column: name, text: c))
            }
          }
        }
      } else {
        filters.append(name)
      }
    }
    var unknown: [String: Int] = [:]
    var joint: [String: Int] = [:]
    if let registry {
      for r in file.rows where r.level == .localAuthority && registry.authority(code: r.areaCode) == nil
        && !AuthorityRegistry.isJointReturn(r.areaCode) {
        unknown[r.areaCode, default: 0] += 1
      }
      for r in file.rows where r.level == .localAuthority && AuthorityRegistry.isJointReturn(r.areaCode) {
        joint[r.areaCode, default: 0] += 1
      }
    }
    let filterIdx = filters.compactMap { t.columnNames.firstIndex(of: $0) }
    var seen = Set<String>()
    var duplicates: [Int] = []
    for r in file.rows {
      let key = ([r.level.rawValue, r.areaCode, r.period.code] + filterIdx.map { t.cells[$0][r.index] }).joined(separator: "\u{1F}")
      if !seen.insert(key).inserted { duplicates.append(t.lineNumbers[r.index]) }
    }
    return FileCheck(file: file.name, rows: t.rowCount, symbolCounts: counts, numericColumns: numeric,
                     filterColumns: filters, unknownCodes: unknown, jointReturns: joint, duplicateLines: duplicates, errors: errors)
  }
}
