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
    /// Indicators with authority values and no England row in any period
    /// (`MissingEngland`): warnings.
    public var missingEngland: [MissingEngland] = []
    public init() {}
  }

  public static func check(_ mirror: DataMirror, catalogue: IndicatorCatalogue) throws -> Findings {
    let calculator = IndicatorCalculator(mirror: mirror)
    let registry = try? mirror.registry()
    var out = Findings()
    for indicator in catalogue.indicators {
      let countRate = indicator.hasCounts && indicator.published != nil
      let values = try calculator.values(indicator)
      if let missing = MissingEngland(values: values, indicator: indicator) { out.missingEngland.append(missing) }
      guard countRate || ImpossibleFigure.applies(to: indicator) else { continue }
      var conflicts = CountRateConflict.find(in: values, indicator: indicator, registry: registry)
      for k in conflicts.indices where conflicts[k].isError {
        conflicts[k].locations = locations(of: conflicts[k], indicator: indicator, mirror: mirror)
      }
      out.conflicts += conflicts
      var impossible = ImpossibleFigure.find(in: values, indicator: indicator)
      for k in impossible.indices {
        impossible[k].locations = locations(period: impossible[k].period, area: impossible[k].areaCode,
                                            parts: parts(of: impossible[k], indicator: indicator), indicator: indicator,
                                            mirror: mirror)
      }
      out.impossible += impossible
    }
    return out
  }

  /// The file, line and columns of a conflict's count and of its published
  /// figure (one place when both are on one row), found by the row's area
  /// code, period and the indicator's filters.
  static func locations(of c: CountRateConflict, indicator: Indicator, mirror: DataMirror) -> [String] {
    locations(period: c.period, area: c.areaCode, parts: [(indicator.numerator, "count"), (indicator.published, "published figure")],
              indicator: indicator, mirror: mirror)
  }

  /// The parts of the data an impossible figure is made of, named.
  static func parts(of f: ImpossibleFigure, indicator: Indicator) -> [(IndicatorSource?, String)] {
    switch f.kind {
    case .fractionalCount(let part, _, _):
      return part == "count" ? [(indicator.numerator, "count")] : [(indicator.denominator, "denominator")]
    case .publishedAbove100:
      return [(indicator.published, "published figure")]
    case .countAboveDenominator, .countOverZero, .countAbovePopulation:
      return [(indicator.numerator, "count"), (indicator.denominator, "denominator")]
    }
  }

  /// The file, line and columns of each part of one area's figure for a
  /// period (one place for parts on one row); a part whose row is not
  /// found (a population from another source) is left out.
  static func locations(period: TimePeriod, area: String, parts: [(IndicatorSource?, String)], indicator: Indicator,
                        mirror: DataMirror) -> [String] {
    var out: [String] = []
    var seen: [String: Int] = [:]
    for (part, what) in parts {
      guard let part else { continue }
      let (file, filters) = indicator.resolved(part)
      guard let ees = try? mirror.eesFile(file), let rows = try? ees.rows(matching: filters),
            let row = rows.first(where: { $0.period.code == period.code && ($0.areaCode == area || $0.oldCode == area) })
      else { continue }
      let line = ees.table.lineNumbers[row.index]
      let columns = part.columns.joined(separator: " + ")
      if let k = seen["\(file):\(line)"] {
        out[k] = out[k].dropLast() + ", \(what) \(columns))"
      } else {
        seen["\(file):\(line)"] = out.count
        out.append("dfe/\(file) line \(line) (\(what) \(columns))")
      }
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
    // Compared without the lines: a conflict the base already holds is not
    // new because the file it sits in gained rows above it.
    func statements(_ m: DataMirror) throws -> [(key: String, sentence: String)] {
      let found = try check(m, catalogue: catalogue)
      return found.conflicts.filter(\.isError).map { ($0.statement, $0.description) }
        + found.impossible.map { ($0.statement, $0.description) }
    }
    let before = try base.map { Set(try statements($0).map(\.key)) } ?? []
    return try statements(mirror).filter { !before.contains($0.key) }.map(\.sentence)
  }
}
