import Foundation
import PeerLensNumerics

/// Funnel-plot control limits with over-dispersion handled as
/// Spiegelhalter (2005) describes and NHS-R's FunnelPlotR implements.
///
/// Each unit is put on a variance-stabilised scale with within-unit
/// standard error s and target t:
///
/// | data | y | s | t |
/// |---|---|---|---|
/// | proportion | asin √(x/n) | 1/(2√n) | asin √(Σx/Σn) (or a given target) |
/// | ratio O/E | √(O/E) | 1/(2√E) | 1 |
///
/// z = (y − t)/s is winsorised at its 10th and 90th percentiles (R type 7);
/// φ is the mean of the winsorised z². With φ ≤ 1 there is no
/// over-dispersion and unadjusted limits are used (and said); for
/// additive limits with τ² by REML or Paule–Mandel, τ² = 0 decides. The
/// multiplicative adjustment draws t ± z√φ s; the additive random-effects
/// adjustment (DerSimonian–Laird) draws t ± z√(s² + τ²) with
/// τ² = max(0, (Iφ − (I − 1)) / (Σw − Σw²/Σw)), w = 1/s², transformed back
/// and clipped to the valid range. The same s is used for τ² and for the
/// limits (avoiding a known pitfall in one implementation).
public struct FunnelPlot: Sendable {
  public enum DataType: String, Sendable, CaseIterable, Codable {
    /// x out of n.
    case proportion
    /// Observed count against an expected count (indirect standardisation
    /// or a rate against a target rate).
    case ratio
  }

  public enum Overdispersion: String, Sendable, CaseIterable, Codable {
    case none, multiplicative, additive
  }

  /// Where a unit sits against the limits.
  public enum Flag: String, Sendable, Codable, CaseIterable {
    case within
    case above95 = "above_95"
    case below95 = "below_95"
    case above998 = "above_99.8"
    case below998 = "below_99.8"

    public var isOutside998: Bool { self == .above998 || self == .below998 }
  }

  public struct Unit: Sendable {
    public let numerator: Double
    public let denominator: Double
    /// x/n (proportion) or O/E (ratio).
    public let value: Double
    /// The (unwinsorised) z-score on the transformed scale.
    public let z: Double
    /// The z-score against the adjusted limits (z/√φ or the additive analogue).
    public let adjustedZ: Double
    public let flag: Flag
    public let limits95: (lower: Double, upper: Double)
    public let limits998: (lower: Double, upper: Double)
  }

  public let type: DataType
  public let method: Overdispersion
  /// The target on the natural scale (proportion, or 1 for ratios).
  public let target: Double
  public let units: [Unit]
  public let phi: Double
  public let tauSquared: Double
  /// How τ² was estimated (additive method).
  public let estimator: BetweenUnitVariance
  /// Each unit's within-unit standard error on the transformed scale.
  let standardErrors: [Double]
  /// Whether over-dispersion adjustment was applied: a method asked for,
  /// and φ > 1 (or, for additive limits with τ² by REML or Paule–Mandel, τ² > 0).
  public let adjusted: Bool
  /// Whether unadjusted limits are exact Poisson limits (METHODS item 6):
  /// a ratio O/E with Poisson chance variation (no variance factors), drawn
  /// without adjustment. The √(O/E) scale's normal limits are an
  /// approximation to these that is narrow at small E (at E = 7.3 the 95%
  /// upper limit is 1.86 where the exact one is 2.03), so a unit could be
  /// flagged by the approximation alone.
  public let exactUnadjusted: Bool
  let rule: LimitRule
  /// χ² test of Iφ on I − 1 degrees of freedom: p-value for over-dispersion.
  public let dispersionPValue: Double
  public var notes: [String]

  /// Builds the funnel.
  ///
  /// - Parameters:
  ///   - numerators: x (proportion) or O (ratio).
  ///   - denominators: n (proportion) or E (ratio).
  ///   - target: a proportion target (default Σx/Σn); ignored for ratios.
  ///   - estimator: τ² for the additive method. `.dl` is FunnelPlotR's
  ///     (from the winsorised φ); `.reml` and `.pm` estimate τ² from the
  ///     transformed values and their variances s², with the mean estimated.
  ///   - varianceFactors: for ratios, each unit's Var(O)/E under the model
  ///     that produced E (1 for Poisson, the default; 1 − μ for a binomial
  ///     model with expected proportion μ). The standard error becomes
  ///     √factor/(2√E), so a model's own family sets the chance variation.
  public init(type: DataType, numerators: [Double], denominators: [Double], target: Double? = nil,
              overdispersion: Overdispersion = .none, varianceFactors: [Double]? = nil,
              tau2 estimator: BetweenUnitVariance = .dl) throws(FunnelError) {
    guard numerators.count == denominators.count, !numerators.isEmpty else { throw .empty }
    for i in numerators.indices {
      guard denominators[i] > 0, denominators[i].isFinite else { throw .nonPositiveDenominator(index: i) }
      guard numerators[i] >= 0, numerators[i].isFinite else { throw .negativeNumerator(index: i) }
      if type == .proportion && numerators[i] > denominators[i] { throw .numeratorExceedsDenominator(index: i) }
    }
    self.type = type
    self.method = overdispersion
    let n = numerators.count
    let t0: Double
    switch type {
    case .proportion:
      let p = target ?? (numerators.reduce(0, +) / denominators.reduce(0, +))
      guard p > 0, p < 1 else { throw .degenerateTarget(p) }
      t0 = p
    case .ratio:
      t0 = 1
    }
    self.target = t0
    let tTransformed = type == .proportion ? asin(t0.squareRoot()) : 1
    let s = (0..<n).map { i in
      (type == .ratio ? (varianceFactors?[i] ?? 1).squareRoot() : 1) / (2 * denominators[i].squareRoot())
    }
    let y: [Double] = (0..<n).map { i in
      type == .proportion ? asin((numerators[i] / denominators[i]).squareRoot())
        : (numerators[i] / denominators[i]).squareRoot()
    }
    let z = (0..<n).map { (y[$0] - tTransformed) / s[$0] }
    let q = Quantiles.type7(z, [0.1, 0.9])
    let wz = z.map { min(max($0, q[0]), q[1]) }
    let phi = wz.reduce(0) { $0 + $1 * $1 } / Double(n)
    self.phi = phi
    self.dispersionPValue = ChiSquared(degreesOfFreedom: Double(max(n - 1, 1))).sf(Double(n) * phi)
    let w = s.map { 1 / ($0 * $0) }
    let sw = w.reduce(0, +), sw2 = w.reduce(0) { $0 + $1 * $1 }
    let tau2 = estimator == .dl || n < 2
      ? max(0, (Double(n) * phi - Double(n - 1)) / (sw - sw2 / sw))
      : estimator.estimate(y: y, v: s.map { $0 * $0 })
    self.estimator = estimator
    self.standardErrors = s
    self.tauSquared = tau2
    // FunnelPlotR's rule: adjust where the winsorised φ exceeds 1. An
    // additive τ² by REML or Paule–Mandel is its own test: where it is
    // positive it widens the limits, even with φ ≤ 1 (winsorising drops
    // the tails that REML counts; a mean score's funnel with its pupils'
    // spread had φ ≤ 1 and 9% of authorities outside its 95% limits).
    let adjusted = overdispersion != .none
      && (overdispersion == .additive && estimator != .dl ? tau2 > 0 : phi > 1)
    self.adjusted = adjusted
    let exact = !adjusted && type == .ratio && (varianceFactors ?? []).allSatisfy { $0 == 1 }
    self.exactUnadjusted = exact
    var notes: [String] = []
    if overdispersion != .none && !adjusted {
      notes.append(overdispersion == .additive && estimator != .dl
        ? "No over-dispersion (τ² by \(estimator.name) is 0): unadjusted limits are used."
        : "No over-dispersion (φ = \(String(format: "%.3f", phi)) ≤ 1): unadjusted limits are used.")
    }
    if exact {
      notes.append("Unadjusted limits for a ratio are exact Poisson limits at each unit's expected count E: "
        + "χ²⁻¹((1−c)/2; 2E)/(2E) to χ²⁻¹(c + (1−c)/2; 2(E+1))/(2E). Flags are against these; z-scores stay on "
        + "the √(O/E) scale, so near a limit a unit's flag and its z-score can disagree.")
    }

    let rule = LimitRule(type: type, method: adjusted ? overdispersion : .none, phi: phi, tauSquared: tau2,
                         transformedTarget: tTransformed, exact: exact)
    self.rule = rule

    var units: [Unit] = []
    for i in 0..<n {
      let l95 = rule.limits(standardError: s[i], expected: denominators[i], level: 0.95)
      let l998 = rule.limits(standardError: s[i], expected: denominators[i], level: 0.998)
      let value = numerators[i] / denominators[i]
      let flag: Flag
      if value > l998.1 { flag = .above998 } else if value < l998.0 { flag = .below998 }
      else if value > l95.1 { flag = .above95 } else if value < l95.0 { flag = .below95 } else { flag = .within }
      let adjZ: Double
      switch (adjusted ? overdispersion : .none) {
      case .multiplicative: adjZ = z[i] / phi.squareRoot()
      case .additive: adjZ = (y[i] - tTransformed) / (s[i] * s[i] + tau2).squareRoot()
      case .none: adjZ = z[i]
      }
      units.append(Unit(numerator: numerators[i], denominator: denominators[i], value: value, z: z[i],
                        adjustedZ: adjZ, flag: flag, limits95: l95, limits998: l998))
    }
    self.units = units
    self.notes = notes
  }

  /// Back-transformation to the natural scale, clipped to the valid range.
  static func back(_ v: Double, _ type: DataType) -> Double {
    switch type {
    case .proportion:
      let c = min(max(v, 0), Double.pi / 2)
      let s = sin(c)
      return s * s
    case .ratio:
      return v <= 0 ? 0 : v * v
    }
  }

  /// A unit's limits at any level (e.g. 0.9, 0.95, 0.998), with the
  /// same adjustment as the 95% and 99.8% limits.
  public func limits(unit k: Int, level: Double) -> (lower: Double, upper: Double) {
    rule.limits(standardError: standardErrors[k], expected: units[k].denominator, level: level)
  }

  /// How limits are drawn at a standard error (or, for exact limits, an
  /// expected count): one rule for the units' limits, limits at any level
  /// and the funnel curves, fixed when the funnel is fitted.
  struct LimitRule: Sendable {
    let type: DataType
    /// The adjustment applied: `.none` when none was asked for or there is no over-dispersion.
    let method: Overdispersion
    let phi: Double
    let tauSquared: Double
    let transformedTarget: Double
    /// Exact Poisson limits (an unadjusted ratio with Poisson variation).
    let exact: Bool

    func limits(standardError sd: Double, expected: Double, level: Double) -> (lower: Double, upper: Double) {
      if exact { return FunnelPlot.exactRatioLimits(expected: expected, level: level) }
      let zq = Normal.standard.quantile(0.5 + level / 2)
      let half: Double
      switch method {
      case .multiplicative: half = zq * phi.squareRoot() * sd
      case .additive: half = zq * (sd * sd + tauSquared).squareRoot()
      case .none: half = zq * sd
      }
      return (FunnelPlot.back(transformedTarget - half, type), FunnelPlot.back(transformedTarget + half, type))
    }
  }

  /// A unit's flag against several levels, named by the outermost level
  /// it lies beyond: `above_99.8`, `below_90`, or `within`.
  public func flag(unit k: Int, levels: [Double]) -> String {
    let value = units[k].value
    for level in levels.sorted(by: >) {
      let (lo, hi) = limits(unit: k, level: level)
      if value > hi { return "above_" + Self.levelLabel(level) }
      if value < lo { return "below_" + Self.levelLabel(level) }
    }
    return "within"
  }

  /// 0.998 → "99.8", 0.95 → "95", 0.999999999 → "99.9999999".
  public static func levelLabel(_ level: Double) -> String {
    // Ten decimals: six wrote 99.9999999% as "100", a level no limit has.
    var text = String(format: "%.10f", level * 100)
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return text
  }

  /// Limits at an arbitrary denominator (for drawing the funnel curves).
  ///
  /// `varianceFactor` is a ratio's Var(O)/E at that denominator, as the
  /// units' `varianceFactors` give it (1 for Poisson), so that the curves
  /// pass through the units' own limits.
  public func limits(atDenominator d: Double, level: Double, varianceFactor: Double = 1) -> (lower: Double, upper: Double) {
    rule.limits(standardError: (type == .ratio ? varianceFactor.squareRoot() : 1) / (2 * d.squareRoot()),
                expected: d, level: level)
  }

  /// Exact Poisson limits for a standardised ratio at expected E
  /// (METHODS item 6): `χ²⁻¹((1−c)/2; 2E)/(2E)` and `χ²⁻¹(c+(1−c)/2; 2(E+1))/(2E)`.
  public static func exactRatioLimits(expected e: Double, level c: Double) -> (lower: Double, upper: Double) {
    let lower = ChiSquared(degreesOfFreedom: 2 * e).quantile((1 - c) / 2) / (2 * e)
    let upper = ChiSquared(degreesOfFreedom: 2 * (e + 1)).quantile(c + (1 - c) / 2) / (2 * e)
    return (lower, upper)
  }
}

public enum FunnelError: Error, LocalizedError, Equatable, Sendable {
  case empty
  case nonPositiveDenominator(index: Int)
  case negativeNumerator(index: Int)
  case numeratorExceedsDenominator(index: Int)
  case degenerateTarget(Double)

  public var errorDescription: String? {
    switch self {
    case .empty: return "A funnel plot needs at least one unit with a numerator and denominator."
    case .nonPositiveDenominator(let i): return "Unit \(i + 1) has a zero, negative or missing denominator."
    case .negativeNumerator(let i): return "Unit \(i + 1) has a negative or missing numerator."
    case .numeratorExceedsDenominator(let i): return "Unit \(i + 1): for a proportion the numerator cannot exceed the denominator."
    case .degenerateTarget(let p): return "The target proportion is \(p); a funnel needs a target strictly between 0 and 1."
    }
  }
}
