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
      parameter = exp(Self.goldenMinimum(nll, lower: -7, upper: 20))
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
      parameter = 1 / (1 + exp(-Self.goldenMinimum(nll, lower: -20, upper: 10)))
    }
  }

  static func lbeta(_ a: Double, _ b: Double) -> Double { lgamma(a) + lgamma(b) - lgamma(a + b) }

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
      return min(betaBinomialCumulative(size: size, through: floor(k)).through, 1)
    }
  }

  /// The beta-binomial's cumulative probability through `last` (≤ n), and
  /// through `last − 1` on the way, by one walk up the pmf without storing
  /// it.
  ///
  /// Why: denominators run to millions (sessions of school absence), and
  /// the z-score needs F(x − 1) and F(x): two walks that each stored the
  /// pmf were most of the national run's time for such an indicator. The
  /// sums are the same additions in the same order, so the same numbers.
  func betaBinomialCumulative(size n: Double, through last: Double) -> (before: Double, through: Double) {
    let a = target * (1 - parameter) / parameter, b = (1 - target) * (1 - parameter) / parameter
    var lp = Self.lbeta(a, n + b) - Self.lbeta(a, b)
    var total = 0.0, before = 0.0
    var j = 0.0
    while j <= min(last, n) {
      before = total
      total += exp(lp)
      lp += log((n - j) * (j + a)) - log((j + 1) * (n - j - 1 + b))
      j += 1
    }
    return (before, total)
  }

  /// log P(X = j) for j = 0…through, by the ratio recursion
  /// P(j+1)/P(j) = (n − j)(j + a) / ((j + 1)(n − j − 1 + b)), in logs so
  /// that no term underflows before the sum needs it.
  func betaBinomialLogPMF(size n: Double, through last: Double) -> [Double] {
    let a = target * (1 - parameter) / parameter, b = (1 - target) * (1 - parameter) / parameter
    var out: [Double] = []
    var lp = Self.lbeta(a, n + b) - Self.lbeta(a, b)
    var j = 0.0
    while j <= min(last, n) {
      out.append(lp)
      lp += log((n - j) * (j + a)) - log((j + 1) * (n - j - 1 + b))
      j += 1
    }
    return out
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

  /// Beta-binomial count limits at several levels from one pass up the
  /// cumulative pmf: the same sums as one pass per level, so the same
  /// limits, with a single walk where the flag used to walk once per level.
  func betaBinomialLimits(size: Double, levels: [Double]) -> [(lower: Double, upper: Double)] {
    let tails = levels.map { (1 - $0) / 2 }
    let a = target * (1 - parameter) / parameter, b = (1 - target) * (1 - parameter) / parameter
    var lp = Self.lbeta(a, size + b) - Self.lbeta(a, b)
    var cum = 0.0, j = 0.0
    var lower = [Double?](repeating: nil, count: tails.count)
    var upper = [Double?](repeating: nil, count: tails.count)
    var open = tails.count
    while j < size && open > 0 {
      cum += exp(lp)
      for k in tails.indices where upper[k] == nil {
        if lower[k] == nil && cum >= tails[k] { lower[k] = j }
        if cum >= 1 - tails[k] { upper[k] = j; lower[k] = lower[k] ?? j; open -= 1 }
      }
      lp += log((size - j) * (j + a)) - log((j + 1) * (size - j - 1 + b))
      j += 1
    }
    return tails.indices.map { k in upper[k].map { (lower[k] ?? $0, $0) } ?? (lower[k] ?? size, size) }
  }

  /// Limits on the value scale (count ÷ denominator).
  public func limits(unit i: Int, level: Double) -> (lower: Double, upper: Double) {
    let (l, u) = countLimits(denominator: denominators[i], level: level)
    return (l / denominators[i], u / denominators[i])
  }

  /// Flag named by the outermost level the unit's count lies beyond.
  public func flag(unit i: Int, levels: [Double]) -> String {
    let sorted = levels.sorted(by: >)
    let all = family == .betaBinomial ? betaBinomialLimits(size: denominators[i].rounded(), levels: sorted) : nil
    for (k, level) in sorted.enumerated() {
      let (l, u) = all?[k] ?? countLimits(denominator: denominators[i], level: level)
      if numerators[i] > u { return "above_" + FunnelPlot.levelLabel(level) }
      if numerators[i] < l { return "below_" + FunnelPlot.levelLabel(level) }
    }
    return "within"
  }

  /// A z-score from the mid-p tail probability: Φ⁻¹(F(x − 1) + ½ P(x)).
  public func z(unit i: Int) -> Double {
    let x = numerators[i].rounded(), n = denominators[i]
    let below: Double, at: Double
    if family == .betaBinomial && x >= 1 && x < n.rounded() {
      // F(x − 1) and F(x) from one walk (see `betaBinomialCumulative`).
      let sums = betaBinomialCumulative(size: n.rounded(), through: x)
      (below, at) = (min(sums.before, 1), min(sums.through, 1))
    } else {
      (below, at) = (cdf(x - 1, denominator: n), cdf(x, denominator: n))
    }
    let p = min(max(below + 0.5 * (at - below), 1e-300), 1 - 1e-16)
    return Normal.standard.quantile(p)
  }
}
