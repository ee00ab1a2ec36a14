import Foundation
import PeerLensAnalysis
import PeerLensData
import PeerLensStatistics

/// A fitted model ready to print: one type for linear and generalized
/// fits so the command and tests share the JSON layout.
struct FitReport {
  typealias Fitted = FittedModel

  let fitted: Fitted
  let frame: ModelFrame
  /// The table the frame came from, so that a diagnostic about one row
  /// names its line in the file (`ModelFrame.describing(_:in:)`).
  let table: CSVTable?

  /// Fits least squares for the Gaussian family with the identity link, a
  /// GLM otherwise (θ estimated for the negative binomial): the one
  /// fitting path the analysis layer also uses.
  static func fit(frame: ModelFrame, family: FamilyName, link: Link?, table: CSVTable? = nil) throws -> FitReport {
    FitReport(fitted: try FittedModel.fit(frame: frame, family: family, link: link, table: table), frame: frame,
              table: table)
  }

  /// A diagnostic's text, located in the file when the table is known.
  func describe(_ diagnostic: ModelDiagnostic) -> String {
    table.map { frame.describing(diagnostic, in: $0) } ?? diagnostic.description
  }

  var coefficientNames: [String] { frame.design.columnNames }

  /// The formula's notes (where its meaning differs from R's), and a note
  /// for each variable read as categories only because its numbers are quoted.
  var notes: [String] {
    // `factor(g)` says the categories are meant.
    let quoted = (table.map { ModelFrame.quotedNumberVariables(formula: frame.formula, table: $0) } ?? [])
      .filter { !frame.formula.text.contains("factor(\($0))") }
    return frame.formula.notes + quoted.map {
      "Every value of '\($0)' is a number in quotes: it is read as a categorical variable (one coefficient per value), "
        + "as quoted values are here, where R's read.csv would read numbers. If '\($0)' is a measurement rather than a code, "
        + "remove the quotes."
    }
  }

  var summaryText: String {
    let text: String
    switch fitted {
    case .linear(let f): text = f.summary(formula: frame.formula.text, weighted: frame.weights != nil,
                                          dropped: frame.droppedRows).text
    case .generalized(let g): text = g.summary(formula: frame.formula.text, dropped: frame.droppedRows, describe: describe).text
    }
    // Where the formula's meaning differs from R's, the summary says so.
    return text + notes.map { "Note: \($0)\n" }.joined()
  }

  var robustStandardErrors: [Double?]? {
    switch fitted {
    case .linear(let f): return f.standardErrors(.hc0)
    case .generalized(let g): return g.robustStandardErrors
    }
  }

  /// The JSON layout documented for `peerlens fit --format json`.
  func json(includeRobust: Bool) -> JSONValue {
    var fields: [(String, JSONValue)] = []
    let coefficients: [Double?], se: [Double?], stat: [Double?], p: [Double?]
    let ci: [(lower: Double, upper: Double)?]
    switch fitted {
    case .linear(let f):
      coefficients = f.coefficients; se = f.standardErrors; stat = f.tValues; p = f.pValues
      ci = f.confidenceIntervals()
      fields += [("family", .string("gaussian")), ("link", .string("identity")), ("formula", .string(frame.formula.text)),
                 ("n", .integer(f.observationsUsed)), ("df_residual", .integer(f.degreesOfFreedom)),
                 ("rank", .integer(f.rank))]
    case .generalized(let g):
      coefficients = g.coefficients; se = g.standardErrors; stat = g.statistics; p = g.pValues
      ci = g.confidenceIntervals()
      fields += [("family", .string(g.family.name)), ("link", .string(g.link.rawValue)),
                 ("formula", .string(frame.formula.text)), ("n", .integer(g.observations)),
                 ("df_residual", .integer(g.residualDegreesOfFreedom)), ("rank", .integer(g.rank))]
    }
    let robust = includeRobust ? robustStandardErrors : nil
    let coefs: [JSONValue] = (0..<coefficients.count).map { k in
      var c: [(String, JSONValue)] = [
        ("term", .string(coefficientNames[k])), ("estimate", .optional(coefficients[k])),
        ("std_error", .optional(se[k])), ("statistic", .optional(stat[k])), ("p_value", .optional(p[k])),
        ("conf_low", .optional(ci[k]?.lower)), ("conf_high", .optional(ci[k]?.upper)),
        ("aliased", .bool(coefficients[k] == nil)),
      ]
      if let robust { c.append(("robust_std_error", .optional(robust[k]))) }
      return .object(c)
    }
    fields.append(("coefficients", .array(coefs)))
    switch fitted {
    case .linear(let f):
      let fs = f.fStatistic
      fields += [
        ("sigma", .number(f.sigma)), ("r_squared", .number(f.rSquared)), ("adj_r_squared", .number(f.adjustedRSquared)),
        ("f_statistic", .optional(fs?.value)), ("f_df_numerator", .optional(fs?.numeratorDF)),
        ("f_df_denominator", .optional(fs?.denominatorDF)), ("f_p_value", .optional(f.fPValue)),
        ("log_likelihood", .number(f.logLikelihood)), ("aic", .number(f.aic)), ("bic", .number(f.bic)),
        ("condition_number", .number(f.conditionNumber)),
      ]
      var warnings: [JSONValue] = []
      let aliasedNames = (0..<f.aliased.count).filter { f.aliased[$0] }.map { coefficientNames[$0] }
      if !aliasedNames.isEmpty { warnings.append(.string(ModelDiagnostic.aliasedCoefficients(names: aliasedNames).description)) }
      let rAliased = f.aliasedInR.indices.filter { f.aliasedInR[$0] }.map { coefficientNames[$0] }
      if !rAliased.isEmpty { warnings.append(.string(ModelDiagnostic.aliasedInR(names: rAliased).description)) }
      if f.degreesOfFreedom > 0 && f.isEssentiallyPerfectFit { warnings.append(.string(LinearModelFit.perfectFitNote)) }
      if frame.droppedRows > 0 { warnings.append(.string(ModelDiagnostic.observationsDropped(count: frame.droppedRows).description)) }
      warnings += notes.map { .string($0) }
      fields.append(("warnings", .array(warnings)))
    case .generalized(let g):
      fields += [
        ("deviance", .number(g.deviance)), ("null_deviance", .number(g.nullDeviance)),
        ("df_null", .integer(g.nullDegreesOfFreedom)), ("dispersion", .number(g.dispersion)),
        ("log_likelihood", .optional(g.logLikelihood)), ("aic", .optional(g.aic)), ("bic", .optional(g.bic)),
        ("theta", .optional(g.theta)), ("theta_std_error", .optional(g.thetaStandardError)),
        ("iterations", .integer(g.iterations)), ("converged", .bool(g.converged)),
        ("deviance_explained", .number(g.devianceExplained)),
      ]
      var warnings = g.diagnostics.map { JSONValue.string(describe($0)) }
      if frame.droppedRows > 0 { warnings.append(.string(ModelDiagnostic.observationsDropped(count: frame.droppedRows).description)) }
      warnings += notes.map { .string($0) }
      fields.append(("warnings", .array(warnings)))
    }
    return .object(fields)
  }

  /// The `bootstrap` member of the JSON output.
  static func json(_ b: BootstrapSummary) -> JSONValue {
    .object([
      ("resamples", .integer(b.resamples)), ("seed", .optional(b.seed.flatMap { Int(exactly: $0) })), ("level", .number(b.level)),
      ("failed", .integer(b.failed)),
      ("aliased", .integer(b.aliased)),
      ("parameters", .array(b.parameters.map { p in
        .object([("term", .string(p.name)), ("estimate", .optional(p.estimate)), ("std_error", .optional(p.standardError)),
                 ("conf_low", .optional(p.lower)), ("conf_high", .optional(p.upper)),
                 ("resamples_used", .integer(p.resamplesUsed))])
      })),
    ])
  }
}
