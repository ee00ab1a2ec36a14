import Foundation

/// Round axis ticks: steps of 1, 2 or 5 times a power of ten, and an axis
/// that starts and ends on a tick, so readers see 40, 50, 60 rather than
/// the data's own minimum and maximum (41.37, 52.85…) on the scale.
enum AxisTicks {
  /// A tick scale: the axis bounds (each a tick), the step, and the ticks.
  struct Scale: Equatable {
    let lower: Double
    let upper: Double
    let step: Double
    let values: [Double]

    /// Decimals that show every tick exactly (0 for steps of 1 or more).
    var decimals: Int { max(0, Int(-(log10(step) + 1e-9).rounded(.down))) }
  }

  /// The round step nearest above `span / target`: 1, 2 or 5 × 10^k.
  static func step(span: Double, target: Int) -> Double {
    guard span > 0, span.isFinite else { return 1 }
    let raw = span / Double(max(1, target))
    let power = pow(10, (log10(raw)).rounded(.down))
    let m = raw / power
    return (m <= 1 + 1e-9 ? 1 : m <= 2 + 1e-9 ? 2 : m <= 5 + 1e-9 ? 5 : 10) * power
  }

  /// Ticks covering `lower…upper` in about `target` steps. An empty range
  /// is widened around its value (never below zero when it is not
  /// negative, since counts and rates are not).
  static func scale(lower: Double, upper: Double, target: Int = 4) -> Scale {
    var lo = min(lower, upper), hi = max(lower, upper)
    if hi - lo <= max(abs(hi), 1) * 1e-12 {
      let pad = max(abs(lo) * 0.1, 1)
      hi += pad
      lo = lo >= 0 ? max(0, lo - pad) : lo - pad
    }
    let step = step(span: hi - lo, target: target)
    // Ticks are whole multiples of the step, computed from integers so
    // that 0.1 × 3 prints as 0.3 at the step's decimals.
    let first = (lo / step + 1e-9).rounded(.down), last = (hi / step - 1e-9).rounded(.up)
    let values = stride(from: first, through: last, by: 1).map { $0 * step }
    return Scale(lower: first * step, upper: last * step, step: step, values: values)
  }
}
