import Foundation
import PeerLensData

/// The checks across files that data must pass before it is stored, by
/// `data import` (`ReleaseImport.run(validate:)`) and by `ingest`
/// (`ReleaseStore.ingest(validate:)`), which `data check` reports as
/// errors: a count that contradicts its own published rate with no known
/// cause (`CountRateConflict`), and a figure that cannot be right (a
/// percentage above 100, a fractional count of children: `ImpossibleFigure`). Conflicts a known cause explains (a boundary
/// change, another denominator source) stay warnings.
///
/// One function for both commands, so that what one accepts the other
/// accepts: `ingest` once stored a count `data import` refused
/// (Hartlepool's 2024 count 336 edited to 376 beside its published rate
/// of 164).
public enum DataConsistency {
  /// What the checks across files find: every count-rate difference (the
  /// errors and the warnings a known cause explains) and every impossible
  /// figure. Each indicator's values are computed once for both checks.
  public struct Findings: Sendable {
    public var conflicts: [CountRateConflict] = []
    public var impossible: [ImpossibleFigure] = []
    public init() {}
  }

  public static func check(_ mirror: DataMirror, catalogue: IndicatorCatalogue) throws -> Findings {
    let calculator = IndicatorCalculator(mirror: mirror)
    let registry = try? mirror.registry()
    var out = Findings()
    for indicator in catalogue.indicators {
      let countRate = indicator.hasCounts && indicator.published != nil
      guard countRate || ImpossibleFigure.applies(to: indicator) else { continue }
      let values = try calculator.values(indicator)
      out.conflicts += CountRateConflict.find(in: values, indicator: indicator, registry: registry)
      out.impossible += ImpossibleFigure.find(in: values, indicator: indicator)
    }
    return out
  }

  /// The sentences of every error.
  ///
  /// - Parameter base: data accepted before, which `mirror` builds on
  ///   (`data import`'s previous vintage); errors it already holds are
  ///   left out, so an import is refused only for those it brings in.
  public static func errors(in mirror: DataMirror, catalogue: IndicatorCatalogue,
                            beyond base: DataMirror? = nil) throws -> [String] {
    func sentences(_ m: DataMirror) throws -> [String] {
      let found = try check(m, catalogue: catalogue)
      return found.conflicts.filter(\.isError).map(\.description) + found.impossible.map(\.description)
    }
    let before = try base.map { Set(try sentences($0)) } ?? []
    return try sentences(mirror).filter { !before.contains($0) }
  }
}
