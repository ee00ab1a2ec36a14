import Foundation
import PeerLensNumerics

/// Negative binomial (NB2, Var = μ + μ²/θ) regression with θ estimated by
/// maximum likelihood, alternating with IRLS as `MASS::glm.nb` does.
///
/// 1. Fit a Poisson GLM; estimate θ by Newton–Raphson on the profile
///    score given μ (`MASS::theta.ml`).
/// 2. Refit the GLM with θ fixed, re-estimate θ, and repeat until the
///    log-likelihood and θ both stop changing (relative `tolerance`).
///
/// If θ runs away (no over-dispersion), the fit stops and says so: a
/// Poisson model fits as well.
public struct NegativeBinomialModel: Sendable {
  public var link: Link
  public var tolerance: Double
  public var maxIterations: Int
  /// θ above this is treated as infinite (no over-dispersion).
  public var thetaLimit: Double

  public init(link: Link = .log, tolerance: Double = 1e-10, maxIterations: Int = 100, thetaLimit: Double = 1e7) {
    self.link = link
    self.tolerance = tolerance
    self.maxIterations = maxIterations
    self.thetaLimit = thetaLimit
  }

  /// - Parameters:
  ///   - start: coefficients and θ to start from instead of a Poisson fit:
  ///     a leave-one-out refit starts from the full fit, which is within a
  ///     step or two of its own maximum. The maximum reached is the same
  ///     (to the convergence tolerance); only the way there is shorter.
  ///   - details: `false` skips the null deviance, the covariance, the
  ///     leverages and θ's standard error, which a refit used only for its
  ///     predictions does not need.
  public func fit(_ design: DesignMatrix, response y: [Double], weights: [Double]? = nil,
                  offset: [Double]? = nil, start: (coefficients: [Double], theta: Double)? = nil,
                  details: Bool = true) throws(ModelError) -> GLMFit {
    let n = y.count
    // Checked here, before the Poisson fit that starts θ's search would
    // refuse the row in its own family's name.
    if let bad = y.firstIndex(where: { $0 < 0 }) {
      throw .invalidValue(row: bad, input: .response, value: y[bad],
                          expected: "a count of zero or more (the negative binomial family models counts)")
    }
    let w = weights ?? [Double](repeating: 1, count: n)
    let poisson = GeneralizedLinearModel(family: .poisson, link: link, tolerance: tolerance, maxIterations: maxIterations)
    var fit: GLMFit
    var mu: [Double], beta: [Double]
    let off = offset ?? [Double](repeating: 0, count: n)
    var theta: Double, runaway: Bool
    /// Scales the log-likelihood's change in the convergence test (MASS's `d1`).
    var residualDF: Int
    if let start, start.coefficients.count == design.columns, start.theta.isFinite, start.theta > 0 {
      // The checks the Poisson fit would have made, then μ at the start.
      _ = try poisson.checked(design, response: .values(y), weights: weights, offset: offset)
      beta = start.coefficients
      let eta = design.matrix.multiplied(by: beta)
      mu = (0..<n).map { link.inverse(eta[$0] + off[$0]) }
      // θ is re-estimated after the first IRLS steps below, at this fit's μ.
      (theta, runaway) = (start.theta, false)
      residualDF = w.filter { $0 > 0 }.count - design.columns
    } else {
      fit = try poisson.fit(design, response: .values(y), weights: weights, offset: offset, nullDeviance: false)
      mu = fit.fittedValues
      beta = fit.coefficients.map { $0 ?? 0 }
      (theta, runaway) = Self.thetaML(y: y, mu: mu, w: w, limit: maxIterations, thetaLimit: thetaLimit)
      residualDF = fit.residualDegreesOfFreedom
    }
    if runaway {
      fit = try poisson.fit(design, response: .values(y), weights: weights, offset: offset, nullDeviance: details)
      return fit.withTheta(theta: .infinity, se: nil, iterations: 0,
                           extra: [.thetaVeryLarge(theta: theta)])
    }
    // θ given μ to full precision for a reported fit (the default 1e-10);
    // a looser fit (a leave-one-out refit at R's 1e-8) needs three digits
    // below its own tolerance, and is spared the last Newton steps.
    let thetaPrecision = tolerance <= 1e-10 ? 1e-13 : tolerance * 1e-3
    var loglik = Self.logLikelihood(theta: theta, mu: mu, y: y, w: w)
    let d1 = (2 * Double(max(1, residualDF))).squareRoot()
    var lm0 = loglik + 2 * d1
    var del = 1.0
    var outer = 0
    var extra: [ModelDiagnostic] = []
    // The alternation converges linearly, so a step below the tolerance
    // leaves more than that still to go: a reported fit (the default 1e-10)
    // stopped with coefficients good to about eight digits against R's
    // glm.nb and a 40-digit fit. It goes on to steps below 1e-13; a looser
    // fit (a refit for its predictions) stops at its own tolerance.
    // Rounding in the log-likelihood sets a floor under the change, so
    // past the tolerance the steps go on only while they still shrink,
    // thirty at most.
    let outerTolerance = details && tolerance <= 1e-10 ? 1e-13 : tolerance
    var settled = false, lastChange = Double.infinity, beyond = 0
    while outer < maxIterations {
      let change = abs(lm0 - loglik) / d1 + abs(del) / max(1, abs(theta))
      if change <= outerTolerance { break }
      if change <= tolerance {
        if settled && (change >= lastChange || beyond >= 30) { break }
        settled = true
        beyond += 1
      }
      lastChange = change
      outer += 1
      // Two IRLS steps per θ update: the alternation reaches the same joint
      // maximum (β solves its score equations given θ and θ given μ) with
      // far fewer steps than fitting β to convergence for every θ; the
      // final fit below converges β fully at the final θ.
      // The response, weights and offset were checked by the Poisson fit,
      // so the steps go straight to IRLS.
      let spec = GeneralizedLinearModel(family: .negativeBinomial(theta: theta), link: link,
                                        tolerance: min(tolerance, 1e-12), maxIterations: 2)
      let step = try spec.irls(design, y: y, priorWeights: w, offset: off, start: beta, details: false)
      beta = step.coefficients.map { $0 ?? 0 }
      mu = step.mu
      let t0 = theta
      let estimate = Self.thetaML(y: y, mu: mu, w: w, limit: maxIterations, thetaLimit: thetaLimit, start: theta,
                                  precision: thetaPrecision)
      if estimate.runaway {
        extra.append(.thetaVeryLarge(theta: estimate.theta))
        theta = estimate.theta
        break
      }
      theta = estimate.theta
      del = t0 - theta
      lm0 = loglik
      loglik = Self.logLikelihood(theta: theta, mu: mu, y: y, w: w)
    }
    // Final GLM at the final θ so that everything reported is consistent:
    // to 1e-12 for a reported fit; a refit for its predictions only
    // (`details` false) stops at its own tolerance, as its θ did.
    let spec = GeneralizedLinearModel(family: .negativeBinomial(theta: theta), link: link,
                                      tolerance: details ? min(tolerance, 1e-12) : tolerance, maxIterations: maxIterations)
    fit = try spec.fit(design, response: .values(y), weights: weights, offset: offset, start: beta,
                       nullDeviance: details)
    if outer >= maxIterations && !settled { extra.append(.didNotConverge(iterations: outer)) }
    let se = details ? Self.massStandardError(y: y, mu: fit.fittedValues, w: w, limit: maxIterations) : nil
    return fit.withTheta(theta: theta, se: se, iterations: outer, extra: extra)
  }

  // MARK: - θ given μ (MASS::theta.ml)

  /// The profile score for θ given μ and the observed information, in
  /// one pass (they share ψ(θ + y) and ψ′(θ + y)'s argument and μ + θ).
  static func scoreAndInformation(theta th: Double, mu: [Double], y: [Double], w: [Double])
    -> (score: Double, information: Double) {
    let common = -SpecialFunctions.digamma(th) + log(th) + 1
    let commonInfo = SpecialFunctions.trigamma(th) - 1 / th
    var s = 0.0, info = 0.0
    for i in y.indices where w[i] > 0 {
      let yt = y[i] + th, mt = mu[i] + th
      s += w[i] * (SpecialFunctions.digamma(yt) + common - log(mt) - yt / mt)
      info += w[i] * (-SpecialFunctions.trigamma(yt) + commonInfo + 2 / mt - yt / (mt * mt))
    }
    return (s, info)
  }

  /// Newton–Raphson for θ, started from the moment estimate
  /// `n / Σ w (y/μ − 1)²` (or `start`), until a step is below `precision`
  /// relative (full precision by default).
  static func thetaML(y: [Double], mu: [Double], w: [Double], limit: Int, thetaLimit: Double,
                      start: Double? = nil, precision: Double = 1e-13) -> (theta: Double, runaway: Bool) {
    let n = w.reduce(0, +)
    var t0 = start ?? n / zip(zip(y, mu), w).reduce(0.0) { acc, e in
      let r = e.0.0 / e.0.1 - 1
      return acc + e.1 * r * r
    }
    if !t0.isFinite || t0 <= 0 { t0 = 1 }
    for _ in 0..<max(limit, 200) {
      t0 = abs(t0)
      let (sc, info) = scoreAndInformation(theta: t0, mu: mu, y: y, w: w)
      var del = sc / info
      if !(info > 0) || !del.isFinite {
        // Outside the region where Newton is safe: move geometrically.
        del = sc > 0 ? t0 : -t0 / 2
      }
      var next = t0 + del
      if next <= 0 { next = t0 / 2 }
      if next > thetaLimit { return (next, true) }
      let change = abs(next - t0)
      t0 = next
      if change <= precision * max(1, t0) { break }
    }
    return (t0, false)
  }

  /// θ's standard error by MASS's convention, so that it agrees with
  /// `glm.nb`: `theta.ml` stops Newton–Raphson once a step is below
  /// ε^¼ ≈ 1.2e-4 and reports `1/√info` at the iterate *before* that last
  /// step. At the exact MLE the value differs in the sixth digit or so;
  /// R's is the one users compare with.
  static func massStandardError(y: [Double], mu: [Double], w: [Double], limit: Int) -> Double? {
    let eps = pow(Double.ulpOfOne, 0.25)
    let n = w.reduce(0, +)
    var t0 = n / zip(zip(y, mu), w).reduce(0.0) { acc, e in
      let r = e.0.0 / e.0.1 - 1
      return acc + e.1 * r * r
    }
    var info = Double.nan
    var del = 1.0
    var it = 0
    while it + 1 < max(limit, 25) && abs(del) > eps {
      it += 1
      t0 = abs(t0)
      let (sc, i) = scoreAndInformation(theta: t0, mu: mu, y: y, w: w)
      info = i
      del = sc / info
      t0 += del
    }
    return info > 0 ? (1 / info).squareRoot() : nil
  }

  /// The NB2 log-likelihood (MASS `glm.nb`'s `loglik`).
  static func logLikelihood(theta th: Double, mu: [Double], y: [Double], w: [Double]) -> Double {
    GLMFamily.negativeBinomial(theta: th).logLikelihood(y: y, mu: mu, weights: w, deviance: 0) ?? .nan
  }
}

extension GLMFit {
  /// A copy carrying θ, its standard error and extra diagnostics.
  func withTheta(theta: Double, se: Double?, iterations outer: Int, extra: [ModelDiagnostic]) -> GLMFit {
    GLMFit(
      family: family, link: link, design: design, y: y, priorWeights: priorWeights, offset: offset,
      coefficients: coefficients, aliased: aliased, rank: rank, linearPredictor: linearPredictor,
      fittedValues: fittedValues, deviance: deviance, nullDeviance: nullDeviance, iterations: self.iterations,
      converged: converged && !extra.contains { if case .didNotConverge = $0 { return true } else { return false } },
      boundary: boundary, workingWeights: workingWeights, unscaledCovariance: unscaledCovariance,
      leverage: leverage, conditionNumber: conditionNumber, diagnostics: diagnostics + extra, theta: theta,
      thetaStandardError: se, thetaIterations: outer)
  }
}
