import Foundation
import PeerLensNumerics

/// An exponential-family error distribution (or quasi-likelihood) with
/// what IRLS needs: variance function, deviance residuals, starting
/// values, validity checks and the log-likelihood (R's `family` objects).
public enum GLMFamily: Sendable, Equatable {
  case gaussian
  case poisson
  case quasiPoisson
  case binomial
  case quasiBinomial
  /// NB2 with a fixed θ: Var(Y) = μ + μ²/θ (MASS `negative.binomial(theta)`).
  case negativeBinomial(theta: Double)

  /// The family's name as R prints it.
  public var name: String {
    switch self {
    case .gaussian: return "gaussian"
    case .poisson: return "poisson"
    case .quasiPoisson: return "quasipoisson"
    case .binomial: return "binomial"
    case .quasiBinomial: return "quasibinomial"
    case .negativeBinomial: return "negative-binomial"
    }
  }

  public var canonicalLink: Link {
    switch self {
    case .gaussian: return .identity
    case .poisson, .quasiPoisson, .negativeBinomial: return .log
    case .binomial, .quasiBinomial: return .logit
    }
  }

  /// Whether the dispersion is estimated (Pearson χ²/df) rather than fixed at 1.
  public var estimatesDispersion: Bool {
    switch self {
    case .gaussian, .quasiPoisson, .quasiBinomial: return true
    default: return false
    }
  }

  /// Quasi families have no likelihood (R reports AIC as NA).
  public var hasLikelihood: Bool { self != .quasiPoisson && self != .quasiBinomial }

  var isCount: Bool {
    switch self {
    case .poisson, .quasiPoisson, .negativeBinomial: return true
    default: return false
    }
  }

  var isBinomial: Bool { self == .binomial || self == .quasiBinomial }

  public func variance(_ mu: Double) -> Double {
    switch self {
    case .gaussian: return 1
    case .poisson, .quasiPoisson: return mu
    case .binomial, .quasiBinomial: return mu * (1 - mu)
    case .negativeBinomial(let theta): return mu + mu * mu / theta
    }
  }

  public func validMu(_ mu: Double) -> Bool {
    switch self {
    case .gaussian: return mu.isFinite
    case .poisson, .quasiPoisson, .negativeBinomial: return mu.isFinite && mu > 0
    case .binomial, .quasiBinomial: return mu.isFinite && mu > 0 && mu < 1
    }
  }

  /// Unit deviance contribution `wᵢ d(yᵢ, μᵢ)`.
  public func devianceResidual(_ y: Double, _ mu: Double, _ w: Double) -> Double {
    func ylogy(_ y: Double, _ mu: Double) -> Double { y > 0 ? y * log(y / mu) : 0 }
    switch self {
    case .gaussian: return w * (y - mu) * (y - mu)
    case .poisson, .quasiPoisson:
      return 2 * w * (ylogy(y, mu) - (y - mu))
    case .binomial, .quasiBinomial:
      return 2 * w * (ylogy(y, mu) + ylogy(1 - y, 1 - mu))
    case .negativeBinomial(let theta):
      return 2 * w * (y * log(max(1, y) / mu) - (y + theta) * log((y + theta) / (mu + theta)))
    }
  }

  /// R's `mustart` initialisation.
  func startingMu(_ y: Double, _ w: Double) -> Double {
    switch self {
    case .gaussian: return y
    case .poisson, .quasiPoisson: return y + 0.1
    case .binomial, .quasiBinomial: return (w * y + 0.5) / (w + 1)
    case .negativeBinomial: return y + (y == 0 ? 1.0 / 6 : 0)
    }
  }

  /// The log-likelihood at μ. For the binomial, `w` are the trials × prior
  /// weights and `y` the proportion, as in R's `binomial()$aic`. For the
  /// Gaussian, `deviance` gives the ML variance.
  func logLikelihood(y: [Double], mu: [Double], weights w: [Double], deviance: Double) -> Double? {
    switch self {
    case .quasiPoisson, .quasiBinomial: return nil
    case .gaussian:
      let used = (0..<y.count).filter { w[$0] > 0 }
      let n = Double(used.count)
      let sumLogW = used.reduce(0.0) { $0 + log(w[$1]) }
      return -0.5 * (n * (log(2 * Double.pi * deviance / n) + 1) - sumLogW)
    case .poisson:
      var s = 0.0
      for i in y.indices where w[i] > 0 { s += w[i] * SpecialFunctions.logPoissonDensityRaw(y[i].rounded(), mu[i]) }
      return s
    case .binomial:
      var s = 0.0
      for i in y.indices where w[i] > 0 {
        let m = w[i]
        // R: (m > 0) * (wt/m) * dbinom(round(m*y), round(m), mu, log = TRUE), with wt = m here.
        let k = (m * y[i]).rounded(), size = m.rounded()
        s += SpecialFunctions.logBinomialDensityRaw(k, size, mu[i], 1 - mu[i])
      }
      return s
    case .negativeBinomial(let theta):
      var s = 0.0
      // θ's own terms once, not per row (the same values: a loop θ estimation calls often).
      let lgammaTheta: Double = lgamma(theta), thetaLogTheta: Double = theta * log(theta)
      for i in y.indices where w[i] > 0 {
        let yi = y[i], m = mu[i]
        let term1: Double = lgamma(theta + yi) - lgammaTheta - lgamma(yi + 1)
        let term2: Double = thetaLogTheta + yi * log(m + (yi == 0 ? 1 : 0)) - (theta + yi) * log(theta + m)
        s += w[i] * (term1 + term2)
      }
      return s
    }
  }
}
