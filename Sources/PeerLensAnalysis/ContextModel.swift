import Foundation
import PeerLensData
import PeerLensNumerics
import PeerLensStatistics

/// What one authority's context predicts for an indicator, and how far
/// its observed value is from that.
public struct AuthorityExpectation: Sendable, Codable, Equatable {
  public let code: String
  public let name: String
  public let observed: Double?
  public let status: String
  /// The model's expected value on the indicator's scale.
  public let expected: Double?
  /// 95% confidence interval for the expected value (model uncertainty).
  public let expectedLower: Double?
  public let expectedUpper: Double?
  /// 95% and 99.8% prediction intervals for an authority with this
  /// context and denominator (chance variation, and over-dispersion where
  /// the family has it).
  public let predictionLower95: Double?
  public let predictionUpper95: Double?
  public let predictionLower998: Double?
  public let predictionUpper998: Double?
  /// Observed ÷ expected.
  public let ratio: Double?
  /// Standardised (Pearson) residual.
  public let pearsonResidual: Double?
  /// Rank among authorities with values, 1 = highest: raw value, and
  /// after adjustment for context (by observed/expected).
  public let rawRank: Int?
  public let adjustedRank: Int?
  /// Funnel z-score and flag of O/E against the model's expectation
  /// (additive over-dispersion).
  public let zScore: Double?
  public let funnelFlag: String?
  /// Empirical-Bayes shrunk value: the posterior mean under the model's
  /// likelihood with a prior centred on the contextual expectation where
  /// context has out-of-sample skill (negative binomial and binomial
  /// models), otherwise the raw value pulled towards the overall value.
  public let shrunk: Double?
  /// The value's denominator (the authority's size for calibration by size).
  public var denominator: Double? = nil
  /// Which side of the prediction interval the observed value lies on:
  /// `missing` without a value, `no_expectation` without an interval to
  /// judge it by (an authority with no context, or outside the model), so
  /// that neither reads as "within".
  public var position: String {
    guard let o = observed else { return "missing" }
    if expected == nil || [predictionLower95, predictionUpper95, predictionLower998, predictionUpper998].allSatisfy({ $0 == nil }) {
      return "no_expectation"
    }
    if let u = predictionUpper998, o > u { return "above_99.8" }
    if let l = predictionLower998, o < l { return "below_99.8" }
    if let u = predictionUpper95, o > u { return "above_95" }
    if let l = predictionLower95, o < l { return "below_95" }
    return "within"
  }
}

/// A contextual model fitted for one indicator and period, with every
/// authority's expectation. An immutable value.
public struct ContextModelRun: Sendable {
  public let spec: ContextModelSpec
  public let indicator: Indicator
  public let period: TimePeriod
  public let model: FittedModel
  public let frame: ModelFrame
  public let authorities: [AuthorityExpectation]
  public let funnelPhi: Double
  public let funnelTauSquared: Double
  public let warnings: [String]
  /// Leave-one-out deviance explained by exact refits (`context_skill`);
  /// nil when the refits could not be run.
  public let skill: LeaveOneOutSkill?
  /// The random-effects weighting of a Gaussian model of a mean score
  /// (`sampling_variance = "pupil_sd"`); nil for other models.
  public var randomEffects: RandomEffectsWeighting? = nil

  /// `context_skill` in `values.csv`, `loo_deviance_explained` in `model check`.
  public var contextSkill: Double? { skill?.devianceExplained }

  /// Skill below which the pack shows the expected value with a caveat.
  public static let weakSkill = 0.1

  /// Whether reports may show an expected value and an after-context
  /// flag: only when context predicts an authority better than pooling
  /// the others does (leave-one-out skill above zero).
  public var showsExpectation: Bool { (contextSkill ?? -1) > 0 }

  /// Whether the expected value needs the "context explains little" caveat.
  public var weakContext: Bool { showsExpectation && (contextSkill ?? 0) < Self.weakSkill }

  /// Fits the spec's model to the dataset and derives expectations.
  ///
  /// - Throws: `FormulaError` for a column that does not exist,
  ///   `AnalysisError` when every value is missing or the model has more
  ///   terms than authorities.
  public static func fit(spec: ContextModelSpec, dataset: ContextDataset,
                         leaveOneOut: Bool = true, coverage: Bool = true, notes: [String] = []) throws -> ContextModelRun {
    let indicator = dataset.indicator
    let formula: Formula
    do { formula = try FormulaParser.parse(spec.formula) } catch {
      // The parser's "no data was given here" read as a fault of the data.
      guard case .dotWithoutData(let p, _) = error else { throw error }
      throw AnalysisError.invalid("Formula error at character \(p) of '\(spec.formula)': '.' (every other column) is not "
        + "taken in a model specification, whose data is the whole context table; list the context variables instead.")
    }
    try RandomEffectsWeighting.check(spec: spec, indicator: indicator, formula: formula)
    var frame = try ModelFrame.build(formula: formula, table: dataset.table,
                                     weights: spec.samplingVariance == nil ? nil : "denominator")
    if frame.design.columns >= frame.design.rows {
      throw AnalysisError.tooManyTerms(terms: frame.design.columns, authorities: frame.design.rows)
    }
    var randomEffects: RandomEffectsWeighting? = nil
    if spec.samplingVariance != nil {
      let weighting = try RandomEffectsWeighting.fit(frame: frame, spec: spec, indicator: indicator)
      randomEffects = weighting
      frame = weighting.frame
    }
    let model: FittedModel
    do { model = try FittedModel.fit(frame: frame, family: spec.family, link: spec.parsedLink) } catch {
      throw frame.locating(error, in: dataset.table)
    }
    var warnings = notes + model.diagnostics
    if frame.droppedRows > 0 {
      let what = randomEffects == nil ? "value or context" : "value, context or number of pupils"
      warnings.append("\(frame.droppedRows) authorities have no \(what) for \(dataset.period.label) and are not in the model.")
    }
    let multiplier = indicator.unit.multiplier
    let n = dataset.codes.count
    var expected = [Double?](repeating: nil, count: n)
    var eLower = expected, eUpper = expected, p95l = expected, p95u = expected, p998l = expected, p998u = expected
    var pearson = expected
    var expectedCounts = expected
    let usedRows = frame.rowIndices
    let denominators = dataset.codes.map { dataset.values[$0]?.denominator }

    // Predict every authority with complete context (and offset), not
    // only those in the fit: an authority whose own value is suppressed
    // still has an expectation.
    let predictFrame = (try? ModelFrame.build(formula: formula.rightHandSide, table: dataset.table))
      .flatMap { $0.design.columnNames == frame.design.columnNames ? $0 : nil } ?? frame
    let fittedRow = Dictionary(uniqueKeysWithValues: usedRows.enumerated().map { ($1, $0) })
    let x = predictFrame.design.matrix
    var logitNormalTau2: Double? = nil
    switch model {
    case .generalized(let g):
      let cov = g.unscaledCovariance
      let phi = g.dispersion
      let kept = (0..<g.coefficients.count).filter { !g.aliased[$0] }
      let beta = g.coefficients.map { $0 ?? 0 }
      let pr = g.pearsonResiduals
      let isBinomial = g.family == .binomial || g.family == .quasiBinomial
      // Quasi-binomial: between-authority spread on the logit scale, the
      // same at every size, with binomial chance on top (issues 17.3, 24.2).
      var logitNormal: LogitNormalPrediction? = nil
      if g.family == .quasiBinomial {
        let trials = g.priorWeights
        logitNormal = LogitNormalPrediction.fit(successes: (0..<g.y.count).map { g.y[$0] * trials[$0] }, trials: trials,
                                                linearPredictor: g.linearPredictor)
        logitNormalTau2 = logitNormal?.tauSquared
      }
      for (r, i) in predictFrame.rowIndices.enumerated() {
        var v = 0.0
        for a in kept { for b in kept { v += x[r, a] * x[r, b] * cov[a, b] } }
        let seEta = (phi * v).squareRoot()
        var eta = predictFrame.offset?[r] ?? 0
        for a in kept { eta += x[r, a] * beta[a] }
        let mu = g.link.inverse(eta)
        guard let den = denominators[i] ?? (isBinomial || frame.offset != nil ? nil : 1) else { continue }
        let toValue: (Double) -> Double
        if isBinomial {
          toValue = { $0 * multiplier }
        } else if frame.offset != nil {
          toValue = { $0 / den * multiplier }
        } else {
          toValue = { $0 }
        }
        expected[i] = toValue(mu)
        expectedCounts[i] = isBinomial ? mu * den : mu
        eLower[i] = toValue(g.link.inverse(eta - Self.z95 * seEta))
        eUpper[i] = toValue(g.link.inverse(eta + Self.z95 * seEta))
        var (l95, u95, l998, u998) = Self.predictionInterval(family: g.family, theta: g.theta, mu: mu,
                                                              trials: den, dispersion: phi)
        if let ln = logitNormal {
          (l95, u95) = ln.limits(mu: mu, trials: den, z: Self.z95)
          (l998, u998) = ln.limits(mu: mu, trials: den, z: Self.z998)
        }
        p95l[i] = toValue(l95); p95u[i] = toValue(u95); p998l[i] = toValue(l998); p998u[i] = toValue(u998)
        if let fr = fittedRow[i] { pearson[i] = pr[fr] }
      }
    case .linear(let f):
      let cov = f.unscaledCovariance
      // Weighted by 1/(τ² + σ²/n), the residual scale s is 1 where the
      // weights are right; s is used where it is larger, 1 where smaller
      // (Knapp–Hartung's ad hoc rule), so that an interval is never
      // narrower than the chance and τ² it rests on.
      let s = randomEffects == nil ? f.sigma : max(1, f.sigma)
      let kept = (0..<f.coefficients.count).filter { !f.aliased[$0] }
      let beta = f.coefficients.map { $0 ?? 0 }
      let t95 = StudentT(degreesOfFreedom: Double(max(f.degreesOfFreedom, 1))).quantile(0.975)
      let t998 = StudentT(degreesOfFreedom: Double(max(f.degreesOfFreedom, 1))).quantile(0.999)
      let sr = f.standardizedResiduals
      for (r, i) in predictFrame.rowIndices.enumerated() {
        var v = 0.0
        for a in kept { for b in kept { v += x[r, a] * x[r, b] * cov[a, b] } }
        let se = s * v.squareRoot()
        var fit = predictFrame.offset?[r] ?? 0
        for a in kept { fit += x[r, a] * beta[a] }
        expected[i] = fit
        eLower[i] = fit - t95 * se
        eUpper[i] = fit + t95 * se
        // A new value's variance is s²/w: w = 1 unweighted; for a mean
        // score, w = 1/(τ² + σ²/n) at the authority's own n, as R's
        // predict.lm(interval = "prediction", weights = w) takes it. No
        // denominator, no interval: the size sets its width.
        var weight = 1.0
        if let re = randomEffects {
          guard let n = denominators[i], n > 0 else { continue }
          weight = re.weight(pupils: n)
        }
        let pse = (s * s / weight + se * se).squareRoot()
        // Rates, ratios and percentages cannot go below zero (issue 24.2);
        // percentages are fitted on the logit scale, so this is a guard.
        let floor = indicator.unit == .score ? -Double.infinity : 0
        let ceiling = indicator.unit == .percentage ? 100 : Double.infinity
        let clamp = { (x: Double) in min(max(x, floor), ceiling) }
        p95l[i] = clamp(fit - t95 * pse); p95u[i] = clamp(fit + t95 * pse)
        p998l[i] = clamp(fit - t998 * pse); p998u[i] = clamp(fit + t998 * pse)
        if let fr = fittedRow[i] { pearson[i] = sr[fr] }
      }
    }

    // Observed values and ranks.
    let observed: [Double?] = dataset.codes.map { c in
      guard let v = dataset.values[c], v.status == .ok else { return nil }
      return v.value
    }
    let ratio: [Double?] = (0..<n).map { i in
      guard let o = observed[i], let e = expected[i], e != 0 else { return nil }
      return o / e
    }
    let rawRank = Self.ranks(observed)
    let adjRank = Self.ranks(ratio)

    // Funnel of O/E against the model (counts where the model has them).
    var zScore = [Double?](repeating: nil, count: n)
    var flag = [String?](repeating: nil, count: n)
    var phi = Double.nan, tau2 = Double.nan
    let funnelRows = (0..<n).filter { i in
      guard let o = dataset.values[dataset.codes[i]]?.numerator, let e = expectedCounts[i] else { return false }
      return o >= 0 && e > 0 && observed[i] != nil
    }
    if funnelRows.count >= 3 {
      let o = funnelRows.map { dataset.values[dataset.codes[$0]]!.numerator! }
      let e = funnelRows.map { expectedCounts[$0]! }
      // The model family's own variance (issue 24.4): for a binomial model
      // Var(O) = E(1 − μ), not the Poisson E, which overstates the chance
      // variation by 1/(1 − μ) and hides over-dispersion.
      let factors: [Double]? = model.isBinomialFamily
        ? funnelRows.map { i in 1 - min(max(expectedCounts[i]! / denominators[i]!, 0), 1 - 1e-12) } : nil
      if let fp = try? FunnelPlot(type: .ratio, numerators: o, denominators: e, overdispersion: .additive,
                                  varianceFactors: factors) {
        phi = fp.phi
        tau2 = fp.tauSquared
        for (k, i) in funnelRows.enumerated() {
          zScore[i] = fp.units[k].adjustedZ
          flag[i] = fp.units[k].flag.rawValue
        }
      }
    }

    var skill: LeaveOneOutSkill? = nil
    if leaveOneOut {
      do {
        skill = try LeaveOneOutSkill.exact(frame: frame, family: spec.family, link: spec.parsedLink, fitted: model,
                                           logitNormalTau2: logitNormalTau2, coverage: coverage)
      } catch {
        warnings.append("Leave-one-out skill could not be computed: \(error.localizedDescription)")
      }
    }

    // Shrinkage of the raw values: towards the contextual expectation
    // under the model's own likelihood where context has skill (issue
    // 24.5), otherwise towards the overall value.
    var shrunk = [Double?](repeating: nil, count: n)
    let shrinkRows = (0..<n).filter { i in
      guard let v = dataset.values[dataset.codes[i]], v.status == .ok, let x = v.numerator, let d = v.denominator else {
        return false
      }
      return d > 0 && x >= 0
    }
    let contextual = (skill?.devianceExplained ?? -1) > 0
    let towardExpectation = shrinkRows.filter { expectedCounts[$0] != nil }
    if contextual, case .generalized(let g) = model, let theta = g.theta, theta.isFinite, towardExpectation.count >= 3 {
      let y = towardExpectation.map { dataset.values[dataset.codes[$0]]!.numerator! }
      let mu = towardExpectation.map { expectedCounts[$0]! }
      let post = ContextualShrinkage.gammaPoisson(counts: y, expected: mu, theta: theta)
      for (k, i) in towardExpectation.enumerated() {
        shrunk[i] = post[k] / dataset.values[dataset.codes[i]]!.denominator! * multiplier
      }
    } else if contextual, model.isBinomialFamily, towardExpectation.count >= 3 {
      let s = towardExpectation.map { dataset.values[dataset.codes[$0]]!.numerator! }
      let d = towardExpectation.map { dataset.values[dataset.codes[$0]]!.denominator! }
      let mu = towardExpectation.map { expectedCounts[$0]! / dataset.values[dataset.codes[$0]]!.denominator! }
      let post = ContextualShrinkage.betaBinomial(successes: s, trials: d, expected: mu)
      for (k, i) in towardExpectation.enumerated() { shrunk[i] = post.shrunk[k] * multiplier }
    } else if shrinkRows.count >= 3, indicator.unit != .score {
      // A mean score (Attainment 8 points) is not a count: treating its
      // points as Poisson events understates its sampling variance 20 to 45
      // times, so a small cohort would keep most of its own value. With the
      // pupils' spread (`sampling_variance`) the normal–normal posterior is
      // at hand, but its τ² from one year's 150 authorities is too unsure:
      // 0.055 for children in care in 2024/25 (each mean would keep 0.1% to
      // 2.4% of its departure, and the shrunk values rank as the contextual
      // expectations do) and 2 to 6 in other years (up to 72% kept). So a
      // score is not shrunk at all rather than shrunk wrongly, until τ² is
      // pooled over years (issue 24.5).
      let x = shrinkRows.map { dataset.values[dataset.codes[$0]]!.numerator! }
      let d = shrinkRows.map { dataset.values[dataset.codes[$0]]!.denominator! }
      let result = indicator.unit == .percentage
        ? EmpiricalBayes.betaBinomial(successes: x, trials: d) : EmpiricalBayes.gammaPoisson(counts: x, exposures: d)
      for (k, i) in shrinkRows.enumerated() { shrunk[i] = result.shrunk[k] * multiplier }
    }

    let authorities = (0..<n).map { i in
      AuthorityExpectation(
        code: dataset.codes[i], name: dataset.names[i], observed: observed[i],
        status: dataset.values[dataset.codes[i]]?.status.code ?? "not_available",
        expected: expected[i], expectedLower: eLower[i], expectedUpper: eUpper[i],
        predictionLower95: p95l[i], predictionUpper95: p95u[i], predictionLower998: p998l[i],
        predictionUpper998: p998u[i], ratio: ratio[i], pearsonResidual: pearson[i], rawRank: rawRank[i],
        adjustedRank: adjRank[i], zScore: zScore[i], funnelFlag: flag[i], shrunk: shrunk[i],
        denominator: denominators[i])
    }
    return ContextModelRun(spec: spec, indicator: indicator, period: dataset.period, model: model, frame: frame,
                           authorities: authorities, funnelPhi: phi, funnelTauSquared: tau2, warnings: warnings,
                           skill: skill, randomEffects: randomEffects)
  }

  /// Ranks with 1 = largest; ties share the lower rank; missing stays nil.
  static func ranks(_ v: [Double?]) -> [Int?] {
    let present = v.enumerated().compactMap { i, x in x.map { (i, $0) } }.sorted { $0.1 > $1.1 }
    var out = [Int?](repeating: nil, count: v.count)
    var rank = 0
    var previous: Double? = nil
    for (k, (i, x)) in present.enumerated() {
      if x != previous { rank = k + 1; previous = x }
      out[i] = rank
    }
    return out
  }

  static let z95 = Normal.standard.quantile(0.975)
  static let z998 = Normal.standard.quantile(0.999)

  /// Prediction limits for a new count (or proportion) with mean μ.
  static func predictionInterval(family: GLMFamily, theta: Double?, mu: Double, trials: Double,
                                 dispersion: Double) -> (Double, Double, Double, Double) {
    func q(_ d: any Distribution) -> (Double, Double, Double, Double) {
      (d.quantile(0.025), d.quantile(0.975), d.quantile(0.001), d.quantile(0.999))
    }
    switch family {
    case .negativeBinomial:
      if let theta, theta.isFinite { return q(NegativeBinomial(mean: mu, theta: theta)) }
      return q(Poisson(lambda: mu))
    case .poisson:
      return q(Poisson(lambda: mu))
    case .binomial:
      let n = max(trials.rounded(), 1)
      let b = Binomial(size: n, prob: min(max(mu, 0), 1))
      let r = q(b)
      return (r.0 / n, r.1 / n, r.2 / n, r.3 / n)
    case .quasiBinomial:
      // Normal approximation with the estimated dispersion.
      let sd = (dispersion * mu * (1 - mu) / max(trials, 1)).squareRoot()
      return (max(0, mu - z95 * sd), min(1, mu + z95 * sd), max(0, mu - z998 * sd), min(1, mu + z998 * sd))
    case .quasiPoisson:
      let sd = (dispersion * mu).squareRoot()
      return (max(0, mu - z95 * sd), mu + z95 * sd, max(0, mu - z998 * sd), mu + z998 * sd)
    case .gaussian:
      let sd = dispersion.squareRoot()
      return (mu - z95 * sd, mu + z95 * sd, mu - z998 * sd, mu + z998 * sd)
    }
  }
}
