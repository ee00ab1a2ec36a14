import Foundation
import PeerLensData
import PeerLensStatistics

/// LAIT's quartile banding of authorities for one period.
///
/// The cut points are the 25%, 50% and 75% quantiles of all authorities'
/// values for the period, by R's default `quantile` (type 7). The four
/// intervals are [minimum, Q1], (Q1, Q2], (Q2, Q3] and (Q3, maximum]:
/// a value equal to a cut point belongs to the band below it. Where lower
/// is better the intervals are A to D in that order; where higher is
/// better the letters are reversed, so A is the top quarter, above Q3.
/// Indicators with no polarity get no band: a band letter reads as a
/// grade the data do not support.
public enum QuartileBand: String, Sendable, Codable, CaseIterable {
  case a = "A", b = "B", c = "C", d = "D"

  /// Quartiles (Q1, Q2, Q3) of the values, R type 7.
  public static func quartiles(_ values: [Double]) -> (q1: Double, q2: Double, q3: Double)? {
    guard !values.isEmpty else { return nil }
    let q = Quantiles.type7(values, [0.25, 0.5, 0.75])
    return (q[0], q[1], q[2])
  }

  /// The band of `x` against quartiles, or `nil` without polarity.
  public static func band(_ x: Double, quartiles q: (q1: Double, q2: Double, q3: Double), polarity: Polarity) -> QuartileBand? {
    let fromLowest: Int = x <= q.q1 ? 0 : x <= q.q2 ? 1 : x <= q.q3 ? 2 : 3
    switch polarity {
    case .lowerIsBetter: return allCases[fromLowest]
    case .higherIsBetter: return allCases[3 - fromLowest]
    case .noJudgement: return nil
    }
  }

  /// Every authority's band for one period (empty without polarity).
  ///
  /// - Parameter values: authority → value (published figures, as LAIT holds them).
  public static func bands(_ values: [String: Double], polarity: Polarity) -> [String: QuartileBand] {
    guard polarity != .noJudgement, let q = quartiles(Array(values.values)) else { return [:] }
    return values.compactMapValues { band($0, quartiles: q, polarity: polarity) }
  }
}
