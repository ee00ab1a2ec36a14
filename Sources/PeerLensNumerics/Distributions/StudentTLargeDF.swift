import Foundation

/// Student's t for very many degrees of freedom, by the Cornish–Fisher
/// expansion of its quantile in powers of 1/ν (Abramowitz and Stegun
/// 26.7.5): t = z + g₁(z)/ν + g₂(z)/ν² + g₃(z)/ν³ + g₄(z)/ν⁴, with z the
/// normal quantile; the distribution function inverts it, P(T ≤ t) = Φ(z).
///
/// Why: the exact route, ½ I_{ν/(ν+t²)}(ν/2, ½), loses digits as ν grows
/// (about 1e-10 relative at ν = 10⁷, the seventh digit at 10¹⁰, and
/// probabilities above 1 at 10¹⁷), as do lgamma differences in the density.
/// From ν = `threshold` on, the first omitted term is below 1e-15 of t for
/// |z| ≤ 10, and the normal's own functions keep the tails' digits.
enum StudentTLargeDF {
  /// The ν from which the expansion is used.
  static let threshold = 1e7

  /// t for the normal quantile z (the expansion's terms, Horner form).
  static func t(fromNormal z: Double, degreesOfFreedom n: Double) -> Double {
    let z2 = z * z
    let g1 = z * (z2 + 1) / 4
    let g2 = z * ((5 * z2 + 16) * z2 + 3) / 96
    let g3 = z * (((3 * z2 + 19) * z2 + 17) * z2 - 15) / 384
    let g4 = z * ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) / 92_160
    return z + (g1 + (g2 + (g3 + g4 / n) / n) / n) / n
  }

  /// The normal quantile z whose t is `t`: Newton's method from z = t,
  /// where dt/dz = 1 + O(1/ν), so two or three steps settle it.
  static func normal(fromT t: Double, degreesOfFreedom n: Double) -> Double {
    var z = t
    for _ in 0..<8 {
      let z2 = z * z
      let slope = 1 + (3 * z2 + 1) / (4 * n) + ((25 * z2 + 48) * z2 + 3) / (96 * n * n)
      let step = (Self.t(fromNormal: z, degreesOfFreedom: n) - t) / slope
      z -= step
      if abs(step) <= 1e-17 * max(1, abs(z)) { break }
    }
    return z
  }

  /// log Γ((ν+1)/2) − log Γ(ν/2) − ½ log(νπ), the log of the density's
  /// constant, from Γ(x+½)/Γ(x) = √x (1 − 1/(8x) + 1/(128x²) + 5/(1024x³)
  /// − 21/(32768x⁴) + …) with x = ν/2: the lgamma difference cancels
  /// almost all of its digits here.
  /// (√x cancels against √(νπ), leaving 1/√(2π).) Used from ν =
  /// `densityThreshold`, where the first omitted term is below 1e-19.
  static func logNormalisingConstant(degreesOfFreedom n: Double) -> Double {
    let u = 2 / n
    let ratio = log1p(u * (-1.0 / 8 + u * (1.0 / 128 + u * (5.0 / 1024 - u * 21.0 / 32_768))))
    return ratio - 0.5 * log(2 * Double.pi)
  }

  /// The ν from which the density's constant comes from the series: the
  /// lgamma difference has already lost four digits at 10⁴.
  static let densityThreshold = 1e4
}
