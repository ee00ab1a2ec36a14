import Foundation
import PeerLensNumerics

/// Confidence intervals for small counts, with the conventions of OHID's
/// PHEindicatormethods (so PeerLens's numbers agree with Fingertips).
///
/// With x the count, n the denominator, c the level and
/// z = Φ⁻¹(c + (1 − c)/2):
/// - **Wilson** (proportions): `(2x + z² ∓ z√(z² + 4x(1 − x/n))) / (2(n + z²))`.
/// - **Exact binomial** (Clopper–Pearson): beta quantiles
///   `B⁻¹((1−c)/2; x, n−x+1)` and `B⁻¹(c + (1−c)/2; x+1, n−x)`.
/// - **Exact Poisson** (Garwood): `χ²⁻¹((1−c)/2; 2x)/2` and
///   `χ²⁻¹(c + (1−c)/2; 2x+2)/2`, divided by n.
/// - **Byar's approximation**: `x(1 − 1/(9x) − z/(3√x))³` and
///   `(x+1)(1 − 1/(9(x+1)) + z/(3√(x+1)))³`, divided by n; a negative
///   lower limit is not a limit and is reported as missing, as is the
///   lower limit at x = 0.
///
/// Every value is multiplied by `multiplier` (100 for a percentage, 10,000
/// for a rate per 10,000).
public enum SmallNumberInterval {
  public enum Method: String, Sendable, CaseIterable, Codable {
    case wilson
    case exactBinomial = "exact-binomial"
    case exactPoisson = "exact-poisson"
    case byar
  }

  public struct Result: Sendable, Equatable {
    public let value: Double
    public let lower: Double?
    public let upper: Double?
    public let method: Method
  }

  public enum IntervalError: Error, LocalizedError, Equatable, Sendable {
    case negativeCount(Double)
    case nonPositiveDenominator(Double)
    case countExceedsDenominator(count: Double, denominator: Double)
    case invalidLevel(Double)

    public var errorDescription: String? {
      switch self {
      case .negativeCount(let x): return "The count must be zero or more (got \(x))."
      case .nonPositiveDenominator(let n): return "The denominator must be positive (got \(n))."
      case .countExceedsDenominator(let x, let n):
        return "For a proportion the count (\(x)) cannot exceed the denominator (\(n))."
      case .invalidLevel(let c): return "The confidence level must be between 0 and 1 (got \(c))."
      }
    }
  }

  /// The interval for `count` out of `denominator`.
  public static func compute(_ method: Method, count x: Double, denominator n: Double, multiplier: Double = 1,
                             level c: Double = 0.95) throws(IntervalError) -> Result {
    guard x >= 0, x.isFinite else { throw .negativeCount(x) }
    guard n > 0, n.isFinite else { throw .nonPositiveDenominator(n) }
    guard c > 0, c < 1 else { throw .invalidLevel(c) }
    let alpha = 1 - c
    // From the lower tail, where α/2 is exact: c + (1 − c)/2 rounds near 1
    // (at c = 0.999999999 it lost about 4e-9 of every limit).
    let z = -Normal.standard.quantile(alpha / 2)
    switch method {
    case .wilson:
      guard x <= n else { throw .countExceedsDenominator(count: x, denominator: n) }
      let root = z * (z * z + 4 * x * (1 - x / n)).squareRoot()
      let den = 2 * (n + z * z)
      return Result(value: x / n * multiplier, lower: (2 * x + z * z - root) / den * multiplier,
                    upper: (2 * x + z * z + root) / den * multiplier, method: method)
    case .exactBinomial:
      guard x <= n else { throw .countExceedsDenominator(count: x, denominator: n) }
      // At 0 (and n) the limit has a closed form, 1 − (α/2)^(1/n), exact
      // for any n; the beta quantile near 0 loses digits to 1 − x as n
      // grows (8.8e-9 relative at n = 1e9).
      let lower = x == 0 ? 0 : x == n ? exp(log(alpha / 2) / n) : BetaDistribution(a: x, b: n - x + 1).quantile(alpha / 2)
      let upper = x == n ? 1 : x == 0 ? -expm1(log(alpha / 2) / n) : BetaDistribution(a: x + 1, b: n - x).quantile(1 - alpha / 2)
      return Result(value: x / n * multiplier, lower: lower * multiplier, upper: upper * multiplier, method: method)
    case .exactPoisson:
      let lower = x == 0 ? 0 : ChiSquared(degreesOfFreedom: 2 * x).quantile(alpha / 2) / 2
      let upper = ChiSquared(degreesOfFreedom: 2 * x + 2).quantile(1 - alpha / 2) / 2
      return Result(value: x / n * multiplier, lower: lower / n * multiplier, upper: upper / n * multiplier,
                    method: method)
    case .byar:
      // At 0 the formula is 0 × (−∞)³, not a limit (R's
      // PHEindicatormethods gives NaN): missing, as a negative one is.
      // Exact Poisson, which Fingertips uses below 10, gives 0.
      var lower: Double? = nil
      if x > 0 {
        let l = x * pow(1 - 1 / (9 * x) - z / (3 * x.squareRoot()), 3)
        lower = l >= 0 ? l / n * multiplier : nil
      }
      let x1 = x + 1
      let u = x1 * pow(1 - 1 / (9 * x1) + z / (3 * x1.squareRoot()), 3)
      return Result(value: x / n * multiplier, lower: lower, upper: u / n * multiplier, method: method)
    }
  }

  /// The Fingertips crude-rate rule: exact Poisson below 10 events,
  /// Byar's approximation from 10.
  public static func crudeRate(count: Double, denominator: Double, multiplier: Double,
                               level: Double = 0.95) throws(IntervalError) -> Result {
    try compute(count < 10 ? .exactPoisson : .byar, count: count, denominator: denominator, multiplier: multiplier,
                level: level)
  }
}
