import Foundation

extension TimePeriod {
  /// The period among `periods` that a typed year names: a period code
  /// (`202425`, `2025Q3`), the code written with a slash (`2024/25`), or
  /// the year the period ends (`2025` for the academic or financial year
  /// 2024/25, as for the reporting year 2025), or for a reporting year,
  /// the split year it spans (`2024/25` for the reporting year 2025).
  ///
  /// Why one function: every command that takes `--year` reads it here, so
  /// a year one command takes is not refused by another (`values` took an
  /// end year only for reporting years, while `model fit` took it for any
  /// kind of year).
  ///
  /// An exact code wins over an end year. Among several periods ending in
  /// the year, a whole year wins over its quarters and months, then the
  /// latest.
  ///
  /// - Returns: the period, or nil when none of `periods` has that code or
  ///   end year.
  public static func named(_ text: String, among periods: some Sequence<TimePeriod>) -> TimePeriod? {
    let code = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "/", with: "")
    let candidates = matching(text, among: periods)
    if let p = candidates.last(where: { $0.code == code }) { return p }
    let ending = candidates.filter { String($0.endYear) == code }
    if let p = ending.last(where: { $0.subPeriod == 0 }) ?? ending.last { return p }
    return candidates.last
  }

  /// Every period among `periods` that a typed year names, in time order:
  /// its code, the periods ending in it, and for a split year (2024/25)
  /// the reporting year that ends in its second year. DfE's reporting year
  /// 2025 runs from April 2024 to March 2025, so a reader who sees 2024/25
  /// on the academic and financial figures types it for children in care
  /// too. `named` picks one of them; the explorer's table keeps them all.
  public static func matching(_ text: String, among periods: some Sequence<TimePeriod>) -> [TimePeriod] {
    let code = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "/", with: "")
    let splitEnd = splitYearEnd(code)
    return Set(periods).filter { p in
      p.code == code || String(p.endYear) == code || (p.kind == .reportingYear && p.endYear == splitEnd)
    }.sorted()
  }

  /// The second year of a split year written `202425` (or `2024/25`
  /// with the slash removed), when the years follow on; otherwise nil.
  static func splitYearEnd(_ code: String) -> Int? {
    guard code.count == 6, code.allSatisfy(\.isASCII), let first = Int(code.prefix(4)), let second = Int(code.suffix(2)),
          (first + 1) % 100 == second else { return nil }
    return first + 1
  }
}
