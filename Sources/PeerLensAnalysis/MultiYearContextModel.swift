import Foundation
import PeerLensData
import PeerLensNumerics
import PeerLensStatistics

/// The contextual model fitted over every year at once (issue 17.6, the
/// learning loop): the specification's context terms, a year effect and
/// a random intercept per authority, as a binomial or negative binomial
/// GLMM (`RandomInterceptGLMM`, checked against lme4).
///
/// Why: one year's difference from expectation can be chance, a change in
/// recording, or something persistent. The random intercept pools an
/// authority's years: it is large only when the authority sits on the same
/// side of its expectation year after year, with enough children behind
/// the figures to tell. A difference in the latest year alone, with no
/// persistent intercept, reads as a one-year difference.
public struct MultiYearContextModel: Sendable {
  /// What the random intercept says about one authority.
  public enum Reading: String, Sendable {
    case persistentlyHigher = "persistently higher than expected given context"
    case persistentlyLower = "persistently lower than expected given context"
    case noPersistentDifference = "no persistent difference from expected given context"
  }

  public struct AuthorityEffect: Sendable {
    public let code: String
    public let name: String
    /// Years with a value in the model.
    public let years: Int
    /// The random intercept's conditional mode (log odds or log rate).
    public let effect: Double
    public let standardError: Double
    /// effect / standardError; beyond ±1.96 reads as persistent (95%).
    public var z: Double { effect / standardError }
    public var reading: Reading {
      z >= 1.959963984540054 ? .persistentlyHigher : (z <= -1.959963984540054 ? .persistentlyLower : .noPersistentDifference)
    }
  }

  public let indicator: Indicator
  public let spec: ContextModelSpec
  public let periods: [TimePeriod]
  /// The fixed effects' names: the specification's terms, then one per
  /// year after the first (`year 2022`, …).
  public let termNames: [String]
  public let fit: RandomInterceptGLMM.Fit
  public let authorities: [AuthorityEffect]
  public let observations: Int

  /// The fewest years the model is fitted on.
  public static let minimumYears = 5

  /// Fits `spec` over every period with authority values.
  ///
  /// - Throws: `AnalysisError.invalid` for a family other than negative
  ///   binomial or (quasi-)binomial, or fewer than five years.
  public static func fit(spec: ContextModelSpec, engine: ContextEngine) throws -> MultiYearContextModel {
    let indicator = try engine.indicator(spec.indicator)
    return try fit(spec: spec, indicator: indicator, values: IndicatorCalculator(mirror: engine.mirror).values(indicator),
                   context: engine.mirror.context())
  }

  /// Fits `spec` over every period of `values` (the indicator's values,
  /// already computed) with authority values.
  public static func fit(spec: ContextModelSpec, indicator: Indicator, values: [IndicatorValue],
                         context: ContextTable) throws -> MultiYearContextModel {
    let family: RandomInterceptGLMM.Family
    switch spec.family {
    case .negativeBinomial: family = .negativeBinomial
    case .binomial, .quasibinomial: family = .binomial
    default:
      throw AnalysisError.invalid("The multi-year model needs a negative-binomial or (quasi-)binomial specification; \(spec.indicator) is \(spec.family.rawValue).")
    }
    let periods = Set(values.filter { $0.level == .localAuthority && $0.status == .ok }.map(\.period)).sorted()
    guard periods.count >= minimumYears else {
      throw AnalysisError.invalid("\(indicator.id) has \(periods.count) year(s) of authority values; the multi-year model needs at least \(minimumYears).")
    }
    let formula = try FormulaParser.parse(spec.formula)
    var rows: [[Double]] = [], codes: [String] = [], names: [String: String] = [:]
    var y: [Double] = [], trials: [Double] = [], offset: [Double] = []
    var termNames: [String] = []
    for (k, p) in periods.enumerated() {
      let dataset = try ContextDataset.build(indicator: indicator, values: values, context: context, period: p)
      let frame = try ModelFrame.build(formula: formula, table: dataset.table)
      if termNames.isEmpty { termNames = frame.design.columnNames + periods.dropFirst().map { "year \($0.label)" } }
      guard frame.design.columnNames == Array(termNames.prefix(frame.design.columns)) else {
        throw AnalysisError.invalid("The model's terms differ between years for \(indicator.id) (a factor level missing in \(p.label)).")
      }
      let x = frame.design.matrix
      for r in 0..<x.rows {
        var row = (0..<x.columns).map { x[r, $0] }
        row += (1..<periods.count).map { $0 == k ? 1 : 0 }
        rows.append(row)
        let i = frame.rowIndices[r]
        codes.append(dataset.codes[i])
        names[dataset.codes[i]] = dataset.names[i]
        offset.append(frame.offset?[r] ?? 0)
        switch frame.response {
        case .binomial(let s, let f)?: y.append(s[r]); trials.append(s[r] + f[r])
        case .values(let v)?: y.append(v[r]); trials.append(1)
        case nil: throw AnalysisError.invalid("The specification for \(indicator.id) has no response.")
        }
      }
    }
    let order = Array(Set(codes)).sorted()
    let group = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
    let design = Matrix(rowArrays: rows)
    let fit = try RandomInterceptGLMM(family: family).fit(
      design: design, groups: codes.map { group[$0]! }, response: y,
      trials: family == .binomial ? trials : nil, offset: family == .negativeBinomial ? offset : nil)
    var years = [Int](repeating: 0, count: order.count)
    for c in codes { years[group[c]!] += 1 }
    let effects = order.enumerated().map { g, code in
      AuthorityEffect(code: code, name: names[code] ?? code, years: years[g], effect: fit.randomEffects[g],
                      standardError: fit.randomEffectStandardErrors[g])
    }
    return MultiYearContextModel(indicator: indicator, spec: spec, periods: periods, termNames: termNames, fit: fit,
                                 authorities: effects, observations: y.count)
  }
}
