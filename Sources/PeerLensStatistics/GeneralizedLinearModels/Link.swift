import Foundation
import PeerLensNumerics

/// A link function g with μ = g⁻¹(η), as R's `make.link` defines them,
/// including R's clamping of μ away from the boundary, so that fits agree
/// with R's to the last digits.
public enum Link: String, Sendable, CaseIterable, Codable {
  case identity, log, logit, probit, cloglog, inverse, sqrt

  static let eps = Double.ulpOfOne

  public func link(_ mu: Double) -> Double {
    switch self {
    case .identity: return mu
    case .log: return Foundation.log(mu)
    case .logit: return Foundation.log(mu / (1 - mu))
    case .probit: return Normal.standard.quantile(mu)
    case .cloglog: return Foundation.log(-Foundation.log1p(-mu))
    case .inverse: return 1 / mu
    case .sqrt: return mu.squareRoot()
    }
  }

  public func inverse(_ eta: Double) -> Double {
    switch self {
    case .identity: return eta
    case .log: return max(exp(eta), Link.eps)
    case .logit:
      // R's C logit_linkinv: thresholds at ±30.
      let t = eta < -30 ? Link.eps : (eta > 30 ? 1 / Link.eps : exp(eta))
      return t / (1 + t)
    case .probit:
      let thresh = -Normal.standard.quantile(Link.eps)
      return Normal.standard.cdf(min(max(eta, -thresh), thresh))
    case .cloglog: return max(min(-expm1(-exp(eta)), 1 - Link.eps), Link.eps)
    case .inverse: return 1 / eta
    case .sqrt: return eta * eta
    }
  }

  /// dμ/dη.
  public func muEta(_ eta: Double) -> Double {
    switch self {
    case .identity: return 1
    case .log: return max(exp(eta), Link.eps)
    case .logit:
      let opexp = 1 + exp(eta)
      return (eta > 30 || eta < -30) ? Link.eps : exp(eta) / (opexp * opexp)
    case .probit: return max(Normal.standard.pdf(eta), Link.eps)
    case .cloglog:
      let e = min(eta, 700)
      return max(exp(e) * exp(-exp(e)), Link.eps)
    case .inverse: return -1 / (eta * eta)
    case .sqrt: return 2 * eta
    }
  }

  public var validEta: (Double) -> Bool {
    switch self {
    case .inverse: return { $0 != 0 && $0.isFinite }
    case .sqrt: return { $0 > 0 && $0.isFinite }
    default: return { $0.isFinite }
    }
  }
}
