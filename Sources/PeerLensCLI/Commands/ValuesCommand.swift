import ArgumentParser
import Foundation
import PeerLensAnalysis
import PeerLensData

/// `peerlens values`: one indicator's values per authority and period.
struct ValuesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "values",
    abstract: "Print an indicator's values for every authority and period.",
    discussion: """
      One row per local authority and period: new_la_code, old_la_code, la_name, time_period, \
      value, numerator, denominator, status (ok, or why the value is missing: suppressed, \
      not_applicable, not_available, low_reliability, rounds_to_zero, less_than_half, no_data, \
      empty, zero_denominator). Values are full precision; published_value is DfE's rounded figure.

      Examples:
        peerlens values --indicator cla_rate --year 2025
        peerlens values --data ~/dfe-data --indicator rereferral_pct --format json
      """
  )

  @OptionGroup var dataOptions: DataOptions
  @OptionGroup var catalogueOptions: CatalogueOptions

  @Option(name: .long, help: "The indicator id (see 'peerlens indicators').")
  var indicator: String

  @Option(name: .long, help: "Only this period (2025, 202425 or 2024/25).")
  var year: String?

  @Option(name: .long, help: "Geographic level: la, region, national or all.")
  var level: LevelChoice = .la

  @Option(name: .long, help: "Output format: csv or json.")
  var format: CSVOrJSON = .csv

  enum LevelChoice: String, ExpressibleByArgument, CaseIterable { case la, region, national, all }
  func run() throws {
    let catalogue = try catalogueOptions.load()
    let ind = try catalogue.requireIndicator(indicator)
    var values = try IndicatorCalculator(mirror: dataOptions.mirror()).values(ind)
    switch level {
    case .la: values = values.filter { $0.level == .localAuthority }
    case .region: values = values.filter { $0.level == .regional }
    case .national: values = values.filter { $0.level == .national }
    case .all: break
    }
    if let year {
      // Read as every --year is (model fit's too): a code, or the year a period ends.
      let period = TimePeriod.named(year, among: values.map(\.period))
      let all = values
      values = values.filter { $0.period == period }
      // An empty table with exit status 0 would read as "this indicator has no such rows".
      if values.isEmpty {
        let available = Set(all.map(\.period.code)).sorted()
        throw InputError.invalidOption(option: "--year", value: year,
                                       expected: "a period \(indicator) has values for; available periods: \(available.isEmpty ? "none" : available.joined(separator: ", ")) (a period code, its end year, or for a reporting year the split year it spans, such as 2024/25)")
      }
    }
    switch format {
    case .json:
      print(JSONValue.array(values.map(ValueRows.json)).rendered(pretty: true))
    default:
      print(CSVWriter.render(header: ValueRows.header, rows: values.map(ValueRows.csv)), terminator: "")
    }
  }
}

/// The row layout of `peerlens values`.
enum ValueRows {
  static let header = ["new_la_code", "old_la_code", "la_name", "time_period", "value", "numerator", "denominator",
                       "status", "published_value", "geographic_level", "indicator_id"]

  static func csv(_ v: IndicatorValue) -> [String] {
    [v.areaCode, v.oldCode, v.name, v.period.code, CSVWriter.number(v.value), CSVWriter.number(v.numerator),
     CSVWriter.number(v.denominator), v.status.code, CSVWriter.number(v.published), v.level.rawValue, v.indicatorID]
  }

  static func json(_ v: IndicatorValue) -> JSONValue {
    .object([
      ("new_la_code", .string(v.areaCode)), ("old_la_code", .string(v.oldCode)), ("la_name", .string(v.name)),
      ("time_period", .string(v.period.code)), ("value", .optional(v.value)), ("numerator", .optional(v.numerator)),
      ("denominator", .optional(v.denominator)), ("status", .string(v.status.code)),
      ("published_value", .optional(v.published)), ("geographic_level", .string(v.level.rawValue)),
      ("indicator_id", .string(v.indicatorID)),
    ])
  }
}
