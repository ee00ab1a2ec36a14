import Foundation
import PeerLensNumerics

/// A fitted linear model: an immutable value holding what users ask for
/// next, in statistical words.
///
/// Naming follows R (`summary.lm`) with statsmodels' names in the docs:
/// `standardErrors` is R's `Std. Error` and statsmodels' `bse`.
public struct LinearModelFit: Sendable {
  public let design: DesignMatrix
  public let response: [Double]
  public let weights: [Double]?
  public let offset: [Double]?
  /// Estimates in design column order; `nil` for aliased (not estimable) columns.
  public let coefficients: [Double?]
  public let aliased: [Bool]
  public let rank: Int
  public let fittedValues: [Double]
  public let residuals: [Double]
  /// Hat-matrix diagonal (0 for zero-weight rows).
  public let leverage: [Double]
  /// `(XᵀWX)⁻¹`; NaN rows and columns for aliased terms.
  public let unscaledCovariance: Matrix
  /// Rows with positive weight.
  public let observationsUsed: Int
  public let conditionNumber: Double
  /// Columns kept here that R's `lm` (`qr` tolerance 1e-7) would report as
  /// not estimable (NA), by design column: PeerLens keeps columns down to
  /// `LeastSquares.defaultAliasTolerance` (1e-12), which NIST's Filip
  /// needs, so on a nearly collinear design the two give different fits
  /// and the summary says why.
  public var aliasedInR: [Bool] = []

  // MARK: - Basic quantities

  public var coefficientNames: [String] { design.columnNames }
  public var degreesOfFreedom: Int { observationsUsed - rank }
  /// The weights, 1 where none were given. A computed array: bind it once
  /// (`let w = self.w`) before indexing it in a loop, or every index builds
  /// it again (100,000 rows took 10 s in `logLikelihood`).
  private var w: [Double] { weights ?? [Double](repeating: 1, count: response.count) }

  /// Weighted residual sum of squares, accumulated with compensation.
  public var residualSumOfSquares: Double {
    Compensated.sum(zip(w, residuals).map { $0 * $1 * $1 })
  }

  /// σ̂, R's "Residual standard error".
  public var sigma: Double {
    degreesOfFreedom > 0 ? (residualSumOfSquares / Double(degreesOfFreedom)).squareRoot() : .nan
  }

  /// Standard errors (R `Std. Error`, statsmodels `bse`); `nil` where aliased.
  public var standardErrors: [Double?] { standardErrors(.classical) }

  public func standardErrors(_ type: CovarianceType) -> [Double?] {
    let c = covarianceMatrix(type)
    return (0..<coefficients.count).map { aliased[$0] ? nil : c[$0, $0].squareRoot() }
  }

  /// t statistics.
  public var tValues: [Double?] {
    zip(coefficients, standardErrors).map { b, s in b.flatMap { b in s.map { b / $0 } } }
  }

  /// Two-sided p-values from t on the residual degrees of freedom.
  public var pValues: [Double?] {
    let t = StudentT(degreesOfFreedom: Double(max(degreesOfFreedom, 1)))
    return tValues.map { $0.map { degreesOfFreedom > 0 ? 2 * t.sf(abs($0)) : .nan } }
  }

  /// Confidence intervals `b ± t(1 − α/2, df) × se`.
  public func confidenceIntervals(level: Double = 0.95) -> [(lower: Double, upper: Double)?] {
    let q = StudentT(degreesOfFreedom: Double(max(degreesOfFreedom, 1))).quantile(0.5 + level / 2)
    return zip(coefficients, standardErrors).map { b, s in
      guard let b, let s else { return nil }
      return (b - q * s, b + q * s)
    }
  }

  // MARK: - Goodness of fit (R's conventions)

  /// Mean of the fitted values net of offset, weighted; the model sum of
  /// squares uses it when there is an intercept (R `summary.lm`).
  private var modelSumOfSquares: Double {
    let f = (0..<fittedValues.count).map { fittedValues[$0] - (offset?[$0] ?? 0) }
    if design.hasIntercept {
      let m = Compensated.sum(zip(w, f).map { $0 * $1 }) / Compensated.sum(w)
      return Compensated.sum(zip(w, f).map { $0 * ($1 - m) * ($1 - m) })
    }
    return Compensated.sum(zip(w, f).map { $0 * $1 * $1 })
  }

  /// R² (uncentred when there is no intercept, as R computes it).
  public var rSquared: Double {
    let mss = modelSumOfSquares
    return mss / (mss + residualSumOfSquares)
  }

  private var interceptDF: Int { design.hasIntercept ? 1 : 0 }

  /// R's `summary.lm` test for an essentially perfect fit: the residual
  /// variance below 1e-30 of the fitted values' mean square plus variance.
  /// Then R², F and the p-values are rounding noise (a constant response
  /// gave R² 0.5 and p 0.29), so the summary says so, as R warns.
  public var isEssentiallyPerfectFit: Bool {
    guard degreesOfFreedom > 0 else { return true }
    let f = (0..<fittedValues.count).map { fittedValues[$0] - (offset?[$0] ?? 0) }
    let n = Double(f.count)
    guard n > 1 else { return true }
    let mean = Compensated.sum(f) / n
    let variance = Compensated.sum(f.map { ($0 - mean) * ($0 - mean) }) / (n - 1)
    let residualVariance = residualSumOfSquares / Double(degreesOfFreedom)
    return residualVariance.isFinite && residualVariance < (mean * mean + variance) * 1e-30
  }

  public var adjustedRSquared: Double {
    let n = Double(observationsUsed), df = Double(degreesOfFreedom)
    return 1 - (1 - rSquared) * ((n - Double(interceptDF)) / df)
  }

  /// The overall F test against the intercept-only (or empty) model.
  public var fStatistic: (value: Double, numeratorDF: Int, denominatorDF: Int)? {
    let numDF = rank - interceptDF
    guard numDF > 0, degreesOfFreedom > 0 else { return nil }
    let value = (modelSumOfSquares / Double(numDF)) / (residualSumOfSquares / Double(degreesOfFreedom))
    return (value, numDF, degreesOfFreedom)
  }

  public var fPValue: Double? {
    fStatistic.map { FisherF(d1: Double($0.numeratorDF), d2: Double($0.denominatorDF)).sf($0.value) }
  }

  /// Gaussian log-likelihood at the ML variance, as R's `logLik.lm`
  /// (zero weights excluded).
  public var logLikelihood: Double {
    let w = self.w
    let used = (0..<response.count).filter { w[$0] > 0 }
    let n = Double(used.count)
    let sumLogW = used.reduce(0.0) { $0 + log(w[$1]) }
    return 0.5 * (sumLogW - n * (log(2 * Double.pi) + 1 - log(n) + log(residualSumOfSquares)))
  }

  /// AIC with the variance counted as a parameter (R's `AIC(lm)`).
  public var aic: Double { -2 * logLikelihood + 2 * Double(rank + 1) }
  public var bic: Double { -2 * logLikelihood + log(Double(observationsUsed)) * Double(rank + 1) }

  // MARK: - Influence

  /// Internally studentised residuals, R's `rstandard`: `eᵢ√wᵢ / (σ̂√(1 − hᵢ))`.
  public var standardizedResiduals: [Double] {
    let s = sigma
    let w = self.w
    return (0..<residuals.count).map { i in residuals[i] * w[i].squareRoot() / (s * (1 - leverage[i]).squareRoot()) }
  }

  /// Externally studentised residuals, R's `rstudent`: σ̂ from the fit
  /// without observation i.
  public var studentizedResiduals: [Double] {
    let df = Double(degreesOfFreedom)
    let rss = residualSumOfSquares, w = self.w
    return (0..<residuals.count).map { i in
      let e2 = w[i] * residuals[i] * residuals[i]
      let si = ((rss - e2 / (1 - leverage[i])) / (df - 1)).squareRoot()
      return residuals[i] * w[i].squareRoot() / (si * (1 - leverage[i]).squareRoot())
    }
  }

  /// Cook's distance, R's `cooks.distance`.
  public var cooksDistance: [Double] {
    let r = standardizedResiduals
    return (0..<r.count).map { i in r[i] * r[i] * leverage[i] / (Double(rank) * (1 - leverage[i])) }
  }

  // MARK: - Covariance

  /// The coefficient covariance matrix.
  ///
  /// `.classical` is σ̂²(XᵀWX)⁻¹. The heteroskedasticity-consistent forms
  /// follow MacKinnon and White (1985), as R's `sandwich::vcovHC`:
  /// `(XᵀX)⁻¹ Xᵀ diag(ωᵢ) X (XᵀX)⁻¹` with ωᵢ = eᵢ² (HC0), × n/(n−p) (HC1),
  /// ÷ (1−hᵢ) (HC2), ÷ (1−hᵢ)² (HC3), on the √w-weighted scale.
  public func covarianceMatrix(_ type: CovarianceType = .classical) -> Matrix {
    let p = coefficients.count
    if type == .classical { return unscaledCovariance * (sigma * sigma) }
    let kept = (0..<p).filter { !aliased[$0] }
    let bread = unscaledCovariance.selectingRows(kept).selectingColumns(kept)
    let n = response.count
    let xk = design.matrix.selectingColumns(kept)
    var meat = Matrix(rows: kept.count, columns: kept.count)
    let dfFactor = Double(observationsUsed) / Double(max(degreesOfFreedom, 1))
    let w = self.w
    for i in 0..<n where w[i] > 0 {
      let e2 = w[i] * residuals[i] * residuals[i]
      let h = leverage[i]
      let omega: Double
      switch type {
      case .hc0: omega = e2
      case .hc1: omega = e2 * dfFactor
      case .hc2: omega = e2 / (1 - h)
      case .hc3: omega = e2 / ((1 - h) * (1 - h))
      case .classical: omega = 0
      }
      for a in 0..<kept.count {
        let xa = xk[i, a] * w[i].squareRoot()
        for b in 0..<kept.count { meat[a, b] += omega * xa * xk[i, b] * w[i].squareRoot() }
      }
    }
    let sandwich = bread.multiplied(by: meat).multiplied(by: bread)
    var out = Matrix(rows: p, columns: p, repeating: .nan)
    for (a, ja) in kept.enumerated() { for (b, jb) in kept.enumerated() { out[ja, jb] = sandwich[a, b] } }
    return out
  }
}

/// Which coefficient covariance to use.
public enum CovarianceType: String, Sendable, CaseIterable {
  case classical, hc0, hc1, hc2, hc3
}
