import Foundation
import PeerLensData
import PeerLensNumerics
import PeerLensStatistics

/// How well one contextual model's limits hold on the data it was fitted
/// to (issue 17.5, 24.3): authorities outside each prediction limit
/// against the count the limit's level implies, the same by thirds of
/// size, a dispersion test, and the out-of-sample skill.
public struct ModelCalibration: Sendable {
  public struct Count: Sendable, Equatable {
    /// Authorities with a value and a prediction interval.
    public let authorities: Int
    public let outside95: Int
    public let outside998: Int
    public var expected95: Double { 0.05 * Double(authorities) }
    public var expected998: Double { 0.002 * Double(authorities) }
    public var share95: Double { authorities == 0 ? .nan : Double(outside95) / Double(authorities) }
    /// "9 (7.6)": the count outside the 95% limit and, in brackets, the
    /// count the level implies, as the England pack and `model check` print it.
    public var outside95Text: String { "\(outside95) (\(String(format: "%.1f", expected95)))" }
    /// The same for the 99.8% limit.
    public var outside998Text: String { "\(outside998) (\(String(format: "%.1f", expected998)))" }
  }

  public let indicatorID: String
  public let period: String
  public let family: String
  public let devianceExplained: Double
  /// Leave-one-out deviance explained by exact refits.
  public let looDevianceExplained: Double?
  public let all: Count
  /// Smallest, middle and largest third by denominator (empty when the
  /// indicator has no denominators).
  public let bySize: [Count]
  /// Pearson χ² / residual df, and the upper-tail p-value of χ² on its
  /// df (a test of the family's variance; small p: more spread than the
  /// family allows).
  public let pearsonDispersion: Double?
  public let dispersionPValue: Double?
  /// Each authority against the prediction limits of the model refitted
  /// without it (nil without leave-one-out refits). Beside `all`, it
  /// shows whether the limits hold for an authority the model has not
  /// seen, which is how a pack uses them.
  public let leaveOneOut: Count?
  /// The authorities with the largest Cook's distance, largest first, and
  /// the authorities whose position changes when each is left out.
  public let influence: [Influential]

  /// One influential authority (issue 17.5).
  public struct Influential: Sendable, Equatable {
    public let code: String
    public let name: String
    public let cooksDistance: Double
    /// Codes of the other authorities whose position against the
    /// prediction limits changes when this one is left out of the fit.
    public let changed: [String]
    /// Their names, in the same order.
    public let changedNames: [String]
  }

  public init(run: ContextModelRun) {
    let authorityOfRow = { (r: Int) in run.authorities[run.frame.rowIndices[r]] }
    if let skill = run.skill, !skill.positions.isEmpty {
      let judged = skill.positions.compactMap { $0 }
      leaveOneOut = Count(authorities: judged.count, outside95: judged.filter { $0 != "within" }.count,
                          outside998: judged.filter { $0.hasSuffix("99.8") }.count)
    } else {
      leaveOneOut = nil
    }
    influence = (run.skill?.influence ?? []).map { i in
      let a = authorityOfRow(i.row)
      let changed = i.changedRows.map(authorityOfRow).sorted { $0.code < $1.code }
      return Influential(code: a.code, name: a.name, cooksDistance: i.cooksDistance,
                         changed: changed.map(\.code), changedNames: changed.map(\.name))
    }
    indicatorID = run.indicator.id
    period = run.period.code
    family = run.spec.family.rawValue
    devianceExplained = run.model.pseudoRSquared
    looDevianceExplained = run.contextSkill
    let rows = run.authorities.filter { $0.observed != nil && $0.predictionLower95 != nil && $0.predictionUpper95 != nil }
    all = Self.count(rows)
    let sized = rows.filter { $0.denominator != nil }.sorted {
      ($0.denominator!, $0.code) < ($1.denominator!, $1.code)
    }
    if sized.count >= 6 {
      let k = sized.count
      bySize = [0, 1, 2].map { t in Self.count(Array(sized[(t * k / 3)..<((t + 1) * k / 3)])) }
    } else {
      bySize = []
    }
    switch run.model {
    case .generalized(let g):
      let df = g.residualDegreesOfFreedom
      let x2 = g.pearsonChiSquared
      pearsonDispersion = df > 0 ? x2 / Double(df) : nil
      // The test only means something for families with a fixed dispersion
      // of 1 (binomial and count families); quasi families test the base family.
      dispersionPValue = df > 0 && g.family != .gaussian ? 1 - ChiSquared(degreesOfFreedom: Double(df)).cdf(x2) : nil
    case .linear(let f) where run.randomEffects != nil:
      // Weighted by 1/(τ² + σ²/n), the weighted residuals have variance 1
      // where the pupils' spread σ and τ² are right: s² against 1 is the
      // check of pupil_sd and τ²: Σwr² against χ² on the residual df,
      // the upper tail as for the count families.
      let df = f.degreesOfFreedom
      let x2 = f.residualSumOfSquares
      pearsonDispersion = df > 0 ? x2 / Double(df) : nil
      dispersionPValue = df > 0 ? 1 - ChiSquared(degreesOfFreedom: Double(df)).cdf(x2) : nil
    case .linear:
      pearsonDispersion = nil
      dispersionPValue = nil
    }
  }

  /// The same count for the funnel around England before context (issue
  /// 17.5): set beside the after-context count, it shows how much of the
  /// spread the area's context accounts for, and how far the funnel's own
  /// limits (with their over-dispersion allowance) hold.
  public static func count(funnelFlags flags: [FunnelPlot.Flag]) -> Count {
    Count(authorities: flags.count, outside95: flags.filter { $0 != .within }.count,
          outside998: flags.filter(\.isOutside998).count)
  }

  /// The funnel's count before context for one indicator and period,
  /// from its values at every level (England's value is the target; a
  /// joint return is one point): what `model check` sets beside the
  /// count given context, as the England pack does.
  public static func beforeContext(values: [IndicatorValue], indicator: Indicator, period: TimePeriod) -> Count? {
    let inPeriod = values.filter { $0.period == period }
    let england = inPeriod.first { $0.level == .national && $0.status == .ok }?.value
    guard let funnel = IndicatorFunnel(values: inPeriod, indicator: indicator, target: england) else { return nil }
    return count(funnelFlags: funnel.rows.indices.map { funnel.position($0).flag })
  }

  static func count(_ rows: [AuthorityExpectation]) -> Count {
    var o95 = 0, o998 = 0
    for a in rows {
      let p = a.position
      if p != "within" && p != "missing" && p != "no_expectation" { o95 += 1 }
      if p == "above_99.8" || p == "below_99.8" { o998 += 1 }
    }
    return Count(authorities: rows.count, outside95: o95, outside998: o998)
  }
}
