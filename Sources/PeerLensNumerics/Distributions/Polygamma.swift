import Foundation

extension SpecialFunctions {
  /// The digamma function ψ(x) = d/dx log Γ(x), for x > 0.
  ///
  /// Recurrence ψ(x) = ψ(x + 1) − 1/x up to x ≥ 10, then the asymptotic
  /// series in 1/x² (Abramowitz & Stegun 6.3.18); relative error ~1e-15.
  public static func digamma(_ x: Double) -> Double {
    precondition(x > 0, "digamma is implemented for positive arguments")
    var v = x, acc = 0.0
    while v < 10 { acc -= 1 / v; v += 1 }
    let f = 1 / (v * v)
    let series = f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f * (1.0 / 132 - f * (691.0 / 32760 - f / 12))))))
    return acc + log(v) - 0.5 / v - series
  }

  /// The trigamma function ψ′(x), for x > 0 (recurrence, then A&S 6.4.12).
  public static func trigamma(_ x: Double) -> Double {
    precondition(x > 0, "trigamma is implemented for positive arguments")
    var v = x, acc = 0.0
    while v < 10 { acc += 1 / (v * v); v += 1 }
    let f = 1 / (v * v)
    // 1/v + 1/(2v²) + 1/(6v³) − 1/(30v⁵) + 1/(42v⁷) − 1/(30v⁹) + 5/(66v¹¹) − 691/(2730v¹³) + 7/(6v¹⁵)
    let inv = 1 / v
    let tail = inv * f * (1.0 / 6 - f * (1.0 / 30 - f * (1.0 / 42 - f * (1.0 / 30 - f * (5.0 / 66 - f * (691.0 / 2730 - f * 7.0 / 6))))))
    return acc + inv + 0.5 * f + tail
  }

  /// ψ(x) and ψ′(x) together, each the same double as `digamma(x)` and
  /// `trigamma(x)` give (the same operations in the same order).
  ///
  /// Why: a Newton step for a beta-binomial precision needs both at five
  /// arguments per authority, once per resample of a rank bootstrap; the
  /// shared recurrence and 1/x² are then computed once.
  @inline(__always)
  public static func digammaTrigamma(_ x: Double) -> (digamma: Double, trigamma: Double) {
    precondition(x > 0, "digamma and trigamma are implemented for positive arguments")
    var v = x, d = 0.0, t = 0.0
    while v < 10 { d -= 1 / v; t += 1 / (v * v); v += 1 }
    let f = 1 / (v * v)
    let series = f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f * (1.0 / 132 - f * (691.0 / 32760 - f / 12))))))
    let inv = 1 / v
    let tail = inv * f * (1.0 / 6 - f * (1.0 / 30 - f * (1.0 / 42 - f * (1.0 / 30 - f * (5.0 / 66 - f * (691.0 / 2730 - f * 7.0 / 6))))))
    return (d + log(v) - 0.5 / v - series, t + inv + 0.5 * f + tail)
  }
}
