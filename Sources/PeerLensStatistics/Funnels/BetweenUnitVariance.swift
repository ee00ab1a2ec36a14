import Foundation

/// Estimators of the between-unit variance τ² of a random-effects model
/// yᵢ ~ N(μ, vᵢ + τ²) with known sampling variances vᵢ (issue 17.1).
///
/// DerSimonian–Laird is the method of moments that funnel plots have used;
/// it is known to understate heavy heterogeneity. REML and Paule–Mandel
/// are the estimators recommended in the meta-analysis literature
/// (Veroniki et al. 2016) and asked for by FunnelPlotR's users (its #32).
public enum BetweenUnitVariance: String, Sendable, CaseIterable, Codable {
  case dl, reml, pm

  public var name: String {
    switch self {
    case .dl: return "DerSimonian–Laird"
    case .reml: return "REML"
    case .pm: return "Paule–Mandel"
    }
  }

  /// τ² for effects `y` with sampling variances `v` (all positive), the
  /// mean estimated by weighted least squares. Roots are found by
  /// bisection to full double precision, so results agree with an
  /// independent computation to about 1e-12.
  public func estimate(y: [Double], v: [Double]) -> Double {
    precondition(y.count == v.count && y.count >= 2 && v.allSatisfy { $0 > 0 })
    let k = Double(y.count)
    func weighted(_ t2: Double) -> (w: [Double], mu: Double) {
      let w = v.map { 1 / ($0 + t2) }
      let sw = w.reduce(0, +)
      let mu = zip(w, y).reduce(0) { $0 + $1.0 * $1.1 } / sw
      return (w, mu)
    }
    switch self {
    case .dl:
      let (w, mu) = weighted(0)
      let q = zip(w, y).reduce(0) { $0 + $1.0 * ($1.1 - mu) * ($1.1 - mu) }
      let sw = w.reduce(0, +), sw2 = w.reduce(0) { $0 + $1 * $1 }
      return max(0, (q - (k - 1)) / (sw - sw2 / sw))
    case .pm:
      // Generalised Q(τ²) = Σ wᵢ(yᵢ − μ̂)² equals k − 1; Q decreases in τ².
      return Self.root { t2 in
        let (w, mu) = weighted(t2)
        return zip(w, y).reduce(0) { $0 + $1.0 * ($1.1 - mu) * ($1.1 - mu) } - (k - 1)
      }
    case .reml:
      // Score of the restricted likelihood:
      // Σ wᵢ²(yᵢ − μ̂)² − Σ wᵢ + Σ wᵢ² / Σ wᵢ = 0.
      return Self.root { t2 in
        let (w, mu) = weighted(t2)
        let sw = w.reduce(0, +), sw2 = w.reduce(0) { $0 + $1 * $1 }
        return zip(w, y).reduce(0) { $0 + $1.0 * $1.0 * ($1.1 - mu) * ($1.1 - mu) } - sw + sw2 / sw
      }
    }
  }

  /// The root in τ² ≥ 0 of a function positive below it and negative
  /// above (0 when it is not positive at 0).
  static func root(_ f: (Double) -> Double) -> Double {
    guard f(0) > 0 else { return 0 }
    var lo = 0.0, hi = 1.0
    while f(hi) > 0 && hi < 1e12 { lo = hi; hi *= 2 }
    for _ in 0..<200 {
      let mid = (lo + hi) / 2
      if mid == lo || mid == hi { break }
      if f(mid) > 0 { lo = mid } else { hi = mid }
    }
    return (lo + hi) / 2
  }
}
