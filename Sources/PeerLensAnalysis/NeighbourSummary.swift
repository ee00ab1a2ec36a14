import Foundation
import PeerLensData

/// An authority's official statistical neighbours summarised as the two
/// official tools summarise them, so that a figure read beside either
/// tool agrees with it to the digit.
///
/// - `median` follows the DfE Children's Social Care dashboard: the median
///   of the neighbours' *published* values (already rounded by DfE to the
///   indicator's published precision), then rounded half-up at that
///   precision. Neighbours published at 59 and 60 give 59.5, shown as 60;
///   the median of their unrounded rates (59.3 and 59.5, say) would be
///   59.4, shown as 59.
/// - `mean` follows LAIT: the plain mean of the neighbours' published
///   values that are present, kept at full precision (readers see it at
///   the published precision).
///
/// A suppressed or missing neighbour is left out of both, never read as
/// zero; `count` says how many neighbours the figures rest on.
public struct NeighbourSummary: Sendable, Equatable {
  /// The DfE dashboard's neighbour median (rounded at the published precision).
  public let median: Double
  /// LAIT's statistical-neighbour average (unrounded).
  public let mean: Double
  /// Neighbours with a published value.
  public let count: Int
  /// Neighbours left out: suppressed, missing or not published.
  public let leftOut: Int
  /// The lowest and highest published neighbour values.
  public let minimum: Double
  public let maximum: Double

  /// Summarises neighbours' published values (`nil` for a neighbour whose
  /// value is suppressed or missing).
  ///
  /// The median is taken on the values scaled to whole units of the last
  /// published digit, so that the half-way case (59 and 60, or 12.3 and
  /// 12.4) is an exact .5 and rounds up whatever binary fractions the
  /// decimals would have.
  ///
  /// - Returns: `nil` when no neighbour has a value.
  public init?(publishedValues: [Double?], decimals: Int, rounding: RoundingRule = .halfUp) {
    let present = publishedValues.compactMap { $0 }.filter(\.isFinite)
    guard !present.isEmpty else { return nil }
    let scale = pow(10, Double(decimals))
    let units = present.map { ($0 * scale).rounded() }.sorted()
    let m = units.count / 2
    let middle = units.count % 2 == 1 ? units[m] : (units[m - 1] + units[m]) / 2
    median = PublishedRounding.round(middle, decimals: 0, rule: rounding) / scale
    mean = present.reduce(0, +) / Double(present.count)
    count = present.count
    leftOut = publishedValues.count - present.count
    minimum = present.min()!
    maximum = present.max()!
  }
}
