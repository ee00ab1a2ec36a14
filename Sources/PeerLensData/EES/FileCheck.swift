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
  /// For each of `duplicateLines`, the line of the row it repeats (the
  /// first with that geography, period and filters): "duplicate rows at
  /// line 2507" left the reader to find what it duplicated.
  public var duplicateOf: [Int] = []
  /// Repeated rows whose figures, in a column the catalogue reads, differ
  /// from the first row's (errors: indicators would silently take the
  /// first). At most 50.
  public var duplicateConflicts: [DuplicateConflict] = []
  /// How many there are in all (`duplicateConflicts` keeps the first 50).
  public var duplicateConflictCount = 0
  /// Cells in numeric columns that are neither numbers nor symbols.
  public let errors: [CSVError]
  /// Authority rows whose name is another authority's (a code typed on
  /// the wrong row, or a name pasted over another): warnings.
  public var misnamed: [Misnamed] = []

  /// A code whose rows carry another authority's name, with the first
  /// line and how many rows.
  public struct Misnamed: Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let code: String
    public let registryName: String
    public let rowName: String
    public let otherCode: String
    public let firstLine: Int
    public let rows: Int

    public var description: String {
      "\(file), line \(firstLine)\(rows > 1 ? " and \(rows - 1) more row\(rows == 2 ? "" : "s")" : ""): code \(code) is "
        + "\(registryName), but the row names '\(rowName)', which is \(otherCode)'s name; the figures are read as "
        + "\(registryName)'s. Check which of the code and the name is right."
    }
  }

  /// Periods outside the plausible range, or reported by only a handful
  /// of authorities (errors for `data check`).
  public var periodProblems: [PeriodProblem] = []

  /// Why the file cannot be stored as a release's data, if it cannot: a
  /// period `data check` calls an error (9999 became every indicator's
  /// latest year), or a header with no rows (every indicator read from it
  /// lost its values). One rule for `data import` and `ingest`; without
  /// the file's name, which their messages give.
  public var storageRefusal: String? {
    if let problem = periodProblems.first {
      let text = problem.detail
      return text.hasSuffix(".") ? String(text.dropLast()) : text
    }
    if let conflict = duplicateConflicts.first {
      let text = conflict.detail
      let more = duplicateConflictCount > 1 ? " (and \(duplicateConflictCount - 1) more such rows: 'peerlens data check' lists them)" : ""
      return (text.hasSuffix(".") ? String(text.dropLast()) : text) + more
    }
    if rows == 0 { return "it has a header but no rows of data; stored, every indicator read from it would have no values" }
    return nil
  }

  public var isClean: Bool { errors.isEmpty && duplicateLines.isEmpty && periodProblems.isEmpty }

  /// Every error found in the file itself: cells that are not figures,
  /// implausible periods and contradictory repeated rows (the `errors`
  /// column of `data check`'s table).
  public var errorCount: Int { errors.count + periodProblems.count + duplicateConflictCount }

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
  /// Classifies columns as numeric or filter and checks every cell of the
  /// numeric ones. Numbers and suppression symbols both mark a data column
  /// (a column can be entirely 'x'); a column is numeric when at least half
  /// its non-empty cells are data, or when it is required.
  static func scanColumns(_ t: CSVTable, columns: [Int], required: Set<String>)
    -> (counts: [MissingReason: Int], numeric: [String], filters: [String], errors: [CSVError]) {
    var counts: [MissingReason: Int] = [:]
    var numeric: [String] = [], filters: [String] = []
    var errors: [CSVError] = []
    for j in columns {
      let name = t.columnNames[j], cells = t.cells[j]
      var data = 0, nonEmpty = 0
      for c in cells where !c.isEmpty {
        nonEmpty += 1
        if CellValue(parsing: c) != nil { data += 1 }
      }
      guard required.contains(name) || (nonEmpty > 0 && data * 2 >= nonEmpty) else { filters.append(name); continue }
      numeric.append(name)
      // Every quantity the catalogue reads is zero or more; a negative
      // figure there is one of the dashboard's codes or a mistake, which
      // the indicators would otherwise read as "not available" unsaid.
      let readByCatalogue = required.contains(name)
      for (i, c) in cells.enumerated() {
        switch CellValue(parsing: c) {
        case .missing(let r)?: counts[r, default: 0] += 1
        case .number(let v)? where readByCatalogue && v < 0 && !IndicatorCalculator.isDashboardCode(v):
          if errors.count < 50 {
            errors.append(.negativeFigure(file: t.source, line: t.lineNumbers[i], column: name, text: c))
          }
        case .number?: break
        case nil:
          if errors.count < 50 {
            errors.append(.unparsableNumber(file: t.source, line: t.lineNumbers[i], column: name, text: c))
          }
        }
      }
    }
    return (counts, numeric, filters, errors)
  }

  /// Rows whose `la_name` is not their authority's but another's, by
  /// code and name. Names that are no authority's (spelling variants such
  /// as "Bristol" for "Bristol, City of") pass, as does a name an
  /// authority shares with its predecessor or successor under another
  /// code (North Yorkshire county and unitary).
  static func misnamed(_ file: EESFile, registry: AuthorityRegistry) -> [Misnamed] {
    var byName: [String: [Authority]] = [:]
    for a in registry.authorities { byName[folded(a.name), default: []].append(a) }
    var found: [String: (misnamed: Misnamed, rows: Int)] = [:]
    var order: [String] = []
    for r in file.rows where r.level == .localAuthority && !r.name.isEmpty {
      guard let a = registry.authority(code: r.areaCode) else { continue }
      let name = folded(r.name)
      guard name != folded(a.name), let others = byName[name] else { continue }
      let related = Set([a.code] + a.successorCodes + registry.predecessors(of: a.code).map(\.code))
      guard let other = others.first(where: { !related.contains($0.code) && !$0.successorCodes.contains(a.code) }) else { continue }
      let key = a.code + "\u{1F}" + name
      if let seen = found[key] {
        found[key] = (seen.misnamed, seen.rows + 1)
      } else {
        order.append(key)
        found[key] = (Misnamed(file: file.name, code: a.code, registryName: a.name, rowName: r.name, otherCode: other.code,
                               firstLine: file.table.lineNumbers[r.index], rows: 1), 1)
      }
    }
    return order.map { key in
      let (m, rows) = found[key]!
      return Misnamed(file: m.file, code: m.code, registryName: m.registryName, rowName: m.rowName, otherCode: m.otherCode,
                      firstLine: m.firstLine, rows: rows)
    }
  }

  /// A cell as the repeat check compares it: without surrounding spaces,
  /// in lower case. Most cells (figures, codes, lower-case labels) need
  /// neither, and are kept as they are rather than copied twice.
  static func folded(_ cell: String) -> String {
    let bytes = cell.utf8
    let plain = bytes.first != 32 && bytes.last != 32 && bytes.first != 9 && bytes.last != 9
      && !bytes.contains { (65...90).contains($0) || $0 >= 0x80 }
    return plain ? cell : cell.trimmingCharacters(in: .whitespaces).lowercased()
  }

  /// Checks a CSV file that is not in the EES layout (the Census ethnic
  /// group counts): structure and symbols only.
  public static func checkPlain(_ table: CSVTable) -> FileCheck {
    let scan = scanColumns(table, columns: Array(table.columnNames.indices), required: [])
    let (counts, numeric, filters, errors) = (scan.counts, scan.numeric, scan.filters, scan.errors)
    return FileCheck(file: table.source, rows: table.rowCount, symbolCounts: counts, numericColumns: numeric,
                     filterColumns: filters, unknownCodes: [:], jointReturns: [:], duplicateLines: [], errors: errors)
  }

  public static func check(_ file: EESFile, registry: AuthorityRegistry?, requiredNumeric: Set<String> = []) -> FileCheck {
    let t = file.table
    let columns = t.columnNames.indices.filter { !standardColumns.contains(t.columnNames[$0]) && !t.columnNames[$0].isEmpty }
    let scan = scanColumns(t, columns: columns, required: requiredNumeric)
    let (counts, numeric, filters, errors) = (scan.counts, scan.numeric, scan.filters, scan.errors)
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
    // A recoded authority's former code is the same authority (the
    // calculator reads both under its current code).
    let code = { (raw: String) in registry?.canonicalCode(raw) ?? raw }
    var seen: [String: Int] = [:]
    var duplicates: [Int] = [], duplicateOf: [Int] = []
    for r in file.rows {
      let key = ([r.level.rawValue, code(r.areaCode), r.period.code] + filterIdx.map { t.cells[$0][r.index] }).joined(separator: "\u{1F}")
      if let first = seen[key] {
        duplicates.append(t.lineNumbers[r.index])
        duplicateOf.append(first)
      } else {
        seen[key] = t.lineNumbers[r.index]
      }
    }
    // Repeats that disagree: rows alike in every column the indicators do
    // not read as a figure (identifiers, filters, numeric ones such as an
    // age, and figures no indicator reads; compared ignoring case and
    // surrounding spaces, which a filter-free indicator does not see), but
    // different in one they read. Such a pair gives an indicator two
    // figures for one area and period, and it silently took the first.
    let readIdx = t.columnNames.indices.filter { requiredNumeric.contains(t.columnNames[$0]) }
    let keyIdx = columns.filter { !requiredNumeric.contains(t.columnNames[$0]) }
    var firstRow: [String: Int] = [:]
    var conflicts: [DuplicateConflict] = []
    var conflictCount = 0
    if !readIdx.isEmpty {
      for r in file.rows {
        let key = ([r.level.rawValue, code(r.areaCode), r.period.code]
          + keyIdx.map { folded(t.cells[$0][r.index]) }).joined(separator: "\u{1F}")
        guard let first = firstRow[key] else { firstRow[key] = r.index; continue }
        guard let j = readIdx.first(where: { DuplicateConflict.differ(t.cells[$0][first], t.cells[$0][r.index]) }) else { continue }
        conflictCount += 1
        if conflicts.count < 50 {
          conflicts.append(DuplicateConflict(file: file.name, firstLine: t.lineNumbers[first], line: t.lineNumbers[r.index],
                                             column: t.columnNames[j], firstText: t.cells[j][first], text: t.cells[j][r.index]))
        }
      }
    }
    var check = FileCheck(file: file.name, rows: t.rowCount, symbolCounts: counts, numericColumns: numeric,
                          filterColumns: filters, unknownCodes: unknown, jointReturns: joint, duplicateLines: duplicates,
                          errors: errors, periodProblems: PeriodProblem.find(in: file))
    check.duplicateOf = duplicateOf
    check.duplicateConflicts = conflicts
    check.duplicateConflictCount = conflictCount
    if let registry { check.misnamed = misnamed(file, registry: registry) }
    return check
  }
}
