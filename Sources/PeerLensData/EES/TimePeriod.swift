import Foundation

/// A publication period as EES writes it: `time_period` plus
/// `time_identifier`.
///
/// EES codes periods as digits: `2025` (a reporting, calendar or
/// financial year), `202425` (an academic or financial year spanning two
/// calendar years), and, for quarterly and monthly releases, the year with
/// the identifier naming the quarter or month (`2024` + "Quarter 3"), or
/// compact codes such as `2024Q3` and `2024M07`. Files written by hand
/// also use `2024/25` for a two-year span and `2023-1` … `2023-12` for
/// months. Periods of one kind sort
/// chronologically by `sortKey`.
public struct TimePeriod: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
  public enum Kind: String, Sendable, Codable {
    case reportingYear = "Reporting year"
    case academicYear = "Academic year"
    case financialYear = "Financial year"
    case calendarYear = "Calendar year"
    case quarter = "Quarter"
    case month = "Month"
  }

  /// The raw `time_period` code, as published.
  public let code: String
  public let kind: Kind
  /// The calendar year in which the period ends (2025 for 2024/25).
  public let endYear: Int
  /// Quarter (1–4) or month (1–12) within the year, 0 for whole years.
  public let subPeriod: Int

  /// Parses a period.
  ///
  /// - Parameters:
  ///   - code: the `time_period` cell.
  ///   - identifier: the `time_identifier` cell, if the file has one
  ///     (files without one hold reporting years).
  public init?(code raw: String, identifier: String? = nil) {
    let code = raw.trimmingCharacters(in: .whitespaces)
    let id = (identifier ?? "").trimmingCharacters(in: .whitespaces).lowercased()
    self.code = code
    let digits = code.prefix { $0.isNumber }
    let rest = code.dropFirst(digits.count).uppercased()
    // Compact quarter and month codes: 2024Q3, 2024M07.
    if digits.count == 4, let y = Int(digits), rest.hasPrefix("Q"), let q = Int(rest.dropFirst()), (1...4).contains(q) {
      self.kind = .quarter; self.endYear = y; self.subPeriod = q; return
    }
    if digits.count == 4, let y = Int(digits), rest.hasPrefix("M"), let m = Int(rest.dropFirst()), (1...12).contains(m) {
      self.kind = .month; self.endYear = y; self.subPeriod = m; return
    }
    // Written forms: 2024/25 (a two-year span) and 2023-1 … 2023-12 (months).
    if digits.count == 4, let y = Int(digits), rest.hasPrefix("/") {
      let tail = rest.dropFirst()
      guard tail.count == 2 || tail.count == 4, tail.allSatisfy(\.isASCII), tail.allSatisfy(\.isNumber),
            let e = Int(tail), e % 100 == (y + 1) % 100, tail.count == 2 || e == y + 1 else { return nil }
      self.kind = id.contains("financial") ? .financialYear : .academicYear
      self.endYear = y + 1
      self.subPeriod = 0
      return
    }
    if digits.count == 4, let y = Int(digits), rest.hasPrefix("-") {
      let tail = rest.dropFirst()
      guard (1...2).contains(tail.count), tail.allSatisfy(\.isASCII), tail.allSatisfy(\.isNumber),
            let m = Int(tail), (1...12).contains(m) else { return nil }
      self.kind = .month; self.endYear = y; self.subPeriod = m; return
    }
    guard rest.isEmpty else { return nil }
    if digits.count == 6, let start = Int(digits.prefix(4)), let end2 = Int(digits.suffix(2)) {
      // 202425: the second year's last two digits must follow the first.
      guard (start + 1) % 100 == end2 else { return nil }
      self.kind = id.contains("financial") ? .financialYear : .academicYear
      self.endYear = start + 1
      self.subPeriod = 0
      return
    }
    guard digits.count == 4, let y = Int(digits) else { return nil }
    self.endYear = y
    if id.contains("quarter") || id.hasPrefix("q") {
      // "Quarter 3", "Q3", "July to September" are not all handled; the
      // number in the identifier is taken as the quarter.
      let n = Int(id.filter(\.isNumber)) ?? 0
      guard (1...4).contains(n) else { return nil }
      self.kind = .quarter; self.subPeriod = n
    } else if let month = TimePeriod.monthNames.firstIndex(where: { id.hasPrefix($0) }) {
      self.kind = .month; self.subPeriod = month + 1
    } else if id.contains("financial") {
      self.kind = .financialYear; self.subPeriod = 0
    } else if id.contains("calendar") {
      self.kind = .calendarYear; self.subPeriod = 0
    } else {
      self.kind = .reportingYear; self.subPeriod = 0
    }
  }

  static let monthNames = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
                           "october", "november", "december"]

  /// Sorts periods chronologically (end year, then quarter or month).
  public var sortKey: Int { endYear * 100 + subPeriod }

  /// How many periods make a year (1, 4 or 12), for SPC spacing.
  public var periodsPerYear: Int {
    switch kind {
    case .quarter: return 4
    case .month: return 12
    default: return 1
    }
  }

  /// The period's place on its kind's time axis, one step per period
  /// (years count years, quarters quarters, months months): two periods of
  /// one kind with steps 2 apart have one period missing between them.
  public var step: Int {
    switch kind {
    case .quarter, .month: return endYear * periodsPerYear + subPeriod - 1
    default: return endYear
    }
  }

  /// A readable label: `2025`, `2024/25`, `2024 Q3`, `2024-07`.
  public var label: String {
    switch kind {
    case .academicYear, .financialYear: return "\(endYear - 1)/\(Self.twoDigits(endYear % 100))"
    case .quarter: return "\(endYear) Q\(subPeriod)"
    case .month: return "\(endYear)-\(Self.twoDigits(subPeriod))"
    default: return String(endYear)
    }
  }

  /// `String(format: "%02d", n)` without Foundation's formatter (labels
  /// are made for every value of every pack).
  static func twoDigits(_ n: Int) -> String { (0..<10).contains(n) ? "0\(n)" : String(n) }

  public var description: String { label }

  /// The period `years` earlier or later, of the same kind.
  public func shifted(years: Int) -> TimePeriod {
    TimePeriod(code: code, kind: kind, endYear: endYear + years, subPeriod: subPeriod)
  }

  init(code: String, kind: Kind, endYear: Int, subPeriod: Int) {
    self.kind = kind
    self.endYear = endYear
    self.subPeriod = subPeriod
    switch kind {
    case .academicYear, .financialYear: self.code = "\(endYear - 1)\(String(format: "%02d", endYear % 100))"
    case .quarter: self.code = "\(endYear)Q\(subPeriod)"
    case .month: self.code = "\(endYear)M\(String(format: "%02d", subPeriod))"
    default: self.code = String(endYear)
    }
  }

  public static func < (a: TimePeriod, b: TimePeriod) -> Bool { a.sortKey < b.sortKey }
  public static func == (a: TimePeriod, b: TimePeriod) -> Bool { a.kind == b.kind && a.sortKey == b.sortKey }
  public func hash(into h: inout Hasher) { h.combine(kind); h.combine(sortKey) }
}
