import Foundation

/// The ratio of a group's share of one population to its share of a
/// reference population (for example, Black children's share of an
/// authority's children looked after over Black residents' share of its
/// population), with an interval that stays honest for small counts.
///
/// The interval is the Wilson interval of the local share divided by the
/// reference share. The reference is treated as known: it is a census count
/// or England's children looked after (tens of thousands), whose chance
/// variation is negligible beside an authority's count of a few dozen, and
/// a Wilson interval keeps a sensible width at counts of zero or a handful,
/// where the log-ratio (Katz) interval breaks down.
///
/// A suppressed count gives no ratio and no interval: nothing is estimated
/// from a suppressed cell and nothing is flagged. The ratio describes a
/// difference in shares, not a judgement; reports never colour it.
public struct DisproportionalityRatio: Sendable, Equatable {
  public enum Status: String, Sendable, Equatable, Codable {
    case ok
    /// The local count is suppressed (or not published): no ratio.
    case suppressed
    /// The group is absent from the reference, or a total is not positive.
    case noReference = "no_reference"
  }

  public let ratio: Double?
  public let lower: Double?
  public let upper: Double?
  public let status: Status

  /// - Parameters:
  ///   - count: the group's count in the population studied; nil when suppressed.
  ///   - total: that population's total (of known group).
  ///   - referenceCount, referenceTotal: the group's count and the total in the reference.
  public static func compute(count: Double?, total: Double, referenceCount: Double, referenceTotal: Double,
                             level: Double = 0.95) -> DisproportionalityRatio {
    guard let count, count.isFinite, count >= 0 else {
      return DisproportionalityRatio(ratio: nil, lower: nil, upper: nil, status: .suppressed)
    }
    guard total > 0, count <= total, referenceTotal > 0, referenceCount > 0 else {
      return DisproportionalityRatio(ratio: nil, lower: nil, upper: nil, status: .noReference)
    }
    let referenceShare = referenceCount / referenceTotal
    guard let wilson = try? SmallNumberInterval.compute(.wilson, count: count, denominator: total, level: level) else {
      return DisproportionalityRatio(ratio: nil, lower: nil, upper: nil, status: .noReference)
    }
    return DisproportionalityRatio(ratio: wilson.value / referenceShare, lower: wilson.lower.map { $0 / referenceShare },
                                   upper: wilson.upper.map { $0 / referenceShare }, status: .ok)
  }
}
