import ArgumentParser
import Foundation
import PeerLensAnalysis
import PeerLensData

extension DataCommand {
  /// `peerlens data agreement`: values computed from counts against DfE's
  /// published figures, at the published precision (issue 14.4).
  struct Agreement: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Compare values computed from counts with the values DfE published, at the published precision.",
      discussion: """
        For every indicator with counts and a published figure, each area and period is compared: \
        the rate or percentage from the published numerator and denominator, rounded as DfE rounds \
        the indicator (Models/indicators.toml: decimals, rounding), against DfE's figure. Prints, \
        per indicator and period, how many agree and differ, and each difference with its likely \
        cause: counts published rounded (regional and national counts, FTEs), a boundary change, \
        a different denominator, or a revision.

        JSON: an array of {indicator_id, time_period, agree, differ, differences[]}; each \
        difference has level, area_code, la_name, computed, computed_rounded, published_value, \
        cause and cause_words. An area whose denominator is 0 beside a published figure cannot be \
        compared (no rate can be computed); it is listed as not compared (JSON: not_compared, a count, and zero_denominators[], \
        each with level, area_code, la_name, numerator and published_value; CSV: cause \
        zero_denominator with computed left empty and the count in the last column, numerator).

        Examples (file and folder names stand for your own):
          peerlens data agreement
          peerlens data agreement --indicator cla_rate --format json
          peerlens data agreement --data ~/dfe-data --format csv
        """
    )

    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var catalogueOptions: CatalogueOptions

    @Option(name: .long, help: "Only this indicator (see 'peerlens indicators').")
    var indicator: String?

    @Option(name: .long, help: "Output format: text, json or csv.")
    var format: OutputFormat = .text

    func run() throws {
      let catalogue = try catalogueOptions.load()
      var indicators = catalogue.indicators
      if let indicator {
        let ind = try catalogue.requireIndicator(indicator)
        guard ind.hasCounts, ind.published != nil else {
          throw ValidationError("'\(indicator)' has no counts and published figure to compare (it needs numerator, denominator and published in the catalogue).")
        }
        indicators = [ind]
      }
      let mirror = try dataOptions.mirror()
      let registry = try? mirror.registry()
      let calculator = IndicatorCalculator(mirror: mirror)
      var results: [PublishedAgreement] = []
      var skipped: [String] = []
      for ind in indicators where ind.hasCounts && ind.published != nil {
        let values: [IndicatorValue]
        do { values = try calculator.values(ind) } catch DataError.missingFile where indicator == nil {
          // A partial mirror: compare what is there, and say what is not.
          skipped.append(ind.id)
          continue
        }
        results += PublishedAgreement.compare(values, indicator: ind, registry: registry)
      }
      if !skipped.isEmpty {
        printError("Skipped \(skipped.count) indicator(s) whose files are not in the data: \(skipped.joined(separator: ", ")).")
      }
      print(AgreementOutput.render(results, format: format), terminator: "")
    }
  }
}

/// The agreement table as text, JSON or CSV.
enum AgreementOutput {
  static func render(_ results: [PublishedAgreement], format: OutputFormat) -> String {
    switch format {
    case .json:
      return JSONValue.array(results.map { r in
        .object([
          ("indicator_id", .string(r.indicatorID)), ("time_period", .string(r.period.code)),
          ("agree", .integer(r.agree)), ("differ", .integer(r.differ)),
          ("not_compared", .integer(r.zeroDenominators.count)),
          ("differences", .array(r.differences.map { d in
            .object([
              ("level", .string(d.level.rawValue)), ("area_code", .string(d.areaCode)), ("la_name", .string(d.name)),
              ("computed", .number(d.computed)), ("computed_rounded", .number(d.computedRounded)),
              ("published_value", .number(d.published)), ("cause", .string(d.cause.rawValue)),
              ("cause_words", .string(d.causeWords)),
            ])
          })),
          ("zero_denominators", .array(r.zeroDenominators.map { z in
            .object([
              ("level", .string(z.level.rawValue)), ("area_code", .string(z.areaCode)), ("la_name", .string(z.name)),
              ("numerator", .number(z.numerator)), ("published_value", .number(z.published)),
            ])
          })),
        ])
      }).rendered(pretty: true) + "\n"
    case .csv:
      // One row per difference, and one summary row (empty area) per
      // indicator and period, so the file holds the whole table.
      var rows: [[String]] = []
      for r in results {
        rows.append([r.indicatorID, r.period.code, String(r.agree), String(r.differ), "", "", "", "", "", "", "", ""])
        for d in r.differences {
          rows.append([r.indicatorID, r.period.code, "", "", d.level.rawValue, d.areaCode, d.name,
                       CSVWriter.number(d.computed), CSVWriter.number(d.computedRounded), CSVWriter.number(d.published),
                       d.cause.rawValue, ""])
        }
        for z in r.zeroDenominators {
          rows.append([r.indicatorID, r.period.code, "", "", z.level.rawValue, z.areaCode, z.name, "", "",
                       CSVWriter.number(z.published), "zero_denominator", CSVWriter.number(z.numerator)])
        }
      }
      return CSVWriter.render(header: ["indicator_id", "time_period", "agree", "differ", "level", "area_code", "la_name",
                                       "computed", "computed_rounded", "published_value", "cause", "numerator"], rows: rows)
    case .text:
      var out = TextTable.render(header: ["indicator", "period", "agree", "differ", "agree %"], rows: results.map { r in
        [r.indicatorID, r.period.label, String(r.agree), String(r.differ),
         r.agree + r.differ == 0 ? "–" : String(format: "%.1f", 100 * Double(r.agree) / Double(r.agree + r.differ))]
      }) + "\n"
      let total = results.reduce(0) { $0 + $1.agree }, differ = results.reduce(0) { $0 + $1.differ }
      out += "\n\(total) of \(total + differ) area-periods agree at the published precision.\n"
      let zeros = results.flatMap { r in r.zeroDenominators.map { (r, $0) } }
      if !zeros.isEmpty {
        out += "\(zeros.count) more area-period\(zeros.count == 1 ? " has" : "s have") a published figure beside a denominator of 0, "
          + "so no figure could be computed to compare:\n"
        for (r, z) in zeros {
          out += "  \(r.indicatorID) \(r.period.label): \(z.name) (\(z.areaCode)): count \(CSVWriter.number(z.numerator)) of 0, "
            + "published \(CSVWriter.number(z.published))\n"
        }
      }
      for r in results where r.differ > 0 {
        out += "\n\(r.indicatorID) \(r.period.label):\n"
        for d in r.differences {
          out += "  \(d.name) (\(d.areaCode)): computed \(CSVWriter.number(d.computedRounded)) (\(String(format: "%.4f", d.computed))), published \(CSVWriter.number(d.published)); likely \(d.causeWords)\n"
        }
      }
      return out
    }
  }
}
