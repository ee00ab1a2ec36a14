import Foundation
import PeerLensNumerics

/// Prediction limits for a proportion with between-authority variation on
/// the logit scale (a logit-normal random effect) and binomial chance for
/// the authority's own size on top.
///
/// Why: a quasi-binomial interval scales the binomial variance by one
/// dispersion φ, so the between-authority spread shrinks with size — small
/// authorities get intervals that span most of the scale and large ones
/// intervals that are too narrow (issue 24.3 measured 1.4% / 2.9% / 7.6%
/// outside the 95% interval by thirds of size). Here the spread τ² is the
/// same for every authority on the logit scale, the binomial part is
/// 1/(n μ(1 − μ)) by the delta method, and the limits are mapped back
/// through the inverse logit, so they never leave 0–1.
public struct LogitNormalPrediction: Sendable, Equatable {
  /// Between-authority variance on the logit scale, by maximum likelihood.
  public let tauSquared: Double

  public init(tauSquared: Double) { self.tauSquared = tauSquared }

  /// Fits τ² by maximum likelihood of the counts around the model's
  /// linear predictor ηᵢ. Up to `exactLimit` trials an authority's
  /// likelihood is the binomial integrated over the logit-normal spread
  /// (equal-probability nodes), which stays right for small counts and
  /// zeros; above it the empirical logit lᵢ = log((sᵢ + ½)/(nᵢ − sᵢ + ½))
  /// is taken as N(ηᵢ, τ² + vᵢ) with vᵢ = 1/(sᵢ + ½) + 1/(nᵢ − sᵢ + ½).
  public static func fit(successes: [Double], trials: [Double], linearPredictor eta: [Double]) -> LogitNormalPrediction {
    let rows = successes.indices.filter { trials[$0] > 0 }
    guard rows.count >= 3 else { return LogitNormalPrediction(tauSquared: 0) }
    let zs = (0..<nodes).map { Normal.standard.quantile((Double($0) + 0.5) / Double(nodes)) }
    // Each authority's count, with the parts of its binomial density that
    // do not depend on τ worked out once; and one buffer for the nodes.
    let counts = successes.indices.map { FixedCountBinomial(x: successes[$0], n: trials[$0]) }
    var logs = [Double](repeating: 0, count: zs.count)
    func negLogLik(_ tau: Double) -> Double {
      var total = 0.0
      for i in rows {
        let s = successes[i], n = trials[i], f = n - s
        if n <= exactLimit {
          // log mean_j Bin(s; n, p_j), computed stably.
          for (j, z) in zs.enumerated() {
            let e = eta[i] + tau * z
            let p = 1 / (1 + exp(-e)), q = 1 / (1 + exp(e))
            logs[j] = counts[i].logDensity(p, q)
          }
          let top = logs.max()!
          guard top.isFinite else { total += 1e6; continue }
          total -= top + log(logs.reduce(0) { $0 + exp($1 - top) } / Double(zs.count))
        } else {
          let r = log((s + 0.5) / (f + 0.5)) - eta[i]
          let t = tau * tau + 1 / (s + 0.5) + 1 / (f + 0.5)
          total += 0.5 * (log(t) + r * r / t)
        }
      }
      return total
    }
    // Golden-section search on τ in [0, 5] (a logit-scale SD of 5 is far
    // beyond any proportion data), with τ = 0 kept if it is better.
    var a = 0.0, b = 5.0
    let g = (5.0.squareRoot() - 1) / 2
    var c = b - g * (b - a), d = a + g * (b - a)
    var fc = negLogLik(c), fd = negLogLik(d)
    for _ in 0..<100 where b - a > 1e-7 {
      if fc < fd { b = d; d = c; fd = fc; c = b - g * (b - a); fc = negLogLik(c) } else {
        a = c; c = d; fc = fd; d = a + g * (b - a); fd = negLogLik(d)
      }
    }
    var tau = (a + b) / 2
    if negLogLik(0) <= negLogLik(tau) { tau = 0 }
    return LogitNormalPrediction(tauSquared: tau * tau)
  }

  /// Lower and upper limits (proportions) at standard-normal quantile `z`
  /// for an authority with expected proportion μ and `trials` trials.
  ///
  /// Up to `exactLimit` trials the limits are exact quantiles of the
  /// mixture of binomials over the logit-normal spread (so an observed
  /// zero is inside the interval whenever zero is a plausible count);
  /// above it the binomial part is negligible and the delta method on the
  /// logit scale is used.
  public func limits(mu: Double, trials: Double, z: Double) -> (lower: Double, upper: Double) {
    let m = min(max(mu, 1e-12), 1 - 1e-12)
    let eta = log(m / (1 - m))
    func inv(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
    let n = trials.rounded()
    let sd = (tauSquared + 1 / (max(trials, 1e-9) * m * (1 - m))).squareRoot()
    if let mixture = mixture(mu: mu, trials: trials) {
      // Each search starts from the delta-method limit, usually within a
      // few counts of the answer.
      let tail = Self.tail(z)
      return (mixture.quantile(tail, start: n * inv(eta - z * sd)) / n,
              mixture.quantile(1 - tail, start: n * inv(eta + z * sd)) / n)
    }
    return (inv(eta - z * sd), inv(eta + z * sd))
  }

  /// The lower tail probability of limits at `z` (0.025 at z = 1.96).
  public static func tail(_ z: Double) -> Double { 1 - Normal.standard.cdf(z) }

  /// F(k) and F(k − 1) of the count out of `trials` (rounded) under the
  /// logit-normal mixture, where limits are exact mixture quantiles
  /// (1 ≤ trials ≤ `exactLimit`); nil otherwise. Why public: judging one
  /// count against the limits needs F at the count only, far cheaper than
  /// the quantiles (leave-one-out coverage, issue 17.5). F(k) is the
  /// continued fractions' value; F(k − 1) is F(k) less the mixture's
  /// probability of k (within about 1e-14 of the continued fractions',
  /// the accuracy of each, beside tails of 0.001 and more), far cheaper
  /// than a second continued fraction per node.
  public func mixtureCDFs(mu: Double, trials: Double) -> ((Double) -> (atOrBelow: Double, below: Double))? {
    guard let mixture = mixture(mu: mu, trials: trials) else { return nil }
    return mixture.cdfs
  }

  /// The count out of `trials` (rounded) under the logit-normal mixture,
  /// one binomial per equal-probability node, where limits are exact
  /// mixture quantiles (1 ≤ trials ≤ `exactLimit`); nil otherwise.
  func mixture(mu: Double, trials: Double) -> BinomialMixture? {
    let n = trials.rounded()
    guard n >= 1 && n <= Self.exactLimit else { return nil }
    let m = min(max(mu, 1e-12), 1 - 1e-12)
    let eta = log(m / (1 - m))
    func inv(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
    let tau = tauSquared.squareRoot()
    return BinomialMixture(trials: n, probabilities: Self.nodeQuantiles.map { inv(eta + tau * $0) })
  }

  /// The standard normal quantiles of the nodes, (j + ½)/nodes.
  static let nodeQuantiles = (0..<nodes).map { Normal.standard.quantile((Double($0) + 0.5) / Double(nodes)) }

  /// Trials up to which limits are exact mixture quantiles.
  public static let exactLimit = 50_000.0
  /// Equal-probability nodes of the logit-normal spread.
  static let nodes = 32
}
