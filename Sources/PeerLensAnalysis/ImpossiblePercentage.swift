import Foundation
import PeerLensData

/// A percentage that cannot be right: a count above its own denominator,
/// or a published percentage above 100, for an indicator whose numerator
/// counts some of its denominator's children (`Indicator.isBoundedAt100`).
///
/// Nothing else catches these: the value parses, it is not negative, and
/// a count edited above its denominator agrees with its own rate when the
/// rate is computed here. A funnel plot leaves such an authority out (no
/// proportion is above 1), so the pack would lose it without a word.
/// `data check` reports them as errors and `data import` and `ingest`
/// refuse them.
public struct ImpossiblePercentage: Sendable, Equatable, CustomStringConvertible {
  public let indicatorID: String
  public let level: GeographicLevel
  public let period: TimePeriod
  public let areaCode: String
  public let name: String
  /// The count and denominator, when the count is above the denominator.
  public let count: Double?
  public let denominator: Double?
  /// The published percentage, when it is above 100.
  public let published: Double?
  public let files: [String]

  public var description: String {
    let place = "\(indicatorID) \(period.label) \(areaCode.isEmpty ? "" : areaCode + " ")\(name)"
    let source = " (\(files.joined(separator: ", ")))"
    if let count, let denominator {
      return "\(place): count \(CountRateConflict.number(count)) is above its denominator "
        + "\(CountRateConflict.number(denominator)), a percentage of \(String(format: "%.1f", 100 * count / denominator)); "
        + "a percentage of these children cannot exceed 100\(source)."
    }
    return "\(place): the published percentage \(CountRateConflict.number(published ?? .nan)) is above 100, "
      + "which a percentage of these children cannot be\(source)."
  }

  /// Every row, at every level, of every bounded percentage indicator that
  /// holds a count above its denominator or a published figure above 100.
  public static func find(mirror: DataMirror, catalogue: IndicatorCatalogue) throws -> [ImpossiblePercentage] {
    let calculator = IndicatorCalculator(mirror: mirror)
    var out: [ImpossiblePercentage] = []
    for indicator in catalogue.indicators where indicator.isBoundedAt100 {
      let numeratorFiles = [indicator.numerator, indicator.denominator].compactMap { $0 }.map { indicator.resolved($0).file }
      let publishedFiles = indicator.published.map { [indicator.resolved($0).file] } ?? []
      for v in try calculator.values(indicator) {
        if let x = v.numerator, let n = v.denominator, x > n, n >= 0 {
          out.append(ImpossiblePercentage(indicatorID: indicator.id, level: v.level, period: v.period, areaCode: v.areaCode,
                                          name: v.name, count: x, denominator: n, published: nil,
                                          files: Array(Set(numeratorFiles)).sorted()))
        } else if let p = v.published ?? (v.fromPublished ? v.value : nil), p.isFinite, p > 100 {
          out.append(ImpossiblePercentage(indicatorID: indicator.id, level: v.level, period: v.period, areaCode: v.areaCode,
                                          name: v.name, count: nil, denominator: nil, published: p, files: publishedFiles))
        }
      }
    }
    return out
  }
}
