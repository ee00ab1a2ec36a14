import Foundation
import PeerLensNumerics

/// Funnel limits from a distribution fitted to the data (issue 17.1):
/// predictive limits that are exact quantiles of a negative binomial
/// (rates of counts) or a beta-binomial (proportions), with the
/// over-dispersion parameter by maximum likelihood around the target.
///
/// Why: additive τ² by DerSimonian–Laird on winsorised z-scores
/// understates heavy over-dispersion, and normal approximations misplace
/// limits for small counts. FunnelPlotR's users asked for both (its #29).
public struct DistributionFunnel: Sendable {
  public enum Family: String, Sendable, CaseIterable, Codable {
    case negativeBinomial = "negative-binomial"
    case betaBinomial = "beta-binomial"
  }

  public let family: Family
  /// The target rate (per unit of exposure) or proportion.
  public let target: Double
  /// θ of the negative binomial (Var = μ + μ²/θ), or ρ, the intra-unit
  /// correlation of the beta-binomial (Var = nπ(1 − π)(1 + (n − 1)ρ)).
  public let parameter: Double
  public let numerators: [Double]
  public let denominators: [Double]

  /// Fits the over-dispersion parameter by ML with the mean fixed at the
  /// target (default Σx/Σn).
  public init(family: Family, numerators: [Double], denominators: [Double], target: Double? = nil) throws(FunnelError) {
    guard numerators.count == denominators.count, !numerators.isEmpty else { throw .empty }
    for i in numerators.indices {
      guard denominators[i] > 0, denominators[i].isFinite else { throw .nonPositiveDenominator(index: i) }
      guard numerators[i] >= 0, numerators[i].isFinite else { throw .negativeNumerator(index: i) }
      if family == .betaBinomial && numerators[i] > denominators[i] { throw .numeratorExceedsDenominator(index: i) }
    }
    let t = target ?? numerators.reduce(0, +) / denominators.reduce(0, +)
    if family == .betaBinomial { guard t > 0, t < 1 else { throw .degenerateTarget(t) } }
    self.family = family
    self.target = t
    self.numerators = numerators
    self.denominators = denominators
    let x = numerators, n = denominators
    switch family {
    case .negativeBinomial:
      // log-likelihood in log θ over [−7, 20]; θ → ∞ is the Poisson.
      func nll(_ lt: Double) -> Double {
        let th = exp(lt)
        var s = 0.0
        for i in x.indices {
          let mu = t * n[i]
          s -= lgamma(x[i] + th) - lgamma(th) + th * log(th / (th + mu)) + x[i] * log(mu / (th + mu))
        }
        return s
      }
      // The score in θ, Σ ψ(x+θ) − ψ(θ) − log(1 + μ/θ) + (μ − x)/(θ + μ).
      func score(_ lt: Double) -> Double {
        let th = exp(lt)
        var s = 0.0
        for i in x.indices {
          let mu = t * n[i]
          s += SpecialFunctions.digamma(x[i] + th) - SpecialFunctions.digamma(th) - log1p(mu / th) + (mu - x[i]) / (th + mu)
        }
        return s
      }
      parameter = exp(Self.scoreRoot(score, near: Self.goldenMinimum(nll, lower: -7, upper: 20)))
    case .betaBinomial:
      // log-likelihood in logit ρ over [−20, 10]; ρ → 0 is the binomial.
      func nll(_ lr: Double) -> Double {
        let rho = 1 / (1 + exp(-lr))
        let a = t * (1 - rho) / rho, b = (1 - t) * (1 - rho) / rho
        var s = 0.0
        for i in x.indices {
          s -= Self.lbeta(x[i] + a, n[i] - x[i] + b) - Self.lbeta(a, b)
        }
        return s
      }
      // The score in s = a + b = (1 − ρ)/ρ = e^(−logit ρ), whose sign is
      // opposite to the score in logit ρ; the root is the same.
      func score(_ lr: Double) -> Double {
        let sum = exp(-lr), a = t * sum, b = (1 - t) * sum
        let d = SpecialFunctions.digamma
        var s = 0.0
        for i in x.indices {
          s += t * (d(x[i] + a) - d(a)) + (1 - t) * (d(n[i] - x[i] + b) - d(b)) - (d(n[i] + sum) - d(sum))
        }
        return s
      }
      parameter = 1 / (1 + exp(-Self.scoreRoot(score, near: Self.goldenMinimum(nll, lower: -20, upper: 10))))
    }
  }

  static func lbeta(_ a: Double, _ b: Double) -> Double { lgamma(a) + lgamma(b) - lgamma(a + b) }

  /// The maximum to full precision: the root of the score, bisected in a
  /// bracket around the golden-section estimate.
  ///
  /// Why: golden section compares log-likelihoods, which change only in
  /// their sixteenth digit within about 1e-7 of the maximum, so θ and ρ
  /// were good to seven digits (seen: θ 9.44517242639417 against the ML
  /// 9.44516676683270 by 30-digit mpmath) and printed to seventeen. The
  /// score crosses zero there in plain view. Where it does not change sign
  /// across the bracket (the maximum at a bound: θ → ∞ is the Poisson,
  /// ρ → 0 the binomial) the golden-section estimate stands.
  static func scoreRoot(_ score: (Double) -> Double, near estimate: Double, width: Double = 1e-3) -> Double {
    var a = estimate - width, b = estimate + width
    var fa = score(a)
    let fb = score(b)
    guard fa.isFinite, fb.isFinite, (fa < 0) != (fb < 0), fa != 0, fb != 0 else { return estimate }
    for _ in 0..<80 {
      let m = (a + b) / 2
      guard m > a, m < b else { break }
      let fm = score(m)
      guard fm != 0 else { return m }
      if (fm < 0) == (fa < 0) { a = m; fa = fm } else { b = m }
    }
    return (a + b) / 2
  }

  static func goldenMinimum(_ f: (Double) -> Double, lower: Double, upper: Double, tolerance: Double = 1e-10) -> Double {
    var a = lower, b = upper
    let g = (5.0.squareRoot() - 1) / 2
    var c = b - g * (b - a), d = a + g * (b - a)
    var fc = f(c), fd = f(d)
    for _ in 0..<300 where b - a > tolerance {
      if fc < fd { b = d; d = c; fd = fc; c = b - g * (b - a); fc = f(c) } else {
        a = c; c = d; fc = fd; d = a + g * (b - a); fd = f(d)
      }
    }
    return (a + b) / 2
  }

  /// The predictive distribution's CDF at count k for a unit with denominator n.
  public func cdf(_ k: Double, denominator n: Double) -> Double {
    switch family {
    case .negativeBinomial:
      return NegativeBinomial(mean: target * n, theta: parameter).cdf(k)
    case .betaBinomial:
      let size = n.rounded()
      guard k >= 0 else { return 0 }
      if k >= size { return 1 }
      return min(betaBinomialWalk(size: size, tails: [], through: floor(k)).at, 1)
    }
  }

  /// One walk up the beta-binomial pmf, without storing it: the count
  /// limits for each tail probability (smallest k with F(k) ≥ tail, and
  /// with F(k) ≥ 1 − tail) and F(x − 1), F(x) at one count x (0 ≤ x < n;
  /// −1 for none).
  ///
  /// Why one walk: denominators run to millions (sessions of school
  /// absence), and the z-score, the flag at each level and the CDF each
  /// walked the pmf from zero (the CDF storing it): that was most of the
  /// national run's time for such an indicator. Each of them is the same
  /// additions in the same order, so the same numbers.
  ///
  /// Each term comes from the one before by their ratio, a division,
  /// rather than an exponential and two logarithms (the walk was still a
  /// sixth of the run's compute); on the log scale only while a term is
  /// below 1e-290. The two agree to about 1e-12 of F, far inside the error
  /// both share from the first term (lgamma of arguments in the millions,
  /// about 1e-10 of F against 40-digit arithmetic): z-scores move in the
  /// eighth decimal, limits and flags not at all on the national run.
  func betaBinomialWalk(size n: Double, tails: [Double], through x: Double)
    -> (limits: [(lower: Double, upper: Double)], before: Double, at: Double) {
    let a = target * (1 - parameter) / parameter, b = (1 - target) * (1 - parameter) / parameter
    var lp = Self.lbeta(a, n + b) - Self.lbeta(a, b)
    var cum = 0.0, before = 0.0, at = 0.0, j = 0.0
    var lower = [Double?](repeating: nil, count: tails.count)
    var upper = [Double?](repeating: nil, count: tails.count)
    var open = tails.count
    var term = exp(lp), lpCurrent = true
    while j < n && (open > 0 || j <= x) {
      let previous = cum
      cum += term
      if j == x { (before, at) = (previous, cum) }
      for k in tails.indices where upper[k] == nil {
        if lower[k] == nil && cum >= tails[k] { lower[k] = j }
        if cum >= 1 - tails[k] { upper[k] = j; lower[k] = lower[k] ?? j; open -= 1 }
      }
      // The next term from this one: by their ratio while the term is a
      // normal double, on the log scale while it is too small for that.
      let up = (n - j) * (j + a), down = (j + 1) * (n - j - 1 + b)
      if term > 1e-290 {
        term *= up / down
        lpCurrent = false
      } else {
        if !lpCurrent { lp = log(term); lpCurrent = true }
        lp += log(up) - log(down)
        term = exp(lp)
      }
      j += 1
    }
    let limits = tails.indices.map { k in upper[k].map { (lower: lower[k] ?? $0, upper: $0) } ?? (lower: lower[k] ?? n, upper: n) }
    return (limits, before, at)
  }

  /// Count limits (smallest k with F(k) ≥ tail, and with F(k) ≥ 1 − tail)
  /// at a two-sided level, for a unit with denominator n.
  public func countLimits(denominator n: Double, level: Double) -> (lower: Double, upper: Double) {
    let tail = (1 - level) / 2
    if family == .betaBinomial { return betaBinomialLimits(size: n.rounded(), levels: [level])[0] }
    func quantile(_ q: Double) -> Double {
      // Bracket, then bisect on integers.
      var hi = max(1, (target * n).rounded(.up))
      if family == .betaBinomial { hi = min(hi, n.rounded()) }
      while cdf(hi, denominator: n) < q {
        hi *= 2
        if family == .betaBinomial && hi >= n.rounded() { hi = n.rounded(); break }
      }
      var lo = -1.0
      while hi - lo > 1 {
        let mid = ((lo + hi) / 2).rounded(.down)
        if cdf(mid, denominator: n) >= q { hi = mid } else { lo = mid }
      }
      return hi
    }
    return (quantile(tail), quantile(1 - tail))
  }

  /// Beta-binomial count limits at several levels from one walk.
  func betaBinomialLimits(size: Double, levels: [Double]) -> [(lower: Double, upper: Double)] {
    betaBinomialWalk(size: size, tails: levels.map { (1 - $0) / 2 }, through: -1).limits
  }

  /// Limits on the value scale (count ÷ denominator).
  public func limits(unit i: Int, level: Double) -> (lower: Double, upper: Double) {
    let (l, u) = countLimits(denominator: denominators[i], level: level)
    return (l / denominators[i], u / denominators[i])
  }

  /// Flag named by the outermost level the unit's count lies beyond.
  public func flag(unit i: Int, levels: [Double]) -> String {
    let sorted = levels.sorted(by: >)
    if family == .negativeBinomial {
      let x = numerators[i], n = denominators[i]
      return Self.flag(below: cdf(x.rounded(.up) - 1, denominator: n), atOrBelow: cdf(x.rounded(.down), denominator: n),
                       sortedLevels: sorted)
    }
    let all = betaBinomialLimits(size: denominators[i].rounded(), levels: sorted)
    return flag(unit: i, sortedLevels: sorted) { all[$0] }
  }

  /// The flag of a count x from F at the count instead of from the limits
  /// (`countLimits`): x lies above the upper limit, the smallest k with
  /// F(k) ≥ 1 − tail, exactly when F(⌈x⌉ − 1) ≥ 1 − tail, and below the
  /// lower one exactly when F(⌊x⌋) < tail. Two values of F instead of two
  /// searches over counts per level; the same comparisons of the same
  /// values of F that the searches make at those counts.
  static func flag(below: Double, atOrBelow: Double, sortedLevels: [Double]) -> String {
    for level in sortedLevels {
      let tail = (1 - level) / 2
      if below >= 1 - tail { return "above_" + FunnelPlot.levelLabel(level) }
      if atOrBelow < tail { return "below_" + FunnelPlot.levelLabel(level) }
    }
    return "within"
  }

  private func flag(unit i: Int, sortedLevels: [Double], limits: (Int) -> (lower: Double, upper: Double)) -> String {
    for (k, level) in sortedLevels.enumerated() {
      let (l, u) = limits(k)
      if numerators[i] > u { return "above_" + FunnelPlot.levelLabel(level) }
      if numerators[i] < l { return "below_" + FunnelPlot.levelLabel(level) }
    }
    return "within"
  }

  /// The z-score and the flag of one unit together: for the beta-binomial
  /// one walk up the pmf gives both (the same numbers as `z` and `flag`).
  public func position(unit i: Int, levels: [Double]) -> (z: Double, flag: String) {
    let x = numerators[i].rounded(), size = denominators[i].rounded()
    if family == .negativeBinomial && x == numerators[i] {
      // A whole count: F(x − 1) and F(x) give both the z-score and the flag.
      let below = cdf(x - 1, denominator: denominators[i]), at = cdf(x, denominator: denominators[i])
      return (Self.midP(below: below, at: at), Self.flag(below: below, atOrBelow: at, sortedLevels: levels.sorted(by: >)))
    }
    guard family == .betaBinomial, x >= 1, x < size else { return (z(unit: i), flag(unit: i, levels: levels)) }
    let sorted = levels.sorted(by: >)
    let walk = betaBinomialWalk(size: size, tails: sorted.map { (1 - $0) / 2 }, through: x)
    return (Self.midP(below: min(walk.before, 1), at: min(walk.at, 1)),
            flag(unit: i, sortedLevels: sorted) { walk.limits[$0] })
  }

  /// Φ⁻¹ of the mid-p tail probability F(x − 1) + ½ P(x).
  static func midP(below: Double, at: Double) -> Double {
    Normal.standard.quantile(min(max(below + 0.5 * (at - below), 1e-300), 1 - 1e-16))
  }

  /// A z-score from the mid-p tail probability: Φ⁻¹(F(x − 1) + ½ P(x)).
  public func z(unit i: Int) -> Double {
    let x = numerators[i].rounded(), n = denominators[i]
    if family == .betaBinomial && x >= 1 && x < n.rounded() {
      // F(x − 1) and F(x) from one walk (see `betaBinomialWalk`).
      let walk = betaBinomialWalk(size: n.rounded(), tails: [], through: x)
      return Self.midP(below: min(walk.before, 1), at: min(walk.at, 1))
    }
    return Self.midP(below: cdf(x - 1, denominator: n), at: cdf(x, denominator: n))
  }
}
