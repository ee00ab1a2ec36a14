import Foundation
import PeerLensNumerics

/// The exact probability, by chance alone, of a figure at least as far
/// from the target as the one seen, in its direction: binomial for a
/// proportion, Poisson for a count against its expected count. Counts
/// may be fractional (full-time equivalents): the tails are the
/// incomplete beta and gamma functions, which continue the discrete
/// tails between whole numbers.
///
/// Why: additive funnel limits are normal limits on the arcsine or square
/// root scale, and at a denominator of a few the normal is a poor guide.
/// The Isles of Scilly's 2 agency social workers of 2 sat beyond the 99.8%
/// limit around England's 13%, yet 2 of 2 happens by chance with
/// probability 0.017. With no difference between authorities at all the
/// chance is smallest, so a tail above a limit's own probability means
/// the figure cannot be beyond that limit, whatever the spread between
/// authorities.
public enum ChanceTail {
  /// P(X ≥ x) (`above`) or P(X ≤ x), X ~ Binomial(n, p).
  public static func proportion(_ x: Double, of n: Double, target p: Double, above: Bool) -> Double {
    guard n > 0, p > 0, p < 1 else { return .nan }
    if above {
      return x <= 0 ? 1 : BetaDistribution(a: x, b: n - x + 1).cdf(p)
    }
    return x >= n ? 1 : BetaDistribution(a: x + 1, b: n - x).sf(p)
  }

  /// P(X ≥ x) (`above`) or P(X ≤ x), X ~ Poisson(e).
  public static func count(_ x: Double, expected e: Double, above: Bool) -> Double {
    guard e > 0 else { return .nan }
    if above {
      return x <= 0 ? 1 : GammaDistribution(shape: x).cdf(e)
    }
    return GammaDistribution(shape: x + 1).sf(e)
  }
}
