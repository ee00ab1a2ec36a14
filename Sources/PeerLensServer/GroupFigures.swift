import Foundation
import PeerLensAnalysis
import PeerLensData

/// One indicator's figures for a comparator group in one period,
/// recomputed by the rules the run uses for official neighbours and all
/// authorities, so that `group=official` reproduces the run's neighbour
/// median and `group=all` its LAIT rank and band.
///
/// - median: the DfE dashboard's rule (`NeighbourSummary`): the median of
///   the comparators' published figures, rounded half-up at the published
///   precision; a suppressed or missing comparator is left out.
/// - mean: LAIT's plain mean of the same figures.
/// - rank and band: `PolarityRank` and `QuartileBand` among the comparators
///   and the focus authority (none for an indicator without polarity).
///
/// A group with fewer than `minimumRanked` figures (the comparators' and
/// the focus authority's) gets no ranks and no bands: quartile bands need
/// four values to cut into quarters (with one or two, `group=custom&
/// members=` of the authority alone gave rank 1 of 1 and band A), and a
/// rank among two or three reads as a league position the comparison
/// cannot support. The national ranks and bands (the packs', over every
/// authority) never come near this.
///
/// A joint return counts once, under its first authority, as in the run
/// (a partner of the focus authority's joint return is a comparator like
/// any other, as in the run's neighbour medians).
public struct GroupFigures: Sendable, Equatable {
  public let median: Double?
  public let mean: Double?
  /// Comparators with a published figure.
  public let count: Int
  /// Comparators without one (suppressed, missing, not published).
  public let leftOut: Int
  /// The focus authority's rank among those ranked (1 = first by polarity).
  public let rank: Int?
  /// How many figures were ranked (the comparators with a figure, and the
  /// focus authority): 0 when none was, for an indicator without polarity
  /// or a group too small to rank (it said 153 for `group=all` of an
  /// indicator that is never ranked).
  public let ranked: Int
  public let band: QuartileBand?
  /// Code → rank and band of every ranked authority (joint partners share one).
  public let ranks: [String: Int]
  public let bands: [String: QuartileBand]

  /// The fewest figures ranked and banded: one per quartile band.
  public static let minimumRanked = 4

  /// Said in each API reply beside the group's figures.
  public static let rankRule = "group_rank and group_quartile_band are null unless at least \(minimumRanked) authorities "
    + "(the group and this one) have a figure: fewer cannot be cut into quartiles."

  public static func compute(_ bench: IndicatorBench, period p: TimePeriod, focus: String?, members: [String]) -> GroupFigures {
    var seen = Set<String>()
    let comparatorFigures = members.compactMap { code -> Double?? in
      let key = bench.firstOfJoint(code, p)
      return seen.insert(key).inserted ? .some(bench.publishedFigure(key, p)) : nil
    }
    let summary = NeighbourSummary(publishedValues: comparatorFigures, decimals: bench.indicator.decimals,
                                   rounding: bench.indicator.rounding)
    var figures: [String: Double] = [:]
    for code in members + (focus.map { [$0] } ?? []) {
      let key = bench.firstOfJoint(code, p)
      if let f = bench.publishedFigure(key, p) { figures[key] = f }
    }
    let rankable = figures.count >= minimumRanked && bench.indicator.polarity != .noJudgement
    var ranks = rankable ? PolarityRank.ranks(figures, polarity: bench.indicator.polarity) : [:]
    var bands = rankable ? QuartileBand.bands(figures, polarity: bench.indicator.polarity) : [:]
    for code in members + (focus.map { [$0] } ?? []) where bench.firstOfJoint(code, p) != code {
      ranks[code] = ranks[bench.firstOfJoint(code, p)]
      bands[code] = bands[bench.firstOfJoint(code, p)]
    }
    return GroupFigures(median: summary?.median, mean: summary?.mean, count: summary?.count ?? 0,
                        leftOut: summary?.leftOut ?? comparatorFigures.count, rank: focus.flatMap { ranks[$0] },
                        ranked: rankable ? figures.count : 0, band: focus.flatMap { bands[$0] }, ranks: ranks, bands: bands)
  }
}
