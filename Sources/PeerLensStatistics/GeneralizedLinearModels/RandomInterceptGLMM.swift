import Foundation
import PeerLensNumerics

/// A generalized linear mixed model with one random intercept per group
/// (issue 17.6): binomial (logit) or negative binomial (log, θ by maximum
/// likelihood), fitted by maximum likelihood of the Laplace approximation,
/// as `lme4::glmer(..., nAGQ = 1)` and `lme4::glmer.nb` fit it.
///
/// yᵢⱼ | uᵢ follows the family with linear predictor xᵢⱼβ + offsetᵢⱼ + uᵢ,
/// and uᵢ ~ N(0, σ²). Group i's marginal likelihood ∫ ∏ⱼ p(yᵢⱼ | u) φ(u; σ) du
/// is replaced by the Laplace approximation at the mode ûᵢ of
/// h(u) = Σⱼ log p(yᵢⱼ | u) − u²/(2σ²):
///
///     log Lᵢ ≈ h(ûᵢ) − ½ log σ² − ½ log(Σⱼ wⱼ + 1/σ²),
///
/// with wⱼ the IRLS weights at the mode (the expected information), as
/// lme4 computes it; for the binomial's logit link this is −h″(ûᵢ).
///
/// Why: over several years an authority's figures share something that
/// context does not explain. A random intercept separates an authority
/// that sits above expectation year after year (a large ûᵢ, shrunk by how
/// many years and how many children stand behind it) from a one-year blip,
/// which the year's own residual carries instead.
///
/// The outer maximisation is Newton's method over (β, log σ, log θ) with
/// central-difference derivatives of the approximate log-likelihood (the
/// parameters are few; each evaluation solves every group's mode by
/// Newton's method in one dimension), damped until the Hessian of the
/// negated log-likelihood has a Cholesky factor (LAPACK), with step
/// halving.
public struct RandomInterceptGLMM: Sendable {
  public enum Family: String, Sendable { case binomial, negativeBinomial = "negative-binomial" }

  /// The fitted model: an immutable value.
  public struct Fit: Sendable {
    public let family: Family
    public let coefficients: [Double]
    /// σ, the random intercepts' standard deviation (lme4's `sdcor`).
    public let standardDeviation: Double
    /// θ of the negative binomial (nil for the binomial).
    public let theta: Double?
    /// The Laplace-approximated log-likelihood, with every constant of the
    /// family's density (comparable with `logLik` of `glmer`).
    public let logLikelihood: Double
    /// Each group's conditional mode ûᵢ (the random intercept's estimate).
    public let randomEffects: [Double]
    /// Each ûᵢ's approximate standard error, 1/√(Σⱼ wⱼ + 1/σ²).
    public let randomEffectStandardErrors: [Double]
    public let iterations: Int
    public let converged: Bool
  }

  public let family: Family

  public init(family: Family) { self.family = family }

  /// One observation: row of the design, group, response and its size
  /// (trials for the binomial) or offset (log exposure for the negative
  /// binomial).
  struct Data {
    let x: Matrix
    let group: [Int]
    let groups: Int
    let y: [Double]
    let trials: [Double]
    let offset: [Double]
    let members: [[Int]]
    /// Σ of the density's constants (log binomial coefficients; −log y! for
    /// the negative binomial), which do not depend on the parameters.
    let constant: Double
  }

  /// Fits the model.
  /// - Parameters:
  ///   - design: fixed-effects design (n × p, with its intercept column).
  ///   - groups: each row's group, 0..<G.
  ///   - response: successes (binomial) or counts (negative binomial).
  ///   - trials: binomial trials per row (ignored for the negative binomial).
  ///   - offset: the linear predictor's offset (log exposure), or nil.
  public func fit(design: Matrix, groups: [Int], response: [Double], trials: [Double]? = nil,
                  offset: [Double]? = nil) throws -> Fit {
    let n = design.rows, p = design.columns
    guard groups.count == n, response.count == n, n > p, let g = groups.max(), groups.allSatisfy({ $0 >= 0 }) else {
      throw ModelError.invalidResponse("A random-intercept model needs one group and one response per row, and more rows than terms.")
    }
    if family == .binomial {
      guard let t = trials, t.count == n, zip(response, t).allSatisfy({ $0 >= 0 && $0 <= $1 }) else {
        throw ModelError.invalidResponse("A binomial random-intercept model needs trials per row, with 0 ≤ successes ≤ trials.")
      }
    } else if !response.allSatisfy({ $0 >= 0 }) {
      throw ModelError.invalidResponse("Counts for a negative binomial model cannot be negative.")
    }
    var members = [[Int]](repeating: [], count: g + 1)
    for (i, k) in groups.enumerated() { members[k].append(i) }
    let t = trials ?? [Double](repeating: 1, count: n)
    var constant = 0.0
    for i in 0..<n {
      constant += family == .binomial
        ? lgamma(t[i] + 1) - lgamma(response[i] + 1) - lgamma(t[i] - response[i] + 1) : -lgamma(response[i] + 1)
    }
    let data = Data(x: design, group: groups, groups: g + 1, y: response, trials: t,
                    offset: offset ?? [Double](repeating: 0, count: n), members: members, constant: constant)

    // Start: the GLM without random effects for β, σ = 0.5, θ from that fit.
    let dm = DesignMatrix(matrix: design, columnNames: (0..<p).map { "x\($0)" }, hasIntercept: true)
    let glm: GLMFit
    if family == .binomial {
      glm = try GeneralizedLinearModel(family: .binomial).fit(
        dm, response: .binomial(successes: response, failures: zip(t, response).map { $0 - $1 }), offset: offset)
    } else {
      glm = try NegativeBinomialModel().fit(dm, response: response, offset: offset)
    }
    var psi = glm.coefficients.map { $0 ?? 0 } + [log(0.5)]
    if family == .negativeBinomial { psi.append(log(min(max(glm.theta ?? 10, 1e-3), 1e6))) }

    func objective(_ q: [Double]) -> Double { -logLikelihood(q, data).value }
    var f = objective(psi)
    var converged = false
    var iterations = 0
    for it in 1...200 {
      iterations = it
      let (grad, hess) = Self.derivatives(objective, at: psi, f0: f)
      if grad.map(abs).max() ?? 0 < 1e-6 { converged = true; break }
      // Newton direction on the negated log-likelihood, damped to a
      // positive definite Hessian.
      var lambda = 0.0, direction: [Double]? = nil
      for _ in 0..<30 {
        var h = hess
        for k in 0..<h.rows { h[k, k] += lambda }
        if let c = try? Cholesky(h), let d = try? c.solve(grad.map { -$0 }) { direction = d; break }
        lambda = max(lambda * 10, 1e-6)
      }
      guard var d = direction else { break }
      var improved = false
      for _ in 0..<40 {
        let trial = zip(psi, d).map { $0 + $1 }
        let ft = objective(trial)
        if ft.isFinite && ft <= f + 1e-12 {
          let step = d.map(abs).max() ?? 0
          psi = trial
          let change = f - ft
          f = ft
          improved = true
          if step < 1e-10 || (change < 1e-13 && step < 1e-7) { converged = true }
          break
        }
        d = d.map { $0 / 2 }
      }
      if !improved || converged { converged = converged || grad.map(abs).max()! < 1e-4; break }
    }
    let final = logLikelihood(psi, data)
    return Fit(family: family, coefficients: Array(psi[0..<p]), standardDeviation: exp(psi[p]),
               theta: family == .negativeBinomial ? exp(psi[p + 1]) : nil, logLikelihood: final.value,
               randomEffects: final.modes, randomEffectStandardErrors: final.curvatures.map { 1 / $0.squareRoot() },
               iterations: iterations, converged: converged)
  }

  /// The Laplace log-likelihood at ψ = (β, log σ, [log θ]), with each
  /// group's mode and −h″ there.
  func logLikelihood(_ psi: [Double], _ d: Data) -> (value: Double, modes: [Double], curvatures: [Double]) {
    let p = d.x.columns
    let beta = Array(psi[0..<p])
    let sigma2 = exp(2 * psi[p])
    let theta = family == .negativeBinomial ? exp(psi[p + 1]) : 0
    var eta = d.offset
    for i in 0..<d.x.rows { for k in 0..<p { eta[i] += d.x[i, k] * beta[k] } }
    var total = d.constant
    var modes = [Double](repeating: 0, count: d.groups), curv = modes
    for gi in 0..<d.groups where !d.members[gi].isEmpty {
      let rows = d.members[gi]
      var u = 0.0
      var value = 0.0, second = 0.0
      for _ in 0..<100 {
        var h = -u * u / (2 * sigma2), h1 = -u / sigma2, h2 = -1 / sigma2
        for i in rows {
          let (l, l1, l2) = term(eta[i] + u, y: d.y[i], trials: d.trials[i], theta: theta)
          h += l; h1 += l1; h2 += l2
        }
        value = h; second = h2
        let step = -h1 / h2
        u += max(-5, min(5, step))
        if abs(step) < 1e-12 * max(1, abs(u)) { break }
      }
      // The value at the final u, and the curvature in lme4's form: the
      // expected information Σ wⱼ + 1/σ² (the IRLS weights), which equals
      // the observed −h″ for the binomial's canonical logit link. For the
      // negative binomial's log link it differs slightly (the observed
      // curvature moved the intercept by 0.007 and the log-likelihood by
      // 0.013 against glmer.nb on the fixture).
      var h = -u * u / (2 * sigma2), h2 = -1 / sigma2
      for i in rows {
        let (l, _, l2) = term(eta[i] + u, y: d.y[i], trials: d.trials[i], theta: theta)
        h += l
        if family == .negativeBinomial {
          let mu = exp(eta[i] + u)
          h2 -= theta * mu / (theta + mu)
        } else {
          h2 += l2
        }
      }
      value = h; second = h2
      modes[gi] = u
      curv[gi] = -second
      total += value - 0.5 * log(sigma2) - 0.5 * log(-second)
    }
    return (total, modes, curv)
  }

  /// One observation's log density (without its constant) and its first
  /// two derivatives in the linear predictor.
  @inline(__always)
  func term(_ eta: Double, y: Double, trials n: Double, theta: Double) -> (Double, Double, Double) {
    switch family {
    case .binomial:
      // y η − n log(1 + e^η), computed stably.
      let softplus = eta > 0 ? eta + log1p(exp(-eta)) : log1p(exp(eta))
      let prob = 1 / (1 + exp(-eta))
      return (y * eta - n * softplus, y - n * prob, -n * prob * (1 - prob))
    case .negativeBinomial:
      let mu = exp(eta)
      let l = lgamma(y + theta) - lgamma(theta) + theta * (log(theta) - log(theta + mu)) + y * (eta - log(theta + mu))
      return (l, theta * (y - mu) / (theta + mu), -theta * mu * (y + theta) / ((theta + mu) * (theta + mu)))
    }
  }

  /// Central-difference gradient and Hessian of `f` at `x`.
  static func derivatives(_ f: ([Double]) -> Double, at x: [Double], f0: Double) -> ([Double], Matrix) {
    let m = x.count
    let h = x.map { 1e-4 * max(1, abs($0)) }
    var grad = [Double](repeating: 0, count: m)
    var hess = Matrix(rows: m, columns: m)
    var plus = [Double](repeating: 0, count: m), minus = plus
    for i in 0..<m {
      var a = x, b = x
      a[i] += h[i]; b[i] -= h[i]
      plus[i] = f(a); minus[i] = f(b)
      grad[i] = (plus[i] - minus[i]) / (2 * h[i])
      hess[i, i] = (plus[i] - 2 * f0 + minus[i]) / (h[i] * h[i])
    }
    for i in 0..<m {
      for j in (i + 1)..<m {
        var pp = x, pm = x, mp = x, mm = x
        pp[i] += h[i]; pp[j] += h[j]
        pm[i] += h[i]; pm[j] -= h[j]
        mp[i] -= h[i]; mp[j] += h[j]
        mm[i] -= h[i]; mm[j] -= h[j]
        let v = (f(pp) - f(pm) - f(mp) + f(mm)) / (4 * h[i] * h[j])
        hess[i, j] = v
        hess[j, i] = v
      }
    }
    return (grad, hess)
  }
}
