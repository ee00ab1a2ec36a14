import Foundation
import PeerLensNumerics

/// How much chance variation a rate of absence carries, given that its
/// half-day sessions are clustered within pupils.
///
/// Why: an authority's overall absence is sessions missed out of possible
/// sessions, but sessions are not independent: one pupil who is often
/// away misses many. A binomial variance over sessions treats Rutland's
/// 2,448 possible sessions as 2,448 independent chances, when they belong
/// to 7 pupils, and its funnel limits were then far too narrow.
///
/// Each pupil's own absence rate is taken as a draw from
/// Beta(μκ, (1 − μ)κ), with mean μ (England's overall rate) and
/// concentration κ. The authority's rate is close to the mean of its m
/// pupils' rates, whose variance is μ(1 − μ)/(m(κ + 1)): the variance of
/// a binomial proportion out of m(κ + 1). So `m(κ + 1)` is the
/// authority's effective denominator. κ is fitted per period to England's
/// share of pupils missing at least half their sessions (the beta's tail
/// beyond ½ equals that share), a figure DfE publishes beside the rate.
///
/// The fit is checked by the other tail DfE publishes: for children in
/// need in 2024/25, whose mean is above 10%, the 10%-or-more share gives
/// κ ≈ 2.1 against 1.9 from the 50%-or-more share, so the ½ tail gives a
/// little more variance, the cautious side. England's pupils include every
/// authority's, so the between-authority spread adds a little to the
/// fitted variance (about 1%); the limits are, if anything, a little wide.
public enum PupilClusteredRate {
  /// κ such that a Beta(μκ, (1 − μ)κ) exceeds `threshold` with
  /// probability `share`; nil when no κ gives it.
  ///
  /// For a threshold above the mean the tail runs from μ (κ → 0: every
  /// pupil always or never away) to 0 (κ → ∞: every pupil at μ), rising
  /// first where the threshold is near the mean and falling after, so a
  /// share strictly between 0 and μ is crossed once, found by bisection
  /// on log κ to a relative 1e-12. (At the threshold ½ and means up to
  /// 0.45 the tail falls throughout.)
  public static func concentration(mean mu: Double, threshold t: Double, share: Double) -> Double? {
    guard mu > 0, mu < 1, t > mu, t < 1, share > 0, share < mu else { return nil }
    func excess(_ logK: Double) -> Double {
      let k = exp(logK)
      return BetaDistribution(a: mu * k, b: (1 - mu) * k).sf(t) - share
    }
    var lo = log(1e-6), hi = log(1e6)
    guard excess(lo) > 0, excess(hi) < 0 else { return nil }
    while hi - lo > 1e-12 {
      let mid = (lo + hi) / 2
      if excess(mid) > 0 { lo = mid } else { hi = mid }
    }
    return exp((lo + hi) / 2)
  }

  /// The effective denominator of `pupils` pupils: pupils × (κ + 1).
  /// With no κ (England's share not published for the period) it is the
  /// pupils alone, the widest the variance of a rate between 0 and 1 can
  /// be, so limits are never narrower than the data allow.
  public static func effectiveDenominator(pupils: Double, concentration: Double?) -> Double {
    pupils * ((concentration ?? 0) + 1)
  }
}
