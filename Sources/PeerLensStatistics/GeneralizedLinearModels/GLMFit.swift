import Foundation
import PeerLensNumerics

/// A fitted generalized linear model: an immutable value.
///
/// Names follow R's `summary.glm`; z statistics for families with fixed
/// dispersion, t for estimated dispersion (Gaussian and quasi), as R does.
public struct GLMFit: Sendable {
  public let family: GLMFamily
  public let link: Link
  public let design: DesignMatrix
  /// The response on the fitting scale (proportions for the binomial).
  public let y: [Double]
  /// Prior weights (trials × weights for the binomial).
  public let priorWeights: [Double]
  public let offset: [Double]?
  public let coefficients: [Double?]
  public let aliased: [Bool]
  public let rank: Int
  public let linearPredictor: [Double]
  public let fittedValues: [Double]
  public let deviance: Double
  public let nullDeviance: Double
  public let iterations: Int
  public let converged: Bool
  public let boundary: Bool
  public let workingWeights: [Double]
  /// `(XᵀWX)⁻¹` at convergence; NaN where aliased.
  public let unscaledCovariance: Matrix
  public let leverage: [Double]
  public let conditionNumber: Double
  public let diagnostics: [ModelDiagnostic]
  /// For negative binomial fits: θ and its standard error.
  public let theta: Double?
  public let thetaStandardError: Double?
  /// Outer iterations of the θ/β alternation (negative binomial).
  public let thetaIterations: Int?

  public var coefficientNames: [String] { design.columnNames }
  public var observations: Int { priorWeights.filter { $0 > 0 }.count }
  public var residualDegreesOfFreedom: Int { observations - rank }
  public var nullDegreesOfFreedom: Int { observations - (design.hasIntercept ? 1 : 0) }

  /// Dispersion: 1 for Poisson, binomial and negative binomial; Pearson
  /// χ² / residual df otherwise.
  public var dispersion: Double {
    family.estimatesDispersion ? pearsonChiSquared / Double(residualDegreesOfFreedom) : 1
  }

  public var pearsonChiSquared: Double {
    Compensated.sum(pearsonResiduals.map { $0 * $0 })
  }

  public var standardErrors: [Double?] {
    let phi = dispersion
    return (0..<coefficients.count).map { aliased[$0] ? nil : (phi * unscaledCovariance[$0, $0]).squareRoot() }
  }

  /// Robust (sandwich, HC0) standard errors, as `sandwich::vcovHC(type = "HC0")`.
  public var robustStandardErrors: [Double?] {
    let p = coefficients.count
    let kept = (0..<p).filter { !aliased[$0] }
    let bread = unscaledCovariance.selectingRows(kept).selectingColumns(kept)
    var meat = Matrix(rows: kept.count, columns: kept.count)
    for i in 0..<y.count where priorWeights[i] > 0 {
      let me = link.muEta(linearPredictor[i])
      let score = priorWeights[i] * (y[i] - fittedValues[i]) / family.variance(fittedValues[i]) * me
      for (a, ja) in kept.enumerated() {
        for (b, jb) in kept.enumerated() { meat[a, b] += score * score * design.matrix[i, ja] * design.matrix[i, jb] }
      }
    }
    let s = bread.multiplied(by: meat).multiplied(by: bread)
    var out = [Double?](repeating: nil, count: p)
    for (a, ja) in kept.enumerated() { out[ja] = s[a, a].squareRoot() }
    return out
  }

  /// Whether inference uses t (estimated dispersion) or z.
  public var usesT: Bool { family.estimatesDispersion }

  public var statistics: [Double?] {
    zip(coefficients, standardErrors).map { b, s in b.flatMap { b in s.map { b / $0 } } }
  }

  public var pValues: [Double?] {
    statistics.map { s in
      s.map { s in
        usesT ? 2 * StudentT(degreesOfFreedom: Double(max(residualDegreesOfFreedom, 1))).sf(abs(s))
          : 2 * Normal.standard.sf(abs(s))
      }
    }
  }

  /// Wald intervals `b ± q × se` (q from t or normal, as the statistics).
  public func confidenceIntervals(level: Double = 0.95) -> [(lower: Double, upper: Double)?] {
    let q = usesT
      ? StudentT(degreesOfFreedom: Double(max(residualDegreesOfFreedom, 1))).quantile(0.5 + level / 2)
      : Normal.standard.quantile(0.5 + level / 2)
    return zip(coefficients, standardErrors).map { b, s in
      guard let b, let s else { return nil }
      return (b - q * s, b + q * s)
    }
  }

  // MARK: - Likelihood

  public var logLikelihood: Double? {
    family.logLikelihood(y: y, mu: fittedValues, weights: priorWeights, deviance: deviance)
  }

  /// Parameters counted by AIC/BIC: rank, +1 for a Gaussian variance or a
  /// negative-binomial θ.
  public var likelihoodParameters: Int {
    switch family {
    case .gaussian, .negativeBinomial: return rank + 1
    default: return rank
    }
  }

  public var aic: Double? { logLikelihood.map { -2 * $0 + 2 * Double(likelihoodParameters) } }
  public var bic: Double? { logLikelihood.map { -2 * $0 + log(Double(observations)) * Double(likelihoodParameters) } }

  // MARK: - Residuals and influence

  public var responseResiduals: [Double] { (0..<y.count).map { y[$0] - fittedValues[$0] } }

  public var pearsonResiduals: [Double] {
    (0..<y.count).map { i in
      (y[i] - fittedValues[i]) * priorWeights[i].squareRoot() / family.variance(fittedValues[i]).squareRoot()
    }
  }

  public var devianceResiduals: [Double] {
    (0..<y.count).map { i in
      let d = max(0, family.devianceResidual(y[i], fittedValues[i], priorWeights[i]))
      return (y[i] >= fittedValues[i] ? 1 : -1) * d.squareRoot()
    }
  }

  public var workingResiduals: [Double] {
    (0..<y.count).map { i in (y[i] - fittedValues[i]) / link.muEta(linearPredictor[i]) }
  }

  /// Cook's distance as R's `cooks.distance.glm`.
  public var cooksDistance: [Double] {
    let r = pearsonResiduals, phi = dispersion
    return (0..<y.count).map { i in
      let h = leverage[i]
      return (r[i] / (1 - h)) * (r[i] / (1 - h)) * h / (phi * Double(rank))
    }
  }

  /// McFadden-style deviance explained, `1 − D / D₀`.
  public var devianceExplained: Double { 1 - deviance / nullDeviance }

  // MARK: - Assembly

  static func assemble(spec: GeneralizedLinearModel, design: DesignMatrix, y: [Double], priorWeights: [Double],
                       offset: [Double]?, state: GeneralizedLinearModel.IRLSState, warnings: [ModelDiagnostic],
                       theta: Double? = nil, thetaSE: Double? = nil, thetaIterations: Int? = nil,
                       computeNullDeviance: Bool = true) -> GLMFit {
    var diagnostics = warnings
    if !state.converged { diagnostics.append(.didNotConverge(iterations: state.iterations)) }
    if state.boundary { diagnostics.append(.stepHalving) }
    let eps = 10 * Double.ulpOfOne
    if spec.family.isBinomial {
      let c = state.mu.filter { $0 > 1 - eps || $0 < eps }.count
      if c > 0 { diagnostics.append(.fittedProbabilitiesZeroOrOne(count: c)) }
    }
    if spec.family.isCount {
      let c = state.mu.filter { $0 < eps }.count
      if c > 0 { diagnostics.append(.fittedRatesZero(count: c)) }
    }
    // Every response at the boundary (no events, or all successes): the
    // likelihood rises without end as the intercept goes to ±∞, so the
    // iterations stop somewhere arbitrary and the standard errors and
    // p-values describe that stopping point, not the data.
    // (Checked without building a list: this runs for every bootstrap refit.)
    let allUsed = { (v: Double) in zip(y, priorWeights).allSatisfy { $1 <= 0 || $0 == v } }
    if (spec.family.isCount || spec.family.isBinomial) && priorWeights.contains(where: { $0 > 0 }) {
      if allUsed(0) {
        diagnostics.append(.allResponsesAtBoundary(spec.family.isCount ? "every count is 0" : "every proportion is 0"))
      } else if spec.family.isBinomial && allUsed(1) {
        diagnostics.append(.allResponsesAtBoundary("every proportion is 1"))
      }
    }
    let aliasedNames = (0..<state.aliased.count).filter { state.aliased[$0] }.map { design.columnNames[$0] }
    if !aliasedNames.isEmpty { diagnostics.append(.aliasedCoefficients(names: aliasedNames)) }
    let nullDev = computeNullDeviance ? nullDeviance(spec: spec, design: design, y: y, w: priorWeights, offset: offset) : .nan
    return GLMFit(
      family: spec.family, link: spec.link, design: design, y: y, priorWeights: priorWeights, offset: offset,
      coefficients: state.coefficients, aliased: state.aliased, rank: state.rank, linearPredictor: state.eta,
      fittedValues: state.mu, deviance: state.deviance, nullDeviance: nullDev, iterations: state.iterations,
      converged: state.converged, boundary: state.boundary, workingWeights: state.workingWeights,
      unscaledCovariance: state.unscaledCovariance, leverage: state.leverage,
      conditionNumber: state.conditionNumber, diagnostics: diagnostics, theta: theta,
      thetaStandardError: thetaSE, thetaIterations: thetaIterations)
  }

  /// R's null deviance: the intercept-only fit (with the offset, when
  /// there is one), or μ = g⁻¹(offset) without an intercept.
  static func nullDeviance(spec: GeneralizedLinearModel, design: DesignMatrix, y: [Double], w: [Double],
                           offset: [Double]?) -> Double {
    let n = y.count
    let family = spec.family
    if design.hasIntercept {
      if let offset, offset.contains(where: { $0 != 0 }) {
        let ones = DesignMatrix(matrix: Matrix(rows: n, columns: 1, repeating: 1), columnNames: ["(Intercept)"],
                                hasIntercept: true)
        // With a log link, log(Σwy / Σw·e^offset) is the Poisson maximum and
        // close to any other family's, so IRLS needs a step or two, not a
        // full run from R's μ-start.
        var start: [Double]? = nil
        if spec.link == .log {
          let total = Compensated.sum(zip(w, y).map { $0 * $1 })
          let exposure = Compensated.sum(zip(w, offset).map { $0 * exp($1) })
          if total > 0, exposure > 0, exposure.isFinite { start = [log(total / exposure)] }
        }
        if let s = try? spec.irls(ones, y: y, priorWeights: w, offset: offset, start: start, details: false) { return s.deviance }
        return .nan
      }
      let wsum = Compensated.sum(w)
      let mu = Compensated.sum(zip(w, y).map { $0 * $1 }) / wsum
      return Compensated.sum((0..<n).map { family.devianceResidual(y[$0], mu, w[$0]) })
    }
    let off = offset ?? [Double](repeating: 0, count: n)
    return Compensated.sum((0..<n).map { family.devianceResidual(y[$0], spec.link.inverse(off[$0]), w[$0]) })
  }
}
