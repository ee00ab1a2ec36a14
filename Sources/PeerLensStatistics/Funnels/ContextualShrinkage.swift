import Foundation

/// Empirical-Bayes shrinkage towards each unit's own contextual
/// expectation (issue 24.5): the posterior mean under the model's own
/// likelihood, with the prior fitted by maximum likelihood.
///
/// Why: shrinking towards England pulls an authority away from what its
/// context predicts (Rutland's child protection plan rate moved from 47.4
/// to 47.95 while its expectation was 40.5). Centring the prior on the
/// expectation keeps every shrunk value between the observed and the
/// expected value, and pulls small authorities furthest.
public enum ContextualShrinkage {
  /// Negative binomial as a gamma–Poisson mixture: Yᵢ | uᵢ ~ Poisson(μᵢuᵢ),
  /// uᵢ ~ Gamma(θ, θ). Posterior mean of μᵢuᵢ is μᵢ(yᵢ + θ)/(μᵢ + θ).
  /// θ is the model's ML estimate (glm.nb's).
  public static func gammaPoisson(counts y: [Double], expected mu: [Double], theta: Double) -> [Double] {
    zip(y, mu).map { y, m in m * (y + theta) / (m + theta) }
  }

  /// Beta–binomial with a beta prior centred on each expected proportion
  /// μᵢ with precision M (prior Beta(Mμᵢ, M(1 − μᵢ))). M by maximum
  /// likelihood of the beta-binomial marginal; the posterior mean is
  /// (sᵢ + Mμᵢ)/(nᵢ + M).
  public static func betaBinomial(successes s: [Double], trials n: [Double],
                                  expected mu: [Double]) -> (shrunk: [Double], precision: Double) {
    func lbeta(_ a: Double, _ b: Double) -> Double { lgamma(a) + lgamma(b) - lgamma(a + b) }
    func nll(_ logM: Double) -> Double {
      let m = exp(logM)
      var total = 0.0
      for i in s.indices {
        let mi = min(max(mu[i], 1e-9), 1 - 1e-9)
        let a = m * mi, b = m * (1 - mi)
        total -= lbeta(s[i] + a, n[i] - s[i] + b) - lbeta(a, b)
      }
      return total
    }
    let logM = DistributionFunnel.goldenMinimum(nll, lower: -5, upper: 25)
    let m = exp(logM)
    let shrunk = s.indices.map { i in (s[i] + m * mu[i]) / (n[i] + m) }
    return (shrunk, m)
  }
}
