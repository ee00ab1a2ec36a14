import Foundation

/// Where a trend chart places its periods across the plot (0 to 1).
///
/// Periods are placed by their step on their kind's time axis
/// (`TimePeriod.step`: years count years, quarters quarters), so a period
/// with no figures leaves its space and the lines break across it. Points
/// without a step, or out of order, are evenly spaced in the order given.
struct TrendPlacement {
  /// Each period's step where every period has one, in increasing order; nil otherwise.
  let steps: [Int]?
  let count: Int

  init(_ steps: [Int?]) {
    count = steps.count
    let known = steps.compactMap { $0 }
    self.steps = known.count == steps.count && zip(known, known.dropFirst()).allSatisfy({ $0 < $1 }) ? known : nil
  }

  /// The i-th period's place across the plot.
  func position(_ i: Int) -> Double {
    guard count > 1 else { return 0.5 }
    guard let steps, let first = steps.first, let last = steps.last, last > first else {
      return Double(i) / Double(count - 1)
    }
    return Double(steps[i] - first) / Double(last - first)
  }

  /// Whether a period with no figures lies between the i-th period and the one before.
  func gapBefore(_ i: Int) -> Bool {
    guard let steps, i > 0 else { return false }
    return steps[i] - steps[i - 1] > 1
  }
}
