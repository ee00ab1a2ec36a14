import Foundation

extension TimePeriod {
  /// The period among `periods` that a typed year names: a period code
  /// (`202425`, `2025Q3`), the code written with a slash (`2024/25`), or
  /// the year the period ends (`2025` for the academic or financial year
  /// 2024/25, as for the reporting year 2025).
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
    let sorted = Set(periods).sorted()
    if let p = sorted.last(where: { $0.code == code }) { return p }
    let ending = sorted.filter { String($0.endYear) == code }
    return ending.last { $0.subPeriod == 0 } ?? ending.last
  }
}
