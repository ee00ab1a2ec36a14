import Foundation
import PeerLensData
import PeerLensStatistics

/// The funnel plot of one indicator's authority values for one period,
/// before context: a proportion funnel for percentages, otherwise each
/// authority's count against the count the target rate predicts (a ratio
/// funnel). Additive (random-effects) over-dispersion throughout, with τ²
/// by the indicator's `funnel_tau2`.
///
/// The one place this rule lives: national runs, release comparisons and
/// the packs' funnel charts all use it.
public struct IndicatorFunnel: Sendable {
  /// The authorities in the funnel, in code order (`plot.units` matches).
  public let rows: [IndicatorValue]
  /// Each row's denominator as the funnel counts it: the effective
  /// denominator of an absence rate (pupils, not sessions:
  /// `IndicatorValue.chanceCounts`), otherwise the denominator.
  public let denominators: [Double]
  public let plot: FunnelPlot
  /// Multiplies a value on the funnel's scale into the indicator's unit
  /// (the multiplier for proportions; target rate × multiplier for ratios).
  public let scale: Double
  /// What a denominator is multiplied by to give the plot's denominator
  /// (1 for proportions; the target rate for ratios, giving expected counts).
  public let denominatorFactor: Double
  /// Limits from a fitted negative binomial or beta-binomial, when the
  /// indicator's `funnel_limits` names one; they replace the additive
  /// limits and flags (the additive plot still gives φ).
  public let distribution: DistributionFunnel?
  let multiplier: Double
  /// A ratio funnel's Var(O)/E, the same for every authority: σ²/μ for a
  /// mean score with `pupil_sd` σ (μ the target mean per pupil), else 1
  /// (Poisson). The curves use it, so they pass through the points' limits.
  public let varianceFactor: Double
  /// Whether an additive flag is checked against its exact chance tail
  /// (`position`): counts of children or FTEs, not absence or scores.
  let chanceCheckApplies: Bool

  /// - Parameters:
  ///   - values: one period's values (other levels are ignored).
  ///   - target: the target in the indicator's unit (England's value);
  ///     `nil` uses the pooled value Σx/Σn.
  /// - Returns: `nil` with fewer than three usable authorities, or when
  ///   the indicator's `funnel_limits` is `none` (pounds are not counts).
  public init?(values: [IndicatorValue], indicator: Indicator, target: Double?) {
    guard indicator.hasFunnel else { return nil }
    let proportion = indicator.unit == .percentage
    let rows = values.filter { v in
      guard v.level == .localAuthority, v.status == .ok, let (x, n) = v.chanceCounts(indicator) else { return false }
      return n > 0 && x >= 0 && (!proportion || x <= n)
    }.sorted { $0.areaCode < $1.areaCode }
    guard rows.count >= 3 else { return nil }
    let counts = rows.map { $0.chanceCounts(indicator)! }
    let x = counts.map(\.numerator), n = counts.map(\.denominator)
    denominators = n
    let multiplier = indicator.unit.multiplier
    if proportion {
      let p = target.map { $0 / multiplier }.flatMap { $0 > 0 && $0 < 1 ? $0 : nil }
      guard let fp = try? FunnelPlot(type: .proportion, numerators: x, denominators: n, target: p,
                                     overdispersion: .additive, tau2: indicator.funnelTau2) else { return nil }
      (plot, scale, denominatorFactor) = (fp, multiplier, 1)
      varianceFactor = 1
    } else {
      let rate = target.map { $0 / multiplier } ?? x.reduce(0, +) / n.reduce(0, +)
      // A mean of pupils' scores varies with variance σ²/n, not as a Poisson count
      // of points: Var(O)/E = nσ²/(nμ) = σ²/μ for every authority.
      let factor = indicator.pupilSD.map { $0 * $0 / (rate * multiplier * multiplier) } ?? 1
      guard rate > 0, let fp = try? FunnelPlot(type: .ratio, numerators: x, denominators: n.map { $0 * rate },
                                                overdispersion: .additive,
                                                varianceFactors: factor == 1 ? nil : Array(repeating: factor, count: x.count),
                                                tau2: indicator.funnelTau2) else { return nil }
      (plot, scale, denominatorFactor) = (fp, rate * multiplier, rate)
      varianceFactor = factor
    }
    self.rows = rows
    self.multiplier = multiplier
    chanceCheckApplies = indicator.pupilClustering == nil && indicator.unit != .score
    switch indicator.funnelLimits {
    case "negative-binomial" where !proportion:
      distribution = try? DistributionFunnel(family: .negativeBinomial, numerators: x, denominators: n,
                                             target: denominatorFactor)
    case "beta-binomial" where proportion:
      distribution = try? DistributionFunnel(family: .betaBinomial, numerators: x, denominators: n,
                                             target: plot.target)
    default:
      distribution = nil
    }
  }

  /// The k-th row's z-score and flag against the indicator's limits, and
  /// the line's flag with the exact tail where the check lowered it.
  ///
  /// Additive limits are normal approximations; a flag they give is kept
  /// only where chance alone, exactly (`ChanceTail`), makes the figure
  /// at least as rare as the limit says (two-sided: 0.1% each side for
  /// 99.8%, 2.5% for 95%). Otherwise it falls to the level it does
  /// reach, or to within, and `overruled` says which line the point lies
  /// beyond and how likely it is by chance.
  ///
  /// Not for absence rates, whose limits already count pupils and whose
  /// mean of pupils' rates is no binomial, nor for scores, whose points are
  /// no Poisson events: there the lines' flags stand.
  public func position(_ k: Int)
    -> (z: Double, flag: FunnelPlot.Flag, overruled: (tail: Double, line: FunnelPlot.Flag)?) {
    if let d = distribution {
      let p = d.position(unit: k, levels: [0.95, 0.998])
      return (p.z, FunnelPlot.Flag(rawValue: p.flag) ?? .within, nil)
    }
    let u = plot.units[k]
    guard u.flag != .within, chanceCheckApplies else { return (u.adjustedZ, u.flag, nil) }
    let above = [.above95, .above998].contains(u.flag)
    let tail = chanceTail(k, above: above)
    let flag: FunnelPlot.Flag
    if !tail.isFinite || (u.flag.isOutside998 && tail <= 0.001) { flag = u.flag }
    else if tail <= 0.025 { flag = above ? .above95 : .below95 }
    else { flag = .within }
    return (u.adjustedZ, flag, flag == u.flag ? nil : (tail, u.flag))
  }

  /// The exact chance tail of the k-th unit, and the additive line's
  /// flag, where the unit lies beyond a line that the tail does not reach
  /// (its flag is then lower than the line's); nil otherwise.
  public func loweredByChance(_ k: Int) -> (tail: Double, line: FunnelPlot.Flag)? { position(k).overruled }

  /// The exact probability by chance alone of the k-th unit's figure or
  /// one further from the target, on the side it lies.
  public func chanceTail(_ k: Int, above: Bool) -> Double {
    let u = plot.units[k]
    switch plot.type {
    case .proportion: return ChanceTail.proportion(u.numerator, of: u.denominator, target: plot.target, above: above)
    case .ratio: return ChanceTail.count(u.numerator, expected: u.denominator, above: above)
    }
  }

  /// Each authority's flag, by code.
  public var flags: [String: FunnelPlot.Flag] {
    Dictionary(uniqueKeysWithValues: rows.indices.map { (rows[$0].areaCode, position($0).flag) })
  }

  /// The 95% and 99.8% limits, in the indicator's unit, for an authority
  /// with denominator `n`.
  public func limits(denominator n: Double) -> (l95: Double, u95: Double, l998: Double, u998: Double) {
    if let d = distribution, n > 0 {
      let a = d.countLimits(denominator: n, level: 0.95), b = d.countLimits(denominator: n, level: 0.998)
      return (a.lower / n * multiplier, a.upper / n * multiplier, b.lower / n * multiplier, b.upper / n * multiplier)
    }
    let a = plot.limits(atDenominator: n * denominatorFactor, level: 0.95, varianceFactor: varianceFactor)
    let b = plot.limits(atDenominator: n * denominatorFactor, level: 0.998, varianceFactor: varianceFactor)
    return (a.lower * scale, a.upper * scale, b.lower * scale, b.upper * scale)
  }

  /// The target in the indicator's unit.
  public var target: Double { (plot.type == .proportion ? plot.target : 1) * scale }
}
