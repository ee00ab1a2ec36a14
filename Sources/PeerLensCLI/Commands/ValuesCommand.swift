import ArgumentParser
import Foundation
import PeerLensAnalysis
import PeerLensData
import PeerLensStatistics

/// `peerlens values`: one indicator's values per authority and period.
struct ValuesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "values",
    abstract: "Print an indicator's values for every authority and period.",
    discussion: """
      One row per local authority and period: new_la_code, old_la_code, la_name, time_period, \
      value, numerator, denominator, status (ok, or why the value is missing: suppressed, \
      not_applicable, not_available, low_reliability, rounds_to_zero, less_than_half, no_data, \
      empty, zero_denominator). Values are full precision; published_value is DfE's rounded figure; \
      value_source says whether the value is computed from the counts or is DfE's published figure \
      (where the counts do not give it, a note on standard error says so).

      Examples (file and folder names stand for your own):
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
    // A value taken from DfE's published figure because the row's own
    // counts do not give it is printed beside those counts: said here, so
    // that a count of 99999 next to a value of 23.1 is not read as an error
    // of the calculation.
    let published = values.filter { ValueRows.isPublishedOverCounts($0, ind) }
    Self.notePublished(published.filter { $0.level == .localAuthority }, kind: "authority",
                       why: "the counts do not give DfE's published figure, which is the value (value_source = published). "
                         + "'peerlens data agreement --indicator \(ind.id)' lists each with its likely cause.")
    // Above authority level the counts are published rounded (to the
    // nearest 10), so they rarely give DfE's figure, which is then the
    // value: said too (West Midlands' 89 sat beside 11,910 of 1,330,520,
    // which gives 89.5, with no word).
    Self.notePublished(published.filter { $0.level != .localAuthority }, kind: "regional or national",
                       why: "the counts, which DfE publishes rounded above authority level, do not give its published "
                         + "figure, which is the value (value_source = published).")
    try noteNegativeFigures(ind, mirror: dataOptions.mirror())
    switch format {
    case .json:
      print(JSONValue.array(values.map(ValueRows.json)).rendered(pretty: true))
    default:
      print(CSVWriter.render(header: ValueRows.header, rows: values.map(ValueRows.csv)), terminator: "")
    }
  }
}

extension ValuesCommand {
  /// A note on standard error naming the rows that show DfE's published
  /// figure beside counts that do not give it (nothing for none).
  static func notePublished(_ rows: [IndicatorValue], kind: String, why: String) {
    guard !rows.isEmpty else { return }
    let names = EnglishList.first(3, of: rows.map { "\($0.name) \($0.period.label)" })
    FileHandle.standardError.write(Data(("Note: for \(rows.count) \(kind) row\(rows.count == 1 ? "" : "s") (\(names)) "
      + why + "\n").utf8))
  }

  /// A negative figure that is not one of the dashboard's codes is read as
  /// not available, and the row shows DfE's published figure (or nothing)
  /// as if the count had been missing: said here, with its cell, as
  /// `data check` reports it.
  func noteNegativeFigures(_ ind: Indicator, mirror: DataMirror) throws {
    var cells: [String] = []
    for (file, columns) in ind.columnsRead.sorted(by: { $0.key < $1.key }) where (try? mirror.isEESFile(file)) == true {
      let check = try mirror.check(file, registry: nil, requiredNumeric: columns)
      for case .negativeFigure(let f, let line, let column, let text) in check.errors {
        cells.append("\(f), line \(line), column '\(column)' ('\(ErrorText.quoted(text))')")
      }
    }
    guard !cells.isEmpty else { return }
    FileHandle.standardError.write(Data(("Note: \(cells.count) figure\(cells.count == 1 ? "" : "s") this indicator reads "
      + "\(cells.count == 1 ? "is" : "are") negative and not one of the DfE dashboard's codes for a missing value "
      + "(\(cells.prefix(3).joined(separator: "; "))\(cells.count > 3 ? "; …" : "")): read as not available, so "
      + "those rows show DfE's published figure where there is one (value_source = published), or no value. "
      + "'peerlens data check' lists every such cell.\n").utf8))
  }
}

/// The row layout of `peerlens values`.
enum ValueRows {
  static let header = ["new_la_code", "old_la_code", "la_name", "time_period", "value", "numerator", "denominator",
                       "status", "published_value", "geographic_level", "indicator_id", "value_source"]

  /// Where a row's value comes from: `counts` (numerator over
  /// denominator), `published` (DfE's figure: the indicator has no counts,
  /// the counts are missing, or they do not give the published figure), or
  /// empty when there is no value.
  static func source(_ v: IndicatorValue) -> String {
    guard v.value != nil else { return "" }
    return v.fromPublished ? "published" : "counts"
  }

  /// Whether the value is DfE's figure although the row has both counts.
  static func isPublishedOverCounts(_ v: IndicatorValue, _ indicator: Indicator) -> Bool {
    indicator.hasCounts && v.fromPublished && v.value != nil && v.numerator != nil && (v.denominator ?? 0) > 0
  }

  static func csv(_ v: IndicatorValue) -> [String] {
    [v.areaCode, v.oldCode, v.name, v.period.code, CSVWriter.number(v.value), CSVWriter.number(v.numerator),
     CSVWriter.number(v.denominator), v.status.code, CSVWriter.number(v.published), v.level.rawValue, v.indicatorID,
     source(v)]
  }

  static func json(_ v: IndicatorValue) -> JSONValue {
    .object([
      ("new_la_code", .string(v.areaCode)), ("old_la_code", .string(v.oldCode)), ("la_name", .string(v.name)),
      ("time_period", .string(v.period.code)), ("value", .optional(v.value)), ("numerator", .optional(v.numerator)),
      ("denominator", .optional(v.denominator)), ("status", .string(v.status.code)),
      ("published_value", .optional(v.published)), ("geographic_level", .string(v.level.rawValue)),
      ("indicator_id", .string(v.indicatorID)), ("value_source", .string(source(v))),
    ])
  }
}
