import Foundation

/// A random-effects meta-regression: yᵢ = xᵢβ + uᵢ + εᵢ with uᵢ ~ N(0, τ²)
/// between units and εᵢ ~ N(0, vᵢ) within them, the vᵢ known (metafor's
/// `rma(yi, vi, mods = ...)`, method "REML").
///
/// Why: an authority's mean score on n pupils varies by chance with
/// variance σ²/n, so a least-squares model that gives every authority the
/// same residual variance makes the prediction interval too narrow for a
/// cohort of 8 and too wide for one of 300. Weighting each authority by
/// 1/(τ² + vᵢ), with τ² the spread between authorities that context leaves,
/// gives each its own interval.
public enum MetaRegression {
  /// τ² by restricted maximum likelihood with the design's covariates:
  /// the root in τ² ≥ 0 of the REML score
  /// Σ wᵢ²rᵢ² − Σ wᵢ(1 − hᵢ), with wᵢ = 1/(vᵢ + τ²), rᵢ the residuals and
  /// hᵢ the leverages of the weighted least-squares fit at τ² (which is
  /// yᵀPPy − tr P, P the REML projection). With an intercept alone it is
  /// `BetweenUnitVariance.reml`'s equation. Each evaluation is a QR fit
  /// through LAPACK; the root is bracketed and bisected as
  /// `BetweenUnitVariance` does, to full double precision.
  ///
  /// - Throws: `ModelError` when the weighted fit fails (too few units for
  ///   the design, non-finite data); `.invalidWeight` for a sampling
  ///   variance that is not positive and finite.
  public static func remlTauSquared(design: DesignMatrix, response y: [Double],
                                    samplingVariances v: [Double]) throws(ModelError) -> Double {
    guard v.count == y.count else { throw .dimensionMismatch(what: "sampling variances", expected: y.count, found: v.count) }
    if let bad = v.firstIndex(where: { !($0 > 0) || !$0.isFinite }) { throw .invalidWeight(row: bad, value: v[bad]) }
    let model = LinearModel()
    var failure: ModelError?
    let tau2 = BetweenUnitVariance.root { t2 in
      let w = v.map { 1 / ($0 + t2) }
      do throws(ModelError) {
        let f = try model.fit(design, response: y, weights: w)
        var score = 0.0
        for i in 0..<y.count {
          score += w[i] * w[i] * f.residuals[i] * f.residuals[i] - w[i] * (1 - f.leverage[i])
        }
        return score
      } catch {
        failure = error
        return -1
      }
    }
    if let failure { throw failure }
    return tau2
  }
}
