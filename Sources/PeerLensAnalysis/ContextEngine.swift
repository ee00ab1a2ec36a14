import Foundation
import PeerLensData
import PeerLensNumerics
import PeerLensStatistics

/// How a response is transformed before all-subsets selection.
public enum ResponseTransform: String, Sendable, CaseIterable {
  case none, log
}

/// Runs contextual models and selections against the mirror.
public struct ContextEngine: Sendable {
  public let mirror: DataMirror
  public let catalogue: IndicatorCatalogue

  public init(mirror: DataMirror, catalogue: IndicatorCatalogue) {
    self.mirror = mirror
    self.catalogue = catalogue
  }

  public func indicator(_ id: String) throws -> Indicator {
    try catalogue.requireIndicator(id)
  }

  /// Parses a period argument (`2025`, `202425`, `2024/25`) against the
  /// periods an indicator has, as every `--year` is read
  /// (`TimePeriod.named(_:among:)`).
  public func period(_ text: String?, among values: [IndicatorValue]) throws -> TimePeriod? {
    guard let text else { return nil }
    let periods = Set(values.map(\.period))
    if let p = TimePeriod.named(text, among: periods) { return p }
    throw AnalysisError.invalid("No period '\(text)' for this indicator; it has \(periods.sorted().map(\.label).joined(separator: ", ")).")
  }

  /// Fits a model spec for a period (default: the latest).
  /// - Parameter context: the mirror's context table, when the caller has
  ///   it already (the explorer refits many times; each read parses the file).
  /// - Parameter coverage: leave-one-out coverage and influence besides the
  ///   skill (see ``LeaveOneOutSkill/exact(frame:family:link:fitted:logitNormalTau2:coverage:)``).
  /// - Parameter specSource: the specification's file, named when its own
  ///   `year` is not a period of the indicator (the error had read as if
  ///   `--year` had been given).
  public func run(spec: ContextModelSpec, period: String? = nil,
                  values precomputed: [IndicatorValue]? = nil, context: ContextTable? = nil,
                  coverage: Bool = true, specSource: String? = nil) throws -> ContextModelRun {
    let ind = try indicator(spec.indicator)
    // A weighting the specification cannot take is refused first, naming
    // its file (the fit checks again for callers without one).
    if let formula = try? FormulaParser.parse(spec.formula) {
      try RandomEffectsWeighting.check(spec: spec, indicator: ind, formula: formula, source: specSource)
    }
    let values = try precomputed ?? IndicatorCalculator(mirror: mirror).values(ind)
    let p: TimePeriod?
    if period == nil, let year = spec.year {
      do { p = try self.period(year, among: values) } catch {
        throw AnalysisError.invalid("\(specSource ?? "The model specification"), year = \"\(year)\": no such period for "
          + "\(ind.id); it has \(Set(values.map(\.period)).sorted().map(\.label).joined(separator: ", ")) "
          + "(or leave out year for the latest).")
      }
    } else {
      p = try self.period(period, among: values)
    }
    // As the packs do (`NationalRun.inconsistentCounts`): counts that
    // contradict their own published figure are left out of the model,
    // and said so; `model fit` had fitted them, or failed on them.
    let counted = precomputed != nil ? values
      : NationalRun.inconsistentCounts(values, indicator: ind, registry: try? mirror.registry())
    let dataset = try ContextDataset.build(indicator: ind, values: counted, context: context ?? mirror.context(), period: p)
    if precomputed == nil { try Self.refuseImpossibleCounts(dataset, formula: spec.formula) }
    var notes: [String] = []
    if ind.pupilClustering != nil {
      notes.append("The counts the model reads are in pupils, not sessions: each authority's sessions missed and "
                   + "possible are scaled to its effective number of pupils, pupils × (κ + 1), with κ fitted to England's "
                   + "share of pupils missing at least half their sessions, because sessions are clustered within "
                   + "pupils. The rates are unchanged; the model's weights, dispersion and intervals count chance in pupils.")
    }
    for (before, after) in zip(values, counted)
    where before.period == dataset.period && before.numerator != nil && after.numerator == nil {
      notes.append("\(before.name) (\(before.areaCode)): the counts (\(JSONValue.format(before.numerator!)) of "
                   + "\(before.denominator.map(JSONValue.format) ?? "?")) contradict DfE's published figure "
                   + "(\(before.published.map(JSONValue.format) ?? "?")) for \(dataset.period.label), so they are left out of "
                   + "the model, as the packs leave them out; 'peerlens data check' lists every such row.")
    }
    return try ContextModelRun.fit(spec: spec, dataset: dataset, coverage: coverage, notes: notes)
  }

  /// Refuses a count the model would read that cannot be right: above its
  /// denominator, or above the child population of a rate of children.
  ///
  /// Why: such a count reached a binomial model as a negative number of
  /// failures, with an error naming a line of la_context.csv (the joined
  /// table's) rather than the data file, and a rate model fitted it as
  /// 14,225 per 10,000. Only where the formula reads the counts or the
  /// value made from them, and only here, for `model fit`: the packs (with
  /// their values given) keep the model as before, and `data check`
  /// reports the row as an error.
  static func refuseImpossibleCounts(_ dataset: ContextDataset, formula text: String) throws {
    let names = (try? FormulaParser.parse(text).variableNames) ?? []
    // `value` too: without a published figure it is computed from them.
    guard names.contains(where: ["numerator", "denominator", "value"].contains) else { return }
    let impossible = ImpossibleFigure.find(in: dataset.codes.compactMap { dataset.values[$0] }, indicator: dataset.indicator)
    if let first = impossible.first(where: {
      switch $0.kind {
      case .countAboveDenominator, .countAbovePopulation: return true
      default: return false
      }
    }) {
      throw AnalysisError.invalid("\(first.description) The model cannot use it: correct the row, or see every such "
                                  + "figure with 'peerlens data check'.")
    }
  }

  /// All-subsets selection over context columns.
  /// Authorities of the dataset that a selection could not use, by why,
  /// so the command can say how many it left out: with `--transform log`
  /// a value of 0 has no logarithm, and such authorities used to vanish
  /// from the count unsaid.
  public struct SelectionLeftOut: Sendable, Equatable {
    /// No value for the period (suppressed, not applicable, missing).
    public var noValue = 0
    /// A value of 0 or below, which has no logarithm (log transform only).
    public var notPositive: [String] = []
    /// A value, but a candidate column empty for the authority.
    public var missingCandidate = 0
  }

  /// - Parameter listedAs: the option the candidates were given with
  ///   (`--candidates`), which an unknown column's message starts with.
  public func select(indicator id: String, candidates: [String], period: String?, transform: ResponseTransform,
                     listedAs option: String? = nil) throws
    -> (selection: AllSubsetsSelection, period: TimePeriod, leftOut: SelectionLeftOut) {
    let ind = try indicator(id)
    let values = try IndicatorCalculator(mirror: mirror).values(ind)
    let p = try self.period(period, among: values)
    let context = try mirror.context()
    let dataset = try ContextDataset.build(indicator: ind, values: values, context: context, period: p)
    var columns: [[String: Double]] = []
    for (k, c) in candidates.enumerated() {
      guard context.table.hasColumn(c) else {
        throw FormulaError.unknownListed(candidates, at: k, available: context.table.columnNames, option: option)
      }
      columns.append(try context.numeric(c))
    }
    var rows: [Double] = [], y: [Double] = []
    var used = 0
    var leftOut = SelectionLeftOut()
    for code in dataset.codes {
      guard let v = dataset.values[code], v.status == .ok, var value = v.value else { leftOut.noValue += 1; continue }
      if transform == .log {
        guard value > 0 else { leftOut.notPositive.append(code); continue }
        value = Foundation.log(value)
      }
      let xs = columns.map { $0[code] }
      guard xs.allSatisfy({ $0 != nil }) else { leftOut.missingCandidate += 1; continue }
      rows.append(contentsOf: xs.map { $0! })
      y.append(value)
      used += 1
    }
    guard used > 0 else { throw AnalysisError.noData(indicator: id, detail: "no authority has both a value and every candidate") }
    // rows is row-major (used × k); transpose to column-major.
    let k = candidates.count
    var colMajor = [Double](repeating: 0, count: used * k)
    for i in 0..<used { for j in 0..<k { colMajor[j * used + i] = rows[i * k + j] } }
    let selection = try AllSubsetsSelection(candidates: Matrix(rows: used, columns: k, columnMajor: colMajor),
                                            names: candidates, response: y)
    return (selection, dataset.period, leftOut)
  }
}
