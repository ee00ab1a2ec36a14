import Foundation
import PeerLensData

/// One row per current authority: an indicator's numerator, denominator
/// and value for a period, joined by `new_la_code` to the context table,
/// as a `CSVTable` that formulas can read.
public struct ContextDataset: Sendable {
  public let indicator: Indicator
  public let period: TimePeriod
  public let table: CSVTable
  /// The authority code of each row.
  public let codes: [String]
  public let names: [String]
  public let values: [String: IndicatorValue]

  /// Builds the dataset.
  ///
  /// - Parameter period: the period to use (default: the latest period
  ///   with at least one authority value).
  public static func build(indicator: Indicator, values allValues: [IndicatorValue], context: ContextTable,
                           period wanted: TimePeriod? = nil) throws -> ContextDataset {
    let la = allValues.filter { $0.level == .localAuthority }
    let periods = Set(la.filter { $0.status == .ok }.map(\.period))
    guard let period = wanted ?? periods.max() else {
      throw AnalysisError.noData(indicator: indicator.id, detail: "no authority has a value in any period")
    }
    let inPeriod = la.filter { $0.period == period }
    guard inPeriod.contains(where: { $0.status == .ok }) else {
      throw AnalysisError.noData(indicator: indicator.id, detail: "every authority's value for \(period.label) is missing (suppressed or not available)")
    }
    var byCode: [String: IndicatorValue] = [:]
    // An absence rate's counts in pupils, not sessions (`pupil_clustering`).
    for v in inPeriod { byCode[v.areaCode] = v.countedForChance(indicator) }
    let ctx = context.table
    let codeColumn = try ctx.text("new_la_code")
    let extra = ["numerator", "denominator", "value", "status"]
    var cells = ctx.cells
    var quoted = ctx.quoted
    var extraCells = [[String]](repeating: [], count: extra.count)
    for code in codeColumn {
      let v = byCode[code]
      let ok = v?.status == .ok
      extraCells[0].append(ok ? CSVWriter.number(v?.numerator) : "")
      // The denominator (a population or a total) is kept even when the
      // count is suppressed, so the model can still say what it expects.
      extraCells[1].append(CSVWriter.number(v?.denominator))
      extraCells[2].append(ok ? CSVWriter.number(v?.value) : "")
      extraCells[3].append(v?.status.code ?? "not_available")
    }
    cells += extraCells
    quoted += extraCells.map { $0.map { _ in false } }
    let table = CSVTable(source: "\(indicator.id) \(period.label) joined with la_context.csv",
                         columnNames: ctx.columnNames + extra, cells: cells, quoted: quoted,
                         lineNumbers: ctx.lineNumbers)
    let names = (try? ctx.text("la_name")) ?? codeColumn
    return ContextDataset(indicator: indicator, period: period, table: table, codes: codeColumn, names: names,
                          values: byCode)
  }
}

/// Problems in the analysis layer, in words for people.
public enum AnalysisError: Error, LocalizedError, Sendable {
  case noData(indicator: String, detail: String)
  case tooManyTerms(terms: Int, authorities: Int)
  case invalid(String)
  /// None of the numbers of clusters asked for can be formed: each must
  /// be at least 2, below the number of units with complete data and no
  /// more than the number of distinct profiles among them (units with
  /// identical values cannot be told apart, so more families than
  /// profiles leaves one empty).
  case clusterCountsOutOfReach(requested: [Int], units: Int, distinct: Int)

  public var errorDescription: String? {
    switch self {
    case .noData(let id, let d): return "Indicator '\(id)': \(d)."
    case .tooManyTerms(let t, let n):
      return "The model has \(t) parameters but only \(n) authorities have values; use fewer context variables."
    case .invalid(let s): return s
    case .clusterCountsOutOfReach(let ks, let n, let d):
      let asked = ks.count == 1 ? "k = \(ks[0])" : "k from \(ks.min() ?? 0) to \(ks.max() ?? 0)"
      let top = min(n - 1, d)
      if d < n - 1 {
        let possible = top >= 2 ? "from 2 to \(top)" : "none (at least 2 distinct profiles are needed)"
        return "No clustering can be formed for \(asked): the \(n) units with complete data have only \(d) distinct "
          + "profiles (the others repeat a unit's values exactly), and more families than profiles would leave one "
          + "empty: \(possible)."
      }
      let possible = n > 2 ? "from 2 to \(n - 1)" : "none (at least 3 units are needed)"
      return "No clustering can be formed for \(asked): there are \(n) units with complete data, so the number of "
        + "clusters must be at least 2 and below \(n): \(possible)."
    }
  }
}
