import Foundation
import PeerLensNumerics

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
    let m = betaBinomialPrecision(successes: s, trials: n, expected: mu)
    let shrunk = s.indices.map { i in (s[i] + m * mu[i]) / (n[i] + m) }
    return (shrunk, m)
  }

  /// The prior precision M of `betaBinomial` by maximum likelihood,
  /// found by Newton's method on log M from `start` (a nearby estimate),
  /// with the golden-section search of
  /// `betaBinomialPrecision(successes:trials:expected:logBracket:tolerance:)`
  /// over log(start) ± 3 as the fallback where Newton does not settle, and
  /// M kept at `start` where the likelihood is flat over the bracket and
  /// beyond (`likelihoodChangeBound`).
  ///
  /// Why: a parametric bootstrap re-estimates M once per resample, each
  /// time close to the full data's M. Newton's steps there take three or
  /// four evaluations of the score and its slope (digamma and trigamma),
  /// where the golden-section search took about thirty of the likelihood;
  /// M was two thirds of each resample's time.
  public static func betaBinomialPrecision(successes s: [Double], trials n: [Double], expected mu: [Double],
                                           start: Double) -> Double {
    let lower = log(start) - 3, upper = log(start) + 3
    // Where the likelihood is flat from the bracket's lower end up (M far
    // beyond the authorities' counts: the beta-binomial is the binomial),
    // the resample says nothing about M. Newton's slope is then rounding
    // (digamma differences of numbers near M), and the search would
    // return rounding noise: M from e¹⁸ to e²² from one start of e²⁰·⁶ in
    // the national run, after forty evaluations. M* stays the start's.
    if likelihoodChangeBound(successes: s, trials: n, expected: mu, above: exp(lower)) < flatLikelihood { return start }
    var t = log(start)
    for _ in 0..<30 {
      let m = exp(t)
      let (g, h) = scoreAndSlope(successes: s, trials: n, expected: mu, precision: m)
      // In t = log M: ℓ' = M g, ℓ'' = M g + M² h.
      let d1 = m * g, d2 = m * g + m * m * h
      guard d2 < 0, d1.isFinite, d2.isFinite else { break }
      let step = max(-1, min(1, -d1 / d2))
      t += step
      guard t > lower, t < upper else { break }
      // Newton converges quadratically here: after a step below 1e-3 in
      // log M the next would be of order 1e-6, far below the resampling
      // noise in M (tenths of a unit of log M), so that step is not taken.
      if abs(step) < 1e-3 { return exp(t) }
    }
    return betaBinomialPrecision(successes: s, trials: n, expected: mu, logBracket: lower...upper, tolerance: 1e-8)
  }

  /// The score and its slope of the beta-binomial log-likelihood in M,
  /// at M = `m`, summed over the authorities: g = Σ p(ψ(s + Mp) − ψ(Mp))
  /// + q(ψ(f + Mq) − ψ(Mq)) − ψ(n + M) + ψ(M), and h the same in ψ′ with
  /// p², q².
  static func scoreAndSlope(successes s: [Double], trials n: [Double], expected mu: [Double],
                            precision m: Double) -> (score: Double, slope: Double) {
    var g = 0.0, h = 0.0
    // Terms in M alone, once.
    let (dm, tm) = SpecialFunctions.digammaTrigamma(m)
    for i in s.indices {
      let p = min(max(mu[i], 1e-9), 1 - 1e-9), q = 1 - p
      let a = m * p, b = m * q, f = n[i] - s[i]
      // With no successes (or no failures) ψ(s + a) − ψ(a) is ψ(a) − ψ(a),
      // exactly zero: the pair of calls is left out, which changes no
      // bit of the sums (resamples of rare outcomes have many zeros).
      let (ds, ts) = s[i] == 0 ? (0.0, 0.0) : Self.differences(s[i] + a, a)
      let (df, tf) = f == 0 ? (0.0, 0.0) : Self.differences(f + b, b)
      let nm = SpecialFunctions.digammaTrigamma(n[i] + m)
      g += p * ds + q * df - nm.digamma + dm
      h += p * p * ts + q * q * tf - nm.trigamma + tm
    }
    return (g, h)
  }

  /// ψ(x) − ψ(y) and ψ′(x) − ψ′(y).
  @inline(__always)
  private static func differences(_ x: Double, _ y: Double) -> (Double, Double) {
    let u = SpecialFunctions.digammaTrigamma(x), v = SpecialFunctions.digammaTrigamma(y)
    return (u.digamma - v.digamma, u.trigamma - v.trigamma)
  }

  /// The change in log-likelihood (nats) from the bootstrap's bracket up
  /// below which a resample is taken to say nothing about M: every M
  /// there is within a likelihood ratio of 1.05 of the best, where a test
  /// at the 95% level needs 1.92 nats.
  static let flatLikelihood = 0.05

  /// A bound on how much the beta-binomial log-likelihood (counts sᵢ of
  /// nᵢ, fᵢ = nᵢ − sᵢ) changes between M₀ and infinity.
  ///
  /// In t = log M the score is Σᵢ [Σ_{j<nᵢ} j/(M + j) − Σ_{j<sᵢ} j/(Mpᵢ + j)
  /// − Σ_{j<fᵢ} j/(Mqᵢ + j)]: a positive sum less a positive sum, each
  /// at most a constant over M (j/(M + j) ≤ j/M), so |score| ≤ C/M with
  /// C = max(Σᵢ nᵢ(nᵢ − 1)/2, Σᵢ [sᵢ(sᵢ − 1)/(2pᵢ) + fᵢ(fᵢ − 1)/(2qᵢ)]),
  /// and the change above M₀ is at most ∫ C e⁻ᵗ dt = C/M₀. Computed from
  /// the counts alone, it is free of the rounding that the likelihood
  /// itself suffers there.
  static func likelihoodChangeBound(successes s: [Double], trials n: [Double], expected mu: [Double],
                                    above m0: Double) -> Double {
    var trials = 0.0, outcomes = 0.0
    for i in s.indices {
      let p = min(max(mu[i], 1e-9), 1 - 1e-9), f = n[i] - s[i]
      trials += n[i] * max(n[i] - 1, 0) / 2
      outcomes += s[i] * max(s[i] - 1, 0) / (2 * p) + f * max(f - 1, 0) / (2 * (1 - p))
    }
    return max(trials, outcomes) / m0
  }

  /// The prior precision M of `betaBinomial` by maximum likelihood, with
  /// log M searched over `logBracket` to `tolerance`.
  ///
  /// A parametric bootstrap refits M once per resample: it searches near
  /// the full data's estimate, to a tolerance far below the resampling
  /// noise, instead of the whole range to 1e-10.
  public static func betaBinomialPrecision(successes s: [Double], trials n: [Double], expected mu: [Double],
                                           logBracket: ClosedRange<Double> = -5...25,
                                           tolerance: Double = 1e-10) -> Double {
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
    return exp(DistributionFunnel.goldenMinimum(nll, lower: logBracket.lowerBound, upper: logBracket.upperBound,
                                                tolerance: tolerance))
  }
}
