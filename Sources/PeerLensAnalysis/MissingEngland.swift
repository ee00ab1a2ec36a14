import PeerLensData

/// An indicator whose authorities have values and whose files have no
/// England (National) row in any period: every pack's England comparison
/// and the England pack itself are empty for it.
///
/// Why a check: DfE's files carry the national figure beside the
/// authorities', so a file without any National row has lost them (a
/// filter applied before saving, a copy of part of the file), and nothing
/// else says so; `data check` lists it as a warning, which `--strict` fails.
public struct MissingEngland: Sendable, Equatable, CustomStringConvertible {
  public let indicatorID: String
  /// How many periods have at least one authority value.
  public let periods: Int
  /// The file the indicator's values are read from.
  public let file: String

  /// `nil` when the indicator has an England row somewhere, or no
  /// authority values at all.
  public init?(values: [IndicatorValue], indicator: Indicator) {
    guard !values.contains(where: { $0.level == .national }) else { return nil }
    let periods = Set(values.filter { $0.level == .localAuthority && $0.status == .ok }.map(\.period))
    guard !periods.isEmpty else { return nil }
    self.indicatorID = indicator.id
    self.periods = periods.count
    self.file = indicator.source
  }

  public var description: String {
    "\(indicatorID): authorities have values in \(periods) period\(periods == 1 ? "" : "s"), and \(file) has no National "
      + "row for it in any of them, so the packs show no England figure for it."
  }
}
