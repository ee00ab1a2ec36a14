import Foundation
import PeerLensData

/// How far the values PeerLens computes from counts agree with the values
/// DfE published for the same area and period, at the published
/// precision (issue 14.4): the self-check a reader runs before trusting a
/// figure, and the table in the England pack.
///
/// A value agrees when the rate or percentage computed from the published
/// numerator and denominator, rounded as DfE rounds the indicator
/// (`decimals`, `rounding`), equals DfE's published figure. Only values
/// with both counts (denominator above zero) and a published figure are
/// compared; indicators DfE does not publish (rates computed here from
/// the ONS population) have nothing to compare against.
public struct PublishedAgreement: Sendable, Equatable {
  /// One value that differs, and the likely reason.
  public struct Difference: Sendable, Equatable {
    public let level: GeographicLevel
    public let areaCode: String
    public let name: String
    /// Computed from the counts, unrounded.
    public let computed: Double
    /// Computed, rounded at the published precision.
    public let computedRounded: Double
    public let published: Double
    public let cause: Cause
    /// Whether the indicator's counts are FTEs (published to one decimal)
    /// rather than whole counts (published to the nearest 10 above
    /// authority level).
    public let countsAreFTEs: Bool

    /// The cause in words, naming the one rounding that applies to this
    /// indicator: the general words name both, which read as if a
    /// percentage of children had FTEs in it.
    public var causeWords: String {
      guard cause == .roundedCounts else { return cause.words }
      return countsAreFTEs ? "counts published rounded (FTEs to one decimal)"
        : "counts published rounded (regional and national counts to the nearest 10)"
    }
  }

  /// Why a computed value and DfE's figure can differ.
  public enum Cause: String, Sendable, Equatable, CaseIterable {
    /// Regional and national counts are published rounded (to the nearest
    /// 10), and workforce FTEs to one decimal: the published rate was
    /// computed from the unrounded counts.
    case roundedCounts = "rounded_counts"
    /// The area's boundaries changed (a merger or split): the published
    /// figure and the counts may describe different areas.
    case boundaryChange = "boundary_change"
    /// The value computed from counts lies exactly half-way between two
    /// published figures, and DfE's figure is the other one (its
    /// unrounded inputs, or its rounding of the tie, differ).
    case roundingTie = "rounding_tie"
    /// The published rate uses a denominator from another source or
    /// vintage (a revised population estimate) than the one read here.
    case denominatorSource = "denominator_source"
    /// Anything else: the counts and the figure differ by more than
    /// rounding, usually because one was revised after the other.
    case revision
    /// A regional or national figure that its counts do not give even
    /// allowing for their rounding: DfE's figure includes counts suppressed
    /// at authority level (where the counts here are summed from
    /// authorities), or is computed another way.
    case aggregateDefinition = "aggregate_definition"

    /// Words for the table.
    public var words: String {
      switch self {
      case .roundedCounts: return "counts published rounded (regional and national counts to the nearest 10, FTEs to one decimal)"
      case .roundingTie: return "a tie at the rounding boundary (half-way between two published figures)"
      case .boundaryChange: return "a boundary change (the area's counts and published figure may cover different areas)"
      case .denominatorSource: return "a different denominator (another population estimate or vintage)"
      // Said as unknown: the same words end `data check`'s error for a
      // mistyped figure, which "a revision" passed off as DfE's doing.
      case .revision:
        return "no known cause: they differ by more than rounding, as when one was revised after the other or a figure was mistyped"
      case .aggregateDefinition:
        return "not the ratio of its counts, even allowing for their rounding (DfE's regional and national figures include counts suppressed at authority level, or are computed another way)"
      }
    }
  }

  /// An area whose published figure cannot be checked: its denominator
  /// is 0, so no rate or percentage can be computed from its counts.
  /// Listed rather than left out, so that a figure DfE published over no
  /// children is seen (a reader would otherwise take "all agree" to cover it).
  public struct ZeroDenominator: Sendable, Equatable {
    public let level: GeographicLevel
    public let areaCode: String
    public let name: String
    public let numerator: Double
    public let published: Double
  }

  public let indicatorID: String
  public let period: TimePeriod
  public let agree: Int
  public let differences: [Difference]
  /// Published figures beside a zero denominator, not compared.
  public var zeroDenominators: [ZeroDenominator] = []

  public var differ: Int { differences.count }

  /// Compares every value of one indicator, one result per period, sorted
  /// by period. Areas are compared at every geographic level.
  public static func compare(_ values: [IndicatorValue], indicator: Indicator,
                             registry: AuthorityRegistry? = nil) -> [PublishedAgreement] {
    guard indicator.hasCounts, indicator.published != nil else { return [] }
    let tolerance = 1e-6 * pow(10, -Double(indicator.decimals))
    // Counts with fractions (workforce FTEs) are published rounded to one
    // decimal, including those that happen to be whole.
    let fractionalCounts = values.contains { v in
      [v.numerator, v.denominator].contains { $0.map { abs($0 - $0.rounded()) > 1e-9 } ?? false }
    }
    var agree: [TimePeriod: Int] = [:]
    var differences: [TimePeriod: [Difference]] = [:]
    var zeroDenominators: [TimePeriod: [ZeroDenominator]] = [:]
    for v in values {
      if let n = v.numerator, v.denominator == 0, let published = v.published, published.isFinite {
        zeroDenominators[v.period, default: []].append(ZeroDenominator(level: v.level, areaCode: v.areaCode, name: v.name,
                                                                       numerator: n, published: published))
        continue
      }
      guard let n = v.numerator, let d = v.denominator, d > 0, let published = v.published, published.isFinite else { continue }
      let computed = n / d * indicator.unit.multiplier
      let rounded = indicator.rounded(computed)
      if abs(rounded - published) <= tolerance {
        agree[v.period, default: 0] += 1
      } else {
        differences[v.period, default: []].append(Difference(
          level: v.level, areaCode: v.areaCode, name: v.name, computed: computed, computedRounded: rounded,
          published: published, cause: cause(v, computed: computed, indicator: indicator, registry: registry,
                                              fractionalCounts: fractionalCounts),
          countsAreFTEs: fractionalCounts))
      }
    }
    let periods = Set(agree.keys).union(differences.keys).union(zeroDenominators.keys).sorted()
    return periods.map { p in
      var result = PublishedAgreement(
        indicatorID: indicator.id, period: p, agree: agree[p] ?? 0,
        differences: (differences[p] ?? []).sorted { ($0.level.rawValue, $0.areaCode) < ($1.level.rawValue, $1.areaCode) })
      result.zeroDenominators = (zeroDenominators[p] ?? []).sorted { ($0.level.rawValue, $0.areaCode) < ($1.level.rawValue, $1.areaCode) }
      return result
    }
  }

  /// The likeliest reason a value differs, from what is known about it.
  ///
  /// In order: counts published rounded (regional and national rows; or
  /// FTE counts, published to one decimal, whose rounding by 0.05 can
  /// reach the published figure); a boundary change (an authority that
  /// was merged, split or recoded); a computed value exactly half-way
  /// between two published figures (the published one of them); a
  /// denominator read from another file or year than the published
  /// figure's, within `denominatorSourceShare` of it; otherwise a revision.
  /// The largest difference, as a share of the published figure, that
  /// another denominator source is taken to explain.
  static let denominatorSourceShare = 0.25

  static func cause(_ v: IndicatorValue, computed: Double, indicator: Indicator, registry: AuthorityRegistry?,
                    fractionalCounts: Bool) -> Cause {
    let half = 0.5 * pow(10, -Double(indicator.decimals))
    if v.level != .localAuthority {
      // Counts above authority level are published to the nearest 10 (FTEs
      // to one decimal): the figure is explained only if counts that round
      // to those published give it.
      guard let n = v.numerator, let d = v.denominator, let p = v.published else { return .roundedCounts }
      let step = fractionalCounts ? 0.05 : 5, m = indicator.unit.multiplier
      let lo = max(0, n - step) / (d + step) * m, hi = (n + step) / max(d - step, 1e-9) * m
      return p >= lo - half && p <= hi + half ? .roundedCounts : .aggregateDefinition
    }
    if fractionalCounts, let n = v.numerator, let d = v.denominator, let p = v.published {
      let m = indicator.unit.multiplier
      let lo = max(0, n - 0.05) / (d + 0.05) * m, hi = (n + 0.05) / max(d - 0.05, 1e-9) * m
      if p >= lo - half, p <= hi + half { return .roundedCounts }
    }
    // A recoding (North Yorkshire's county code to the unitary over the
    // same area) changed no boundary, so it explains nothing.
    if let registry, let a = registry.authority(code: v.areaCode),
       !a.isCurrent || registry.predecessors(of: a.code).contains(where: { registry.recodings[$0.code] == nil }) {
      return .boundaryChange
    }
    let unit = 2 * half
    let scaled = computed / unit
    // A tie only where the published figure is one of the two the value
    // lies half-way between: the relative tolerance alone would call any
    // value beyond about 5e8 units a tie (a typed count of 10²⁰ included).
    if let p = v.published, abs(p / unit - scaled) <= 0.5 + 1e-9 * max(1, abs(scaled)),
       abs(scaled - scaled.rounded(.down) - 0.5) < 1e-9 * max(1, abs(scaled)) { return .roundingTie }
    // Another denominator (a revised population estimate, another year's)
    // moves a figure by a few per cent, not by a factor: beyond a quarter
    // of the published figure, the counts themselves are in question.
    if let den = indicator.denominator, let pub = indicator.published,
       indicator.resolved(den).file != indicator.resolved(pub).file || den.periodOffset != pub.periodOffset,
       let p = v.published, abs(computed - p) <= Self.denominatorSourceShare * max(abs(p), unit) {
      return .denominatorSource
    }
    return .revision
  }
}
