import Foundation
import PeerLensData

extension CountRateConflict {
  /// The check across files that data must pass before it is stored, by
  /// `data import` (`ReleaseImport.run(validate:)`) and by `ingest`
  /// (`ReleaseStore.ingest(validate:)`): the sentences of the rows whose
  /// count contradicts their own published rate with no known cause, which
  /// `data check` reports as errors. Conflicts a known cause explains
  /// (a boundary change, another denominator source) stay warnings.
  ///
  /// One function for both, so that what one accepts the other accepts:
  /// `ingest` once stored a count `data import` refused (Hartlepool's 2024
  /// count 336 edited to 376 beside its published rate of 164).
  ///
  /// - Parameter base: data accepted before, which `mirror` builds on
  ///   (`data import`'s previous vintage); conflicts it already holds are
  ///   left out, so an import is refused only for those it brings in.
  public static func errors(in mirror: DataMirror, catalogue: IndicatorCatalogue,
                            beyond base: DataMirror? = nil) throws -> [String] {
    func sentences(_ m: DataMirror) throws -> [String] {
      try find(mirror: m, catalogue: catalogue, registry: try? m.registry()).filter(\.isError).map(\.description)
    }
    let before = try base.map { Set(try sentences($0)) } ?? []
    return try sentences(mirror).filter { !before.contains($0) }
  }
}
