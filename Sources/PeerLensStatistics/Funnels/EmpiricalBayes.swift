import Foundation

/// Empirical-Bayes shrinkage so that very small units (Isles of Scilly,
/// City of London, Rutland) do not dominate lists of extremes.
///
/// - Rates (gamma–Poisson): xᵢ ~ Poisson(nᵢλᵢ), λᵢ ~ Gamma(α, β). Moments
///   as Clayton and Kaldor (1987): mean m = Σx/Σn, between-unit variance
///   v = Σnᵢ(rᵢ − m)²/Σn − m/n̄; then β = m/v, α = mβ, and the shrunk rate
///   is (xᵢ + α)/(nᵢ + β).
/// - Proportions (beta–binomial): p = Σx/Σn, v = Σnᵢ(pᵢ − p)²/Σn −
///   p(1 − p)/n̄; α + β = p(1 − p)/v − 1; the shrunk proportion is
///   (xᵢ + α)/(nᵢ + α + β).
///
/// With no between-unit variance beyond chance (v ≤ 0) every unit shrinks
/// to the overall mean, which is the honest answer.
public enum EmpiricalBayes {
  public struct Result: Sendable {
    public let shrunk: [Double]
    /// Prior parameters (α, β); β = ∞ when there is no between-unit variance.
    public let alpha: Double
    public let beta: Double
    public let betweenVariance: Double
  }

  public static func gammaPoisson(counts x: [Double], exposures n: [Double]) -> Result {
    let sx = x.reduce(0, +), sn = n.reduce(0, +)
    let m = sx / sn
    let nbar = sn / Double(n.count)
    var s2 = 0.0
    for i in x.indices { let r = x[i] / n[i]; s2 += n[i] * (r - m) * (r - m) }
    let v = s2 / sn - m / nbar
    guard v > 0, m > 0 else {
      return Result(shrunk: x.map { _ in m }, alpha: .infinity, beta: .infinity, betweenVariance: max(v, 0))
    }
    let beta = m / v, alpha = m * beta
    return Result(shrunk: x.indices.map { (x[$0] + alpha) / (n[$0] + beta) }, alpha: alpha, beta: beta,
                  betweenVariance: v)
  }

  public static func betaBinomial(successes x: [Double], trials n: [Double]) -> Result {
    let sx = x.reduce(0, +), sn = n.reduce(0, +)
    let p = sx / sn
    let nbar = sn / Double(n.count)
    var s2 = 0.0
    for i in x.indices { let r = x[i] / n[i]; s2 += n[i] * (r - p) * (r - p) }
    let v = s2 / sn - p * (1 - p) / nbar
    guard v > 0, p > 0, p < 1 else {
      return Result(shrunk: x.map { _ in p }, alpha: .infinity, beta: .infinity, betweenVariance: max(v, 0))
    }
    let total = p * (1 - p) / v - 1
    guard total > 0 else { return Result(shrunk: x.indices.map { x[$0] / n[$0] }, alpha: 0, beta: 0, betweenVariance: v) }
    let a = p * total, b = (1 - p) * total
    return Result(shrunk: x.indices.map { (x[$0] + a) / (n[$0] + a + b) }, alpha: a, beta: b, betweenVariance: v)
  }
}
