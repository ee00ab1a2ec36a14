import Foundation

extension LinearModelFit {
  /// The summary, laid out like R's `summary.lm`.
  /// - Parameter formula: the formula text for the call line.
  public func summary(formula: String, weighted: Bool = false, dropped: Int = 0) -> RegressionSummary {
    let se = standardErrors, t = tValues, p = pValues
    let rows = (0..<coefficients.count).map { k in
      RegressionSummary.Row(term: coefficientNames[k], estimate: coefficients[k], standardError: se[k],
                            statistic: t[k], pValue: p[k])
    }
    var stats = ["Residual standard error: \(RegressionSummary.fmt(sigma)) on \(degreesOfFreedom) degrees of freedom"]
    if dropped > 0 { stats[0] += "\n  (\(dropped) observation\(dropped == 1 ? "" : "s") deleted due to missingness)" }
    stats.append("Multiple R-squared:  \(RegressionSummary.fmt(rSquared)),\tAdjusted R-squared:  \(RegressionSummary.fmt(adjustedRSquared)) ")
    if let f = fStatistic, let fp = fPValue {
      let pText = fp < 2.2e-16 ? "< 2.2e-16" : RegressionSummary.fmt(fp)
      stats.append("F-statistic: \(RegressionSummary.fmt(f.value)) on \(f.numeratorDF) and \(f.denominatorDF) DF,  p-value: \(pText)")
    }
    stats.append("Log-likelihood: \(RegressionSummary.fmt(logLikelihood, digits: 6)),  AIC: \(RegressionSummary.fmt(aic, digits: 6)),  BIC: \(RegressionSummary.fmt(bic, digits: 6))")
    var notes: [String] = []
    let aliasedNames = (0..<aliased.count).filter { aliased[$0] }.map { coefficientNames[$0] }
    if !aliasedNames.isEmpty { notes.append(ModelDiagnostic.aliasedCoefficients(names: aliasedNames).description) }
    if conditionNumber > 1e8 { notes.append(ModelDiagnostic.largeConditionNumber(conditionNumber).description) }
    let rAliased = aliasedInR.indices.filter { aliasedInR[$0] }.map { coefficientNames[$0] }
    if !rAliased.isEmpty { notes.append(ModelDiagnostic.aliasedInR(names: rAliased).description) }
    if !design.hasIntercept { notes.append("R² is computed without centring because the model has no intercept (as R does).") }
    if degreesOfFreedom == 0 {
      notes.append("Essentially perfect fit: there are no residual degrees of freedom, so the summary may be unreliable.")
    } else if isEssentiallyPerfectFit {
      notes.append(Self.perfectFitNote)
    }
    let w = weights ?? []
    let shownResiduals = weights == nil ? residuals : (0..<residuals.count).map { residuals[$0] * w[$0].squareRoot() }
    return RegressionSummary(
      call: "lm(formula = \(formula)\(weighted ? ", weights = w" : ""))",
      residualLabel: weights == nil ? "Residuals" : "Weighted Residuals",
      residuals: shownResiduals, columnLabels: ["Estimate", "Std. Error", "t value", "Pr(>|t|)"],
      rows: rows, statisticsLines: stats, notes: notes)
  }
}

extension LinearModelFit {
  /// R's warning for a residual variance that is rounding noise.
  public static let perfectFitNote = "Essentially perfect fit: the residuals are rounding noise (their variance is below 1e-30 "
    + "of the fitted values' size, as R's summary.lm tests), so R-squared, F and the p-values are not meaningful."
}

extension GLMFit {
  /// The summary, laid out like R's `summary.glm` (and `summary.negbin`).
  ///
  /// - Parameter describe: each diagnostic's note; a caller that knows the
  ///   file gives the line of a row-level diagnostic (this layer knows only
  ///   the row among complete rows).
  public func summary(formula: String, dropped: Int = 0,
                      describe: (ModelDiagnostic) -> String = { $0.description }) -> RegressionSummary {
    let se = standardErrors, s = statistics, p = pValues
    let rows = (0..<coefficients.count).map { k in
      RegressionSummary.Row(term: coefficientNames[k], estimate: coefficients[k], standardError: se[k],
                            statistic: s[k], pValue: p[k])
    }
    let fmt = { (x: Double) in RegressionSummary.fmt(x) }
    var familyText = family.name
    if case .negativeBinomial = family, let theta { familyText = "Negative Binomial(\(RegressionSummary.fmt(theta)))" }
    var stats = [
      "(Dispersion parameter for \(familyText) family taken to be \(fmt(dispersion)))",
      "",
      "    Null deviance: \(fmt(nullDeviance))  on \(nullDegreesOfFreedom)  degrees of freedom",
      "Residual deviance: \(fmt(deviance))  on \(residualDegreesOfFreedom)  degrees of freedom",
    ]
    if dropped > 0 { stats.append("  (\(dropped) observation\(dropped == 1 ? "" : "s") deleted due to missingness)") }
    stats.append("AIC: \(aic.map { RegressionSummary.fmt($0, digits: 6) } ?? "NA")")
    stats.append("")
    stats.append("Number of Fisher Scoring iterations: \(iterations)")
    if let theta, let thetaStandardError {
      stats.append("")
      stats.append("              Theta:  \(fmt(theta))")
      stats.append("          Std. Err.:  \(fmt(thetaStandardError))")
      if let ll = logLikelihood { stats.append(" 2 x log-likelihood:  \(RegressionSummary.fmt(2 * ll, digits: 6))") }
    }
    // A null deviance of 0 (a response with no variation, such as all-zero
    // counts) leaves nothing to explain: 1 - D/0 is -Inf or NaN, not a share.
    stats.append("Deviance explained (1 - D/D0): "
      + (devianceExplained.isFinite ? fmt(devianceExplained) : "NA (the null deviance is 0: the response does not vary)"))
    let call: String
    switch family {
    case .negativeBinomial: call = "glm.nb(formula = \(formula), link = \(link.rawValue))"
    default: call = "glm(formula = \(formula), family = \(family.name)(link = \"\(link.rawValue)\"))"
    }
    return RegressionSummary(
      call: call, residualLabel: "Deviance Residuals", residuals: devianceResiduals,
      columnLabels: usesT ? ["Estimate", "Std. Error", "t value", "Pr(>|t|)"] : ["Estimate", "Std. Error", "z value", "Pr(>|z|)"],
      rows: rows, statisticsLines: stats, notes: diagnostics.map(describe))
  }
}
