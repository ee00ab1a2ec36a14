import ArgumentParser
import Foundation
import PeerLensAnalysis
import PeerLensData
import PeerLensStatistics

extension ModelCommand {
  /// `peerlens model check`: calibration and out-of-sample skill of the
  /// contextual models (issues 17.5 and 24.1).
  struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Check each contextual model: leave-one-out skill, calibration of its prediction limits, dispersion.",
      discussion: """
        For each model in Models/context (or only --indicator): the share of variation explained \
        in the fitted data and when each authority is predicted by the model refitted without it \
        (loo_deviance_explained: 1 − Σ deviance of the refitted predictions ÷ Σ deviance of the other \
        authorities' pooled value; at or below 0, the area's context does not predict the indicator \
        and packs show no expected value); authorities outside the 95% and 99.8% prediction limits \
        against the count expected, overall and by thirds of size (denominator); the Pearson \
        dispersion with a χ² test of the family's variance (for a mean score weighted by its \
        pupils, sampling_variance, the weighted residuals' scale against 1: a check of pupil_sd \
        and τ²); the funnel's count before context; \
        leave-one-out coverage (each authority against the limits of the model refitted without \
        it); and the most influential authorities (Cook's distance) with the authorities whose \
        position changes when each is left out.

        Examples:
          peerlens model check
          peerlens model check --indicator nfa_pct --format json
        """
    )

    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var catalogueOptions: CatalogueOptions

    @Option(name: .long, help: "Only this indicator (repeat for more).")
    var indicator: [String] = []

    @Option(name: .long, help: "The period to fit (default: each model's latest with data).")
    var year: String?

    @Option(name: .long, help: ArgumentHelp("The Models folder (default: found automatically).", valueName: "dir"))
    var models: String?

    @Option(name: .long, help: "Output format: text or json.")
    var format: TextOrJSON = .text
    func run() throws {
      let models = self.models.map { URL(fileURLWithPath: $0) } ?? ModelFiles.folder()
      let folder = models.appendingPathComponent("context")
      var specs = try ModelFiles.specifications(in: models)
      if !indicator.isEmpty {
        let known = Set(specs.map(\.1.indicator))
        for id in indicator where !known.contains(id) {
          throw ValidationError("No contextual model for indicator '\(ErrorText.quoted(id))' in \(folder.path).\(NameSuggestion.hint(for: id, among: known.sorted())) Models exist for: \(known.sorted().joined(separator: ", ")).")
        }
        specs = specs.filter { indicator.contains($0.1.indicator) }
      }
      let engine = try ContextEngine(mirror: dataOptions.mirror(), catalogue: catalogueOptions.load())
      let calculator = IndicatorCalculator(mirror: engine.mirror)
      var results: [ModelCalibration] = []
      var before: [ModelCalibration.Count?] = []
      for (file, spec) in specs {
        // Named by its file: with several specifications in the folder, a
        // formula error or a bad row of a joined table did not say which
        // one it came from.
        let run: ContextModelRun
        do { run = try engine.run(spec: spec, period: year) } catch {
          throw DataError.invalid("\(folder.lastPathComponent)/\(file.lastPathComponent): \(error.localizedDescription)")
        }
        results.append(ModelCalibration(run: run))
        before.append(ModelCalibration.beforeContext(values: try calculator.values(run.indicator), indicator: run.indicator,
                                                     period: run.period))
      }
      switch format {
      case .json:
        print(JSONValue.array(zip(results, before).map { Self.json($0, before: $1) }).rendered(pretty: true))
      default:
        let f3 = { (x: Double?) in x.map { String(format: "%.3f", $0) } ?? "-" }
        let rows = results.map { c -> [String] in
          [c.indicatorID, c.period, c.family, String(c.all.authorities), f3(c.devianceExplained), f3(c.looDevianceExplained),
           c.all.outside95Text, c.all.outside998Text,
           c.bySize.isEmpty ? "-" : c.bySize.map { String(format: "%.1f%%", 100 * $0.share95) }.joined(separator: " / "),
           c.pearsonDispersion.map { String(format: "%.2f", $0) } ?? "-",
           c.dispersionPValue.map { $0 < 0.001 ? "<0.001" : String(format: "%.3f", $0) } ?? "-"]
        }
        print(TextTable.render(header: ["indicator", "period", "family", "n", "explained", "LOO explained",
                                        "outside 95% (exp.)", "outside 99.8% (exp.)", "outside 95% by size thirds",
                                        "dispersion", "p"], rows: rows))
        print("\nLOO explained at or below 0: context predicts no better than the other authorities' pooled value; packs show no expected value.")
        // Coverage and influence (issue 17.5): before context (the funnel
        // around England), and each authority against the limits of the
        // model refitted without it.
        let rows2 = zip(results, before).map { c, b -> [String] in
          let top = c.influence.first
          return [c.indicatorID, b.map(\.outside95Text) ?? "-", b.map(\.outside998Text) ?? "-",
                  c.leaveOneOut.map(\.outside95Text) ?? "-", c.leaveOneOut.map(\.outside998Text) ?? "-",
                  top.map { "\($0.name) (\(String(format: "%.2f", $0.cooksDistance)))" } ?? "-",
                  top.map { $0.changed.isEmpty ? "none" : $0.changedNames.joined(separator: ", ") } ?? "-"]
        }
        print("")
        print(TextTable.render(header: ["indicator", "before context: outside 95% (exp.)", "outside 99.8% (exp.)",
                                        "left out: outside 95% (exp.)", "outside 99.8% (exp.)",
                                        "most influential (Cook's D)", "positions that change without it"],
                               rows: rows2))
        print("\nBefore context: the funnel around England. Left out: each authority against the prediction limits of the model refitted without it. The JSON output lists the \(LeaveOneOutSkill.influentialChecked) most influential authorities of each model.")
      }
    }

    static func json(_ c: ModelCalibration, before: ModelCalibration.Count? = nil) -> JSONValue {
      func count(_ k: ModelCalibration.Count) -> JSONValue {
        .object([("authorities", .integer(k.authorities)), ("outside_95", .integer(k.outside95)),
                 ("expected_outside_95", .number(k.expected95)), ("outside_99_8", .integer(k.outside998)),
                 ("expected_outside_99_8", .number(k.expected998))])
      }
      return .object([
        ("indicator", .string(c.indicatorID)), ("period", .string(c.period)), ("family", .string(c.family)),
        ("deviance_explained", .number(c.devianceExplained)), ("loo_deviance_explained", .optional(c.looDevianceExplained)),
        ("calibration", count(c.all)), ("calibration_by_size", .array(c.bySize.map(count))),
        ("pearson_dispersion", .optional(c.pearsonDispersion)), ("dispersion_p_value", .optional(c.dispersionPValue)),
        ("before_context", before.map(count) ?? .null), ("leave_one_out", c.leaveOneOut.map(count) ?? .null),
        ("influence", .array(c.influence.map { i in
          .object([("new_la_code", .string(i.code)), ("la_name", .string(i.name)), ("cooks_distance", .number(i.cooksDistance)),
                   ("positions_changed_without_it", .array(i.changed.map { .string($0) }))])
        })),
      ])
    }
  }
}
