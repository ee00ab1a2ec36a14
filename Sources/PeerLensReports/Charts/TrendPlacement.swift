import Foundation

/// Where a trend chart places its periods across the plot (0 to 1).
///
/// Annual periods ("2019", "2019/20") are placed by year, so a year with
/// no figures leaves its space and the lines break across it; any other
/// periods (quarters, or a mix) are evenly spaced, in order.
struct TrendPlacement {
  /// Each period's year where every period is annual; nil otherwise.
  let years: [Int]?
  let count: Int

  init(_ labels: [String]) {
    count = labels.count
    let parsed = labels.map(Self.year)
    if parsed.allSatisfy({ $0 != nil }), let years = parsed as? [Int],
       zip(years, years.dropFirst()).allSatisfy({ $0 < $1 }) {
      self.years = years
    } else {
      self.years = nil
    }
  }

  /// "2019" → 2019, "2019/20" → 2019; nil for anything else.
  static func year(_ label: String) -> Int? {
    let parts = label.split(separator: "/", omittingEmptySubsequences: false)
    guard parts[0].count == 4, let y = Int(parts[0]) else { return nil }
    if parts.count == 1 { return y }
    guard parts.count == 2, parts[1].count == 2, let next = Int(parts[1]), next == (y + 1) % 100 else { return nil }
    return y
  }

  /// The i-th period's place across the plot.
  func position(_ i: Int) -> Double {
    guard count > 1 else { return 0.5 }
    guard let years, let first = years.first, let last = years.last, last > first else {
      return Double(i) / Double(count - 1)
    }
    return Double(years[i] - first) / Double(last - first)
  }

  /// Whether a year with no figures lies between the i-th period and the one before.
  func gapBefore(_ i: Int) -> Bool {
    guard let years, i > 0 else { return false }
    return years[i] - years[i - 1] > 1
  }
}
