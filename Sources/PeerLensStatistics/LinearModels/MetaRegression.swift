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
    // τ² is scale-equivariant (y·c gives τ²·c²), so the root is sought
    // for y/c with c² the mean sampling variance: the bracket, doubled from
    // 1 up to 2⁴⁰, then spans any τ² a real problem has, whatever the unit.
    let c2 = v.reduce(0, +) / Double(v.count)
    let c = c2.squareRoot()
    let ys = y.map { $0 / c }, vs = v.map { $0 / c2 }
    let model = LinearModel()
    var failure: ModelError?
    var atCap = false
    let scaled = BetweenUnitVariance.root { t2 in
      let w = vs.map { 1 / ($0 + t2) }
      do throws(ModelError) {
        let f = try model.fit(design, response: ys, weights: w)
        var score = 0.0
        for i in 0..<y.count {
          score += w[i] * w[i] * f.residuals[i] * f.residuals[i] - w[i] * (1 - f.leverage[i])
        }
        if t2 >= Self.cap, score > 0 { atCap = true }
        return score
      } catch {
        failure = error
        return -1
      }
    }
    if let failure { throw failure }
    // A score still rising at the bracket's end has no root within it:
    // the responses spread more than 2⁴⁰ times their own chance variance.
    if atCap {
      throw .invalidResponse("The between-unit variance τ² has no REML estimate below 2⁴⁰ times the mean sampling "
        + "variance: the values spread far more than their chance variance allows (a response on another scale than "
        + "the sampling variances?).")
    }
    return scaled * c2
  }

  /// The largest τ² (in units of the mean sampling variance) the bracket
  /// reaches: `BetweenUnitVariance.root` doubles from 1 while below 1e12.
  static let cap = 1_099_511_627_776.0
}
