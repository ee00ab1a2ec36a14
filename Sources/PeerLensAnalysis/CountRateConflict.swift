import Foundation
import PeerLensData

/// A row whose count and denominator give a different figure from the
/// rate (or percentage) DfE published on the same row, at the published
/// precision, by more than rounding or a known cause explains.
///
/// A pack built from such a row contradicts itself: Hartlepool's 2025
/// count edited to 3,320 showed a rate of 157 beside 3,320 of 21,090
/// children (1,574 per 10,000). `data check` lists them.
public struct CountRateConflict: Sendable, Equatable, CustomStringConvertible {
  public let indicatorID: String
  public let period: TimePeriod
  public let areaCode: String
  public let name: String
  public let count: Double
  public let denominator: Double
  public let computed: Double
  public let published: Double
  /// The likely cause (`revision`: nothing known explains it).
  public let cause: PublishedAgreement.Cause

  /// A conflict that no known cause explains is an error; one explained by
  /// a boundary change or another denominator source is a warning.
  public var isError: Bool { cause == .revision }

  /// Where the two figures are, as "dfe/FILE.csv line N (columns …)":
  /// the count's row and the published figure's, for the reader to open
  /// (`DataConsistency.check` finds them for the errors). The sentence
  /// had named only the derived indicator, not a file, line or column.
  public var locations: [String] = []

  /// The sentence without `locations`: what identifies the conflict
  /// (a line can move between two versions of a file).
  public var statement: String {
    "\(indicatorID) \(period.label) \(areaCode) \(name): count \(Self.number(count)) of \(Self.number(denominator)) gives "
      + "\(Self.number(computed)), but the published figure is \(Self.number(published)) (\(cause.words))"
  }

  public var description: String {
    statement + (locations.isEmpty ? "" : "; see " + locations.joined(separator: " and ")) + "."
  }

  static func number(_ v: Double) -> String {
    v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(format: "%.4g", v)
  }

  /// The local-authority rows of one indicator's values whose computed
  /// figure differs from the published one, except where the counts are
  /// published rounded (FTEs) or the value is a tie at the rounding
  /// boundary: those are not contradictions. `DataConsistency.check`
  /// runs it over every indicator with counts and a published figure.
  public static func find(in values: [IndicatorValue], indicator: Indicator,
                          registry: AuthorityRegistry?) -> [CountRateConflict] {
    guard indicator.hasCounts, indicator.published != nil else { return [] }
    let byKey = Dictionary(values.filter { $0.level == .localAuthority }.map { ("\($0.areaCode)\u{1F}\($0.period.code)", $0) },
                           uniquingKeysWith: { a, _ in a })
    var out: [CountRateConflict] = []
    for agreement in PublishedAgreement.compare(values, indicator: indicator, registry: registry) {
      for d in agreement.differences where d.level == .localAuthority
        && [.revision, .boundaryChange, .denominatorSource].contains(d.cause) {
        guard let v = byKey["\(d.areaCode)\u{1F}\(agreement.period.code)"], let n = v.numerator, let den = v.denominator else { continue }
        out.append(CountRateConflict(indicatorID: indicator.id, period: agreement.period, areaCode: d.areaCode, name: d.name,
                                     count: n, denominator: den, computed: d.computedRounded, published: d.published,
                                     cause: d.cause))
      }
    }
    return out
  }
}
