import Foundation
import PeerLensData
import PeerLensNumerics
import PeerLensStatistics

/// One authority's observed value and prediction limits on the model's own
/// response scale (a count for count models, a proportion for binomial
/// models, the value for least squares), from any fit of the model: the
/// full fit, or a refit without some authorities.
///
/// Why a separate type: leave-one-out coverage and the influence check
/// (issue 17.5) must judge an authority exactly as the pack does, but with
/// the coefficients of a refit. The limits follow ``ContextModelRun``:
/// the family's own distribution (negative binomial with θ, binomial), the
/// logit-normal random effect for quasi-binomial models, and Student's t
/// with the fit's σ and the standard error of the fit for least squares.
struct RowPrediction: Sendable, Equatable {
  let observed: Double
  let lower95: Double, upper95: Double, lower998: Double, upper998: Double

  /// The contextual position's outside-limit words, as
  /// ``AuthorityExpectation/position`` gives them.
  var position: String {
    if observed < lower998 { return "below_99.8" }
    if observed > upper998 { return "above_99.8" }
    if observed < lower95 { return "below_95" }
    if observed > upper95 { return "above_95" }
    return "within"
  }

  /// The prediction for row `r` of `frame` (indices of the full fit's
  /// rows) under `model`, a fit of the same design on some of the rows.
  /// - Parameters:
  ///   - full: the fit on every row: it holds each row's response and
  ///     trials, which a refit without the row does not.
  ///   - logitNormalTau2: the between-authority variance on the logit
  ///     scale of the full fit (quasi-binomial models). A refit without
  ///     one authority moves it very little, so the full fit's value is
  ///     used rather than a new random-effect fit per refit.
  static func of(row r: Int, frame: ModelFrame, model: FittedModel, full: FittedModel,
                 logitNormalTau2: Double?) -> RowPrediction? {
    let x = frame.design.matrix
    var eta = frame.offset?[r] ?? 0
    let beta = model.coefficients
    for a in 0..<beta.count { if let b = beta[a] { eta += x[r, a] * b } }
    switch (model, full) {
    case (.linear(let f), .linear(let all)):
      let kept = (0..<f.coefficients.count).filter { !f.aliased[$0] }
      var v = 0.0
      for a in kept { for b in kept { v += x[r, a] * x[r, b] * f.unscaledCovariance[a, b] } }
      // The row's own prior weight (a refit without the row has none):
      // a new value's variance is s²/w, as for the pack's intervals. A
      // contextual model's frame is weighted only by the random-effects
      // weighting of a mean score, whose scale is at least 1 (see
      // ``ContextModelRun``).
      let w = all.weights?[r] ?? 1
      let s = all.weights == nil ? f.sigma : max(1, f.sigma)
      let pse = (s * s / w + s * s * v).squareRoot()
      let t = StudentT(degreesOfFreedom: Double(max(f.degreesOfFreedom, 1)))
      let t95 = t.quantile(0.975), t998 = t.quantile(0.999)
      return RowPrediction(observed: all.response[r], lower95: eta - t95 * pse, upper95: eta + t95 * pse,
                           lower998: eta - t998 * pse, upper998: eta + t998 * pse)
    case (.generalized(let g), .generalized(let all)):
      let mu = g.link.inverse(eta)
      let trials = all.priorWeights[r]
      var (l95, u95, l998, u998) = ContextModelRun.predictionInterval(
        family: g.family, theta: g.theta, mu: mu, trials: trials, dispersion: g.dispersion)
      if g.family == .quasiBinomial, let tau2 = logitNormalTau2 {
        let ln = LogitNormalPrediction(tauSquared: tau2)
        (l95, u95) = ln.limits(mu: mu, trials: trials, z: ContextModelRun.z95)
        (l998, u998) = ln.limits(mu: mu, trials: trials, z: ContextModelRun.z998)
      }
      return RowPrediction(observed: all.y[r], lower95: l95, upper95: u95, lower998: l998, upper998: u998)
    default:
      return nil
    }
  }

  /// The position of row `r` under `model`: the same words as
  /// `of(...)?.position`, found for a discrete distribution from its
  /// distribution function at the observed count (two evaluations) rather
  /// than from four quantiles. Why: leave-one-out coverage judges every
  /// authority under its own refit, and the quantiles of a negative
  /// binomial with a mean in the thousands, or of the logit-normal
  /// mixture, cost tens of distribution-function evaluations each.
  ///
  /// With q(p) the smallest k with F(k) ≥ p (the quantile the limits use):
  /// k < q(p) ⟺ F(k) < p, and k > q(p) ⟺ F(k − 1) ≥ p.
  static func position(row r: Int, frame: ModelFrame, model: FittedModel, full: FittedModel,
                       logitNormalTau2: Double?) -> String? {
    guard case .generalized(let g) = model, case .generalized(let all) = full else {
      return of(row: r, frame: frame, model: model, full: full, logitNormalTau2: logitNormalTau2)?.position
    }
    var eta = frame.offset?[r] ?? 0
    let beta = model.coefficients
    let x = frame.design.matrix
    for a in 0..<beta.count { if let b = beta[a] { eta += x[r, a] * b } }
    let mu = g.link.inverse(eta)
    let trials = all.priorWeights[r], y = all.y[r]
    /// F, the count, and the four tail probabilities to compare F with.
    // F(k) and F(k − 1) of the count's distribution.
    var judged: (cdfs: (Double) -> (Double, Double), k: Double, lower95: Double, upper95: Double, lower998: Double, upper998: Double)?
    // The discrete quantiles' relative fuzz (R's do_search).
    let fuzz = { (p: Double) in p * (1 - 64 * Double.ulpOfOne) }
    switch g.family {
    case .negativeBinomial, .poisson:
      var d: any Distribution = Poisson(lambda: mu)
      if case .negativeBinomial = g.family, let theta = g.theta, theta.isFinite { d = NegativeBinomial(mean: mu, theta: theta) }
      if y == y.rounded() { judged = ({ k in (d.cdf(k), d.cdf(k - 1)) }, y, fuzz(0.025), fuzz(0.975), fuzz(0.001), fuzz(0.999)) }
    case .binomial:
      let n = max(trials.rounded(), 1)
      let k = y * n
      if trials == n, abs(k - k.rounded()) < 1e-9 {
        let b = Binomial(size: n, prob: min(max(mu, 0), 1))
        judged = ({ k in (b.cdf(k), b.cdf(k - 1)) }, k.rounded(), fuzz(0.025), fuzz(0.975), fuzz(0.001), fuzz(0.999))
      }
    case .quasiBinomial:
      let n = trials.rounded()
      let k = y * n
      if let tau2 = logitNormalTau2, trials == n, abs(k - k.rounded()) < 1e-9,
         let cdfs = LogitNormalPrediction(tauSquared: tau2).mixtureCDFs(mu: mu, trials: trials) {
        let t95 = LogitNormalPrediction.tail(ContextModelRun.z95), t998 = LogitNormalPrediction.tail(ContextModelRun.z998)
        judged = (cdfs, k.rounded(), t95, 1 - t95, t998, 1 - t998)
      }
    default:
      break
    }
    guard let j = judged else {
      return of(row: r, frame: frame, model: model, full: full, logitNormalTau2: logitNormalTau2)?.position
    }
    let (below, aboveBelow) = j.cdfs(j.k)
    if aboveBelow >= j.upper998 { return "above_99.8" }
    if below < j.lower998 { return "below_99.8" }
    if aboveBelow >= j.upper95 { return "above_95" }
    if below < j.lower95 { return "below_95" }
    return "within"
  }
}
