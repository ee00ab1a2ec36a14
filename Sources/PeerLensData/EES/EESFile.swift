import Foundation

/// A file in the explore-education-statistics tidy format, with its
/// standard columns recognised by name (in any order) and each row's
/// geography and period parsed once.
///
/// Some reshaped files (`cla_on_31_march_by_placement.csv`) have no
/// `time_identifier` and hold the area name in `area_name`; both layouts
/// are read.
public struct EESFile: Sendable {
  public struct Row: Sendable {
    public let index: Int
    public let level: GeographicLevel
    public let period: TimePeriod
    /// The area's code at its level: `new_la_code`, the region code, or
    /// the country code (England = E92000001).
    public let areaCode: String
    public let oldCode: String
    public let name: String
    public let regionCode: String
  }

  public let name: String
  public let table: CSVTable
  public let rows: [Row]
  /// Rows at levels other than national/regional/LA (ignored), by count.
  public let otherLevelRows: Int

  public static let englandCode = "E92000001"

  /// ONS codes of the English regions, for files that give only names.
  public static let regionCodes: [String: String] = [
    "North East": "E12000001", "North West": "E12000002", "Yorkshire and The Humber": "E12000003",
    "East Midlands": "E12000004", "West Midlands": "E12000005", "East of England": "E12000006",
    "London": "E12000007", "South East": "E12000008", "South West": "E12000009",
    "Inner London": "E13000001", "Outer London": "E13000002",
  ]

  public init(table: CSVTable) throws(CSVError) {
    self.name = table.source
    self.table = table
    let period = try table.text("time_period")
    let identifier = table.hasColumn("time_identifier") ? try table.text("time_identifier") : nil
    let level = try table.text("geographic_level")
    func optional(_ n: String) -> [String]? { table.hasColumn(n) ? (try? table.text(n)) : nil }
    let newCode = optional("new_la_code"), oldCode = optional("old_la_code")
    let laName = optional("la_name") ?? optional("area_name")
    let regionCode = optional("region_code"), regionName = optional("region_name")
    let countryCode = optional("country_code")
    let areaName = optional("area_name")
    var rows: [Row] = []
    var other = 0
    rows.reserveCapacity(table.rowCount)
    // A file has a handful of distinct periods and levels over thousands
    // of rows: parse each distinct cell once.
    struct PeriodKey: Hashable { let code: String; let identifier: String }
    var periods: [PeriodKey: TimePeriod] = [:]
    var levels: [String: GeographicLevel?] = [:]
    var lastPeriod: (PeriodKey, TimePeriod)? = nil
    for i in 0..<table.rowCount {
      let levelCell = level[i]
      let knownLevel: GeographicLevel?
      if let seen = levels[levelCell] { knownLevel = seen } else {
        knownLevel = GeographicLevel(cell: levelCell)
        levels[levelCell] = knownLevel
      }
      guard let lv = knownLevel else { other += 1; continue }
      let periodKey = PeriodKey(code: period[i], identifier: identifier?[i] ?? "")
      let tp: TimePeriod
      // Rows come in runs of one period: compare with the last before hashing.
      if let last = lastPeriod, last.0 == periodKey { tp = last.1 } else {
        guard let parsed = periods[periodKey] ?? TimePeriod(code: period[i], identifier: identifier?[i]) else {
          throw .unparsablePeriod(file: table.source, line: table.lineNumbers[i], text: period[i])
        }
        tp = parsed
        periods[periodKey] = tp
        lastPeriod = (periodKey, tp)
      }
      let code: String, nm: String
      switch lv {
      case .national:
        code = countryCode?[i].nilIfEmpty ?? EESFile.englandCode
        nm = "England"
      case .regional:
        // Reshaped files carry only the region name; the registry maps it.
        nm = regionName?[i].nilIfEmpty ?? areaName?[i] ?? ""
        code = regionCode?[i].nilIfEmpty ?? EESFile.regionCodes[nm] ?? "unknown region: " + nm
      case .localAuthority:
        code = newCode?[i] ?? ""
        nm = laName?[i] ?? ""
      }
      rows.append(Row(index: i, level: lv, period: tp, areaCode: code, oldCode: oldCode?[i] ?? "", name: nm,
                      regionCode: regionCode?[i] ?? ""))
    }
    self.rows = rows
    self.otherLevelRows = other
  }

  /// Reads a file from disk.
  public static func read(_ url: URL) throws(CSVError) -> EESFile {
    try EESFile(table: CSVReader.read(contentsOf: url, source: url.lastPathComponent))
  }

  /// The rows whose filter columns hold the given values (all must match).
  ///
  /// - Throws: `CSVError.missingColumn` if a filter names a column the
  ///   file does not have.
  public func rows(matching filters: [String: String]) throws(CSVError) -> [Row] {
    var columns: [([String], String)] = []
    for (k, v) in filters { columns.append((try table.text(k), v)) }
    return rows.filter { r in columns.allSatisfy { $0.0[r.index] == $0.1 } }
  }
}

extension String {
  var nilIfEmpty: String? { isEmpty ? nil : self }
}
