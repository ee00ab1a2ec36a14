import ArgumentParser
import Foundation
import PeerLensAnalysis
import PeerLensData
import PeerLensReports
import PeerLensStatistics

/// `peerlens model fit|select`: contextual models of indicators.
struct ModelCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "model",
    abstract: "Fit contextual models of indicators and select context variables.",
    subcommands: [Fit.self, Select.self, Check.self]
  )

  struct Fit: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Fit a model specification (Models/context/*.toml) and print each authority's expected value.",
      discussion: """
        The summary is laid out like R's; the per-authority table gives observed and expected \
        values, the 95% confidence interval of the expectation, 95% and 99.8% prediction intervals, \
        observed/expected, the Pearson residual, raw and context-adjusted ranks, the funnel z-score \
        and flag after context, and an empirical-Bayes shrunk value.

        Examples (file and folder names stand for your own):
          peerlens model fit Models/context/cla_rate.toml --data ~/dfe-data
          peerlens model fit Models/context/rereferral_pct.toml --year 2024 \\
              --format csv
          peerlens model fit Models/context/cla_rate.toml --all-years

        --all-years fits the specification over every year at once (five or more), with a year \
        effect and a random intercept per authority (a negative binomial or binomial mixed model \
        by the Laplace approximation, as lme4's glmer), and says which authorities sit \
        persistently above or below their expectation rather than in one year only.
        """
    )

    @Argument(help: "The model specification file.", transform: FilePath.specification)
    var spec: URL

    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var catalogueOptions: CatalogueOptions

    @Option(name: .long, help: "The period to fit (default: the latest with data).")
    var year: String?

    @Option(name: .long, help: "Output format: text, json or csv.")
    var format: OutputFormat = .text

    @Flag(name: .long, help: "Fit over every year with a year effect and an authority random intercept.")
    var allYears = false

    func run() throws {
      let spec = try ContextModelSpec.load(from: self.spec)
      let mirror = try dataOptions.mirror()
      if allYears {
        if year != nil { throw ValidationError("--all-years fits every year; leave out --year.") }
        let engine = ContextEngine(mirror: mirror, catalogue: try catalogueOptions.load())
        print(MultiYearReport.render(try MultiYearContextModel.fit(spec: spec, engine: engine), format: format), terminator: "")
        return
      }
      let run = try ContextEngine(mirror: mirror, catalogue: catalogueOptions.load())
        .run(spec: spec, period: year, specSource: self.spec.relativePath)
      switch format {
      case .text:
        print("Indicator: \(run.indicator.title) (\(run.indicator.id)), \(run.period.label)")
        print(run.model.summaryText(formula: spec.formula, dropped: run.frame.droppedRows,
                                    weighted: run.randomEffects != nil), terminator: "")
        if let re = run.randomEffects, case .linear(let lf) = run.model {
          print("\nWeights: w = 1/(τ² + σ²/n), n the pupils (denominator): σ = \(RegressionSummary.fmt(re.pupilSD)) "
                + "(pupil_sd), τ² = \(RegressionSummary.fmt(re.tauSquared)) by REML with these covariates (a "
                + "random-effects meta-regression). Prediction intervals have variance s²/w + se(fit)², s taken as "
                + "\(RegressionSummary.fmt(max(1, lf.sigma)))" + " (the residual standard error where it exceeds 1, "
                + "else 1: Knapp–Hartung's ad hoc rule).")
          if let share = re.shareBeyondChanceExplained {
            print("Share of the spread between authorities beyond chance that context accounts for: "
                  + "\(RegressionSummary.fmt(share)) (τ² \(RegressionSummary.fmt(re.tauSquaredWithoutContext)) without "
                  + "context, \(RegressionSummary.fmt(re.tauSquared)) with it; metafor's R²)")
          }
        }
        print("\nShare of between-authority variation explained: \(RegressionSummary.fmt(run.model.pseudoRSquared))"
              + (run.model.isLinear ? " (R²)" : " (deviance explained, 1 − D/D₀)"))
        if let skill = run.contextSkill {
          print("Context skill (leave-one-out deviance explained, each authority predicted by the model fitted without it): "
                + RegressionSummary.fmt(skill))
          if !run.showsExpectation {
            // The packs leave such a model's expected values out; the
            // table below still lists them, so say why they are not read.
            print("Note: the area's context predicts this indicator no better than a single figure fitted to the other "
                  + "authorities, so packs show no expected value for it; the expected values below are for studying the "
                  + "model, not for reading any authority's figure.")
          }
        }
        for w in run.warnings { print("Note: \(w)") }
        print("")
        print(TextTable.render(header: ExpectationRows.textHeader,
                               rows: run.authorities.map { ExpectationRows.text($0, indicator: run.indicator) }))
        print("\nObserved, expected and prediction limits at DfE's published precision (\(run.indicator.decimals) decimal"
              + "\(run.indicator.decimals == 1 ? "" : "s")); --format csv or json gives full precision.")
      case .csv:
        print(CSVWriter.render(header: ExpectationRows.header, rows: run.authorities.map(ExpectationRows.csv)), terminator: "")
      case .json:
        print(ExpectationRows.json(run).rendered(pretty: true))
      }
    }
  }

  struct Select: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Score every subset of candidate context variables by AIC, BIC and leave-one-out error.",
      discussion: """
        A linear model of the indicator's value (or its logarithm, with --transform log) on every \
        subset of up to 15 candidate columns of context/la_context.csv, with an intercept. Prints the \
        best models and each variable's inclusion probability (Akaike weights).

        Examples:
          peerlens model select --indicator cla_rate \\
              --candidates imd19_avg_score,pct_hh_overcrowded_bedrooms,pct_black
          peerlens model select --indicator rereferral_pct \\
              --candidates imd19_avg_score,pct_black --year 2024 --top 5
        """
    )

    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var catalogueOptions: CatalogueOptions

    @Option(name: .long, help: "The indicator id.")
    var indicator: String

    @Option(name: .long, help: "Comma-separated context columns (at most 15).")
    var candidates: String

    @Option(name: .long, help: "The period (default: the latest with data).")
    var year: String?

    @Option(name: .long, help: "Response transform: none or log.")
    var transform: ResponseTransform = .none

    @Option(name: .long, parsing: .unconditional, help: "How many models to list.")
    var top: Int = 10

    @Option(name: .long, help: "Output format: text or json.")
    var format: TextOrJSON = .text

    func validate() throws {
      // Fewer than one model listed is an empty table, not an answer.
      if top < 1 { throw ValidationError("--top must be at least 1 (models to list), got \(top).") }
      let list = candidates.split(separator: ",")
      if list.isEmpty { throw ValidationError("--candidates needs at least one column.") }
      if list.count > 15 { throw ValidationError("--candidates takes at most 15 columns (got \(list.count)).") }
      // A name given twice would score the same model under two subsets
      // (and count it twice in the Akaike weights).
      var seen: Set<String> = []
      for name in list.map({ $0.trimmingCharacters(in: .whitespaces) }) where !seen.insert(name).inserted {
        throw ValidationError("--candidates names '\(ErrorText.quoted(name))' more than once; give each column once.")
      }
    }

    func run() throws {
      let names = candidates.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
      let engine = try ContextEngine(mirror: dataOptions.mirror(), catalogue: catalogueOptions.load())
      let result = try engine.select(indicator: indicator, candidates: names, period: year, transform: transform,
                                     listedAs: "--candidates")
      let sel = result.selection
      switch format {
      case .json:
        let models: [JSONValue] = sel.models.prefix(top).map { m in
          .object([("variables", .array(m.variables.map { .string(names[$0]) })), ("aic", .number(m.aic)),
                   ("bic", .number(m.bic)), ("loo_mse", .number(m.looMSE)), ("r_squared", .number(m.rSquared))])
        }
        print(JSONValue.object([
          ("indicator", .string(indicator)), ("period", .string(result.period.code)), ("n", .integer(sel.observations)),
          ("subsets", .integer(sel.models.count)), ("models", .array(models)),
          ("inclusion", .object(zip(names, sel.inclusion).map { ($0, .number($1)) })),
          ("left_out", .object([
            ("no_value", .integer(result.leftOut.noValue)),
            ("not_positive_for_log", .array(result.leftOut.notPositive.map { .string($0) })),
            ("missing_candidate", .integer(result.leftOut.missingCandidate)),
          ])),
        ]).rendered(pretty: true))
      default:
        print("Indicator \(indicator), \(result.period.label): \(sel.observations) authorities, \(sel.models.count) subsets scored.")
        for line in Self.leftOutWords(result.leftOut) { print(line) }
        print("")
        let rows = sel.models.prefix(top).enumerated().map { k, m in
          [String(k + 1), String(format: "%.2f", m.aic), String(format: "%.2f", m.bic), RegressionSummary.fmt(m.looMSE),
           String(format: "%.3f", m.rSquared), m.variables.isEmpty ? "(intercept only)" : m.variables.map { names[$0] }.joined(separator: " + ")]
        }
        print(TextTable.render(header: ["#", "AIC", "BIC", "LOO MSE", "R²", "variables"], rows: rows))
        print("\nInclusion probability (Akaike weights):")
        for (n, p) in zip(names, sel.inclusion).sorted(by: { $0.1 > $1.1 }) { print("  \(n): \(String(format: "%.3f", p))") }
      }
    }
  }
}

extension ModelCommand.Select {
  /// What the selection left out, in words: nothing when it used every
  /// authority with a value.
  static func leftOutWords(_ l: ContextEngine.SelectionLeftOut) -> [String] {
    var out: [String] = []
    if !l.notPositive.isEmpty {
      let n = l.notPositive.count
      out.append("Left out \(n) authorit\(n == 1 ? "y" : "ies") whose value is 0, which has no logarithm "
        + "(\(l.notPositive.prefix(10).joined(separator: ", "))\(n > 10 ? ", …" : "")); --transform none keeps \(n == 1 ? "it" : "them").")
    }
    if l.missingCandidate > 0 {
      out.append("Left out \(l.missingCandidate) authorit\(l.missingCandidate == 1 ? "y" : "ies") with a candidate column empty.")
    }
    if l.noValue > 0 {
      out.append("\(l.noValue) authorit\(l.noValue == 1 ? "y has" : "ies have") no value for the period (suppressed or not published).")
    }
    return out
  }
}

extension ResponseTransform: ExpressibleByArgument {}

extension FittedModel {
  var isLinear: Bool { if case .linear = self { return true } else { return false } }
}

/// The per-authority table of `model fit`.
enum ExpectationRows {
  static let header = ["new_la_code", "la_name", "observed", "status", "expected", "expected_lower", "expected_upper",
                       "prediction_lower_95", "prediction_upper_95", "prediction_lower_998", "prediction_upper_998",
                       "ratio", "pearson_residual", "raw_rank", "adjusted_rank", "z_score", "funnel_flag", "shrunk",
                       "position", "denominator"]
  static let textHeader = ["code", "authority", "observed", "expected", "95% prediction", "O/E", "rank", "adj rank", "flag"]

  static func csv(_ a: AuthorityExpectation) -> [String] {
    let n = CSVWriter.number
    return [a.code, a.name, n(a.observed), a.status, n(a.expected), n(a.expectedLower), n(a.expectedUpper),
            n(a.predictionLower95), n(a.predictionUpper95), n(a.predictionLower998), n(a.predictionUpper998),
            n(a.ratio), n(a.pearsonResidual), a.rawRank.map(String.init) ?? "", a.adjustedRank.map(String.init) ?? "",
            n(a.zScore), a.funnelFlag ?? "", n(a.shrunk), a.position, n(a.denominator)]
  }

  /// A row for readers: values at the precision DfE publishes the
  /// indicator to, rounded by its rule, as the packs show them.
  static func text(_ a: AuthorityExpectation, indicator: Indicator) -> [String] {
    let f = { (x: Double?) in x.map { NumberFormat.plain($0, decimals: indicator.decimals, rule: indicator.rounding) } ?? "-" }
    let pi = a.predictionLower95.map { "\(f($0)) to \(f(a.predictionUpper95))" } ?? "-"
    return [a.code, String(a.name.prefix(28)), a.observed == nil ? a.status : f(a.observed), f(a.expected), pi,
            a.ratio.map { String(format: "%.2f", $0) } ?? "-", a.rawRank.map(String.init) ?? "-",
            a.adjustedRank.map(String.init) ?? "-", a.funnelFlag ?? "-"]
  }

  static func json(_ run: ContextModelRun) -> JSONValue {
    let coefs: [JSONValue] = (0..<run.model.coefficients.count).map { k in
      .object([("term", .string(run.model.coefficientNames[k])), ("estimate", .optional(run.model.coefficients[k])),
               ("std_error", .optional(run.model.standardErrors[k])), ("p_value", .optional(run.model.pValues[k]))])
    }
    let rows: [JSONValue] = run.authorities.map { a in
      .object(zip(header, csv(a)).map { key, value in
        if let d = Double(value), !["new_la_code", "la_name", "status", "funnel_flag", "position"].contains(key) {
          return (key, JSONValue.number(d))
        }
        return (key, value.isEmpty ? JSONValue.null : JSONValue.string(value))
      })
    }
    return .object([
      ("indicator", .string(run.indicator.id)), ("period", .string(run.period.code)), ("family", .string(run.spec.family.rawValue)),
      ("formula", .string(run.spec.formula)), ("pseudo_r_squared", .number(run.model.pseudoRSquared)),
      ("context_skill", .optional(run.contextSkill)), ("shows_expectation", .bool(run.showsExpectation)),
      ("aic", .optional(run.model.aic)), ("coefficients", .array(coefs)), ("phi", .number(run.funnelPhi)),
      ("tau_squared", .number(run.funnelTauSquared)),
      ("sampling_variance", run.spec.samplingVariance.map { .string($0.rawValue) } ?? .null),
      ("pupil_sd", .optional(run.randomEffects?.pupilSD)),
      ("between_authority_tau_squared", .optional(run.randomEffects?.tauSquared)),
      ("between_authority_tau_squared_without_context", .optional(run.randomEffects?.tauSquaredWithoutContext)),
      ("share_beyond_chance_explained", .optional(run.randomEffects?.shareBeyondChanceExplained)),
      ("warnings", .array(run.warnings.map { .string($0) })),
      ("authorities", .array(rows)),
    ])
  }
}
