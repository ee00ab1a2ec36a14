import ArgumentParser
import Foundation
import PeerLensData
import PeerLensStatistics

/// `peerlens spc`: XmR charts for each series in a CSV.
struct SPCCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "spc",
    abstract: "Statistical process control (XmR) for each group's series: limits and special-cause flags.",
    discussion: """
      NHSRplotthedots conventions: limits at the mean ± 2.66 × mean moving range (moving ranges \
      above 3.267 × their mean screened out unless --no-screen); flags astronomical, shift (7 or \
      more points on one side of the mean), trend (7 or more points each higher, or lower, than the \
      one before) and two_of_three (2 of 3 points beyond two-thirds of the way to a limit, on one \
      side). Series with fewer than 12 points get no limits (a run chart). Periods are read in the \
      file's format (2025, 202425, 2024/25, 2024Q3 or 2024 with a quarter identifier, 2023-1 to \
      2023-12, 2023M07) and put in time order; a series that mixes formats or repeats a period is \
      refused. Missing values (DfE \
      symbols such as c or x) are gaps. With --polarity, flagged points are improvement or concern; \
      no_judgement marks them neither.

      Examples:
        peerlens spc --data referrals.csv --value rereferral_percent \\
            --group la_name --polarity lower_is_better
        peerlens spc --data series.csv --value value --period time_period \\
            --rebase 2020 --format csv
      """
  )

  @Option(name: .long, help: "The CSV file.", transform: FilePath.csv)
  var data: URL

  @Option(name: .long, help: "The value column.")
  var value: String

  @Option(name: .long, help: "The period column (default: time_period).")
  var period: String = "time_period"

  @Option(name: .long, help: "A column that splits the rows into series (e.g. la_name or new_la_code).")
  var group: String?

  @Option(name: .long, help: "higher_is_better, lower_is_better or no_judgement.")
  var polarity: XmRChart.Direction = .noJudgement

  @Option(name: .long, help: "Comma-separated periods at which limits are re-based (as the file writes them, or as 2024/25 or 2025).")
  var rebase: String?

  @Flag(name: .customLong("no-screen"), help: "Keep large moving ranges when computing limits.")
  var noScreen = false

  @Option(name: .long, help: "Only rows whose geographic_level is this (e.g. 'Local authority').")
  var level: String?

  @Option(name: .long, help: "Output format: json or csv.")
  var format: CSVOrJSON = .json
  /// The advice for a repeated period when no --group was given: the
  /// usual cause is a file with one series per authority, read as one.
  static func groupHint(for table: CSVTable) -> String {
    let likely = ["la_name", "new_la_code", "old_la_code", "area_name", "area_code", "region_name"]
      .filter(table.hasColumn)
    let example = likely.isEmpty ? "" : " (such as \(likely.prefix(2).map { "--group \($0)" }.joined(separator: " or ")))"
    return "If the file holds more than one series (one per authority, say), give --group <column> to chart each "
      + "separately\(example)."
  }

  func run() throws {
    var table = try CSVReader.read(contentsOf: data, source: data.relativePath)
    // A header with no rows below it would print an empty chart as a success.
    guard table.rowCount > 0 else {
      throw DataError.invalid("\(table.source): the file has a header but no rows of data; an SPC chart needs a series of values.")
    }
    if let level {
      let lv = try table.text("geographic_level")
      let wanted = level.trimmingCharacters(in: .whitespaces)
      let kept = table.filteringRows { lv[$0].trimmingCharacters(in: .whitespaces) == wanted }
      // A level the file does not have ('local authority' for 'Local
      // authority') would leave no rows and print an empty chart with
      // success: refused, with the levels the file has.
      if kept.rowCount == 0 && table.rowCount > 0 {
        let levels = Set(lv.map { $0.trimmingCharacters(in: .whitespaces) }).sorted()
        throw ValidationError("--level '\(ErrorText.quoted(level))': no row of \(table.source) has that geographic_level; "
          + "its levels are \(levels.map { "'\(ErrorText.quoted($0))'" }.joined(separator: ", ")) (matched exactly, capitals included).")
      }
      table = kept
    }
    let values = try table.values(value)
    try InputValidation.requireMagnitudeAtMost(table, column: value, limit: 1e300, what: "a value between -1e300 and 1e300 "
      + "(the moving ranges and limits of larger values overflow double precision)")
    let periods = try table.text(period)
    let identifiers = table.hasColumn("time_identifier") ? try table.text("time_identifier") : nil
    // Trimmed, as periods and levels are: 'Kent ' and 'Kent' split one
    // authority's series in two.
    let groups = try group.map { try table.text($0).map { $0.trimmingCharacters(in: .whitespaces) } }
      ?? [String](repeating: "all", count: table.rowCount)
    let rebaseCodes = Set((rebase ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
    // `--rebase ",,"` (or "") named no period and drew one set of limits
    // without a word.
    if let rebase, rebaseCodes.isEmpty || rebaseCodes.contains("") {
      throw ValidationError("--rebase takes comma-separated periods, none empty (e.g. --rebase 2020 or --rebase 2019,2022); got '\(ErrorText.quoted(rebase))'.")
    }
    // A period the file does not have would re-base nothing, silently (a
    // typing slip such as 2020 for 202021 goes unnoticed): refused.
    let known = Set(periods.map { $0.trimmingCharacters(in: .whitespaces) })
    // A period written another way (2012/13 or 2013 for the file's 201213)
    // is read as every --year is (`TimePeriod.named`), and stands for the
    // file's own code.
    var filePeriods: [TimePeriod: Set<String>] = [:]
    for i in 0..<table.rowCount {
      let code = periods[i].trimmingCharacters(in: .whitespaces)
      if let p = TimePeriod(code: code, identifier: identifiers?[i]) { filePeriods[p, default: []].insert(code) }
    }
    var rebaseAtCodes = Set<String>()
    var unknown: [String] = []
    for code in rebaseCodes.sorted() {
      if known.contains(code) {
        rebaseAtCodes.insert(code)
      } else if let p = TimePeriod.named(code, among: filePeriods.keys), let codes = filePeriods[p] {
        rebaseAtCodes.formUnion(codes)
      } else {
        unknown.append(code)
      }
    }
    if !unknown.isEmpty {
      let sample = Array(Set(periods)).sorted().prefix(6).joined(separator: ", ")
      throw ValidationError("--rebase \(unknown.map { "'\(ErrorText.quoted($0))'" }.joined(separator: ", ")): no such period in "
        + "\(table.source)'s column '\(period)' (its periods are written like \(sample)\(known.count > 6 ? ", …" : "")).")
    }
    var order: [String] = []
    var rowsByGroup: [String: [Int]] = [:]
    for i in 0..<table.rowCount {
      if rowsByGroup[groups[i]] == nil { order.append(groups[i]) }
      rowsByGroup[groups[i], default: []].append(i)
    }
    var series: [JSONValue] = []
    var csvRows: [[String]] = []
    var csvNotes: [String] = []
    for g in order {
      // Periods in time order, parsed in the file's own format (2023-2 before 2023-10).
      let ordered = Result { () throws(PeriodSeriesError) -> [Int] in
        try PeriodSeries.ordered(rows: rowsByGroup[g]!, codes: periods, identifiers: identifiers,
                                 lines: table.lineNumbers, file: table.source, column: period)
      }
      if group == nil, case .failure(let error) = ordered, case .duplicate = error {
        throw DataError.invalid((error.errorDescription ?? "\(error)") + " " + Self.groupHint(for: table))
      }
      // With --group, the series is named; an empty group is most often the
      // national and regional rows of a DfE file, which have no la_name.
      if let group, case .failure(let error) = ordered, case .duplicate = error {
        let levelHint = level == nil && table.hasColumn("geographic_level")
          ? " Rows with an empty '\(group)' are often a DfE file's national and regional rows: add --level 'Local authority'." : ""
        throw DataError.invalid("The series '\(ErrorText.quoted(g))' (column '\(group)'): " + (error.errorDescription ?? "\(error)")
          + (g.isEmpty ? levelHint : ""))
      }
      let rows = try ordered.get()
      // A period with no row at all is a gap, as a suppressed value is.
      let (at, length, absent) = PeriodSeries.places(of: rows.compactMap { TimePeriod(code: periods[$0], identifier: identifiers?[$0]) })
      var vals = [Double?](repeating: nil, count: length)
      for (k, i) in rows.enumerated() { vals[at[k]] = values[i].number }
      // Compared trimmed, as `known` above was: a cell written ' 2020'
      // passed that check, and compared as it stands would re-base nothing.
      let rebaseAt = rows.enumerated().filter {
        rebaseAtCodes.contains(periods[$0.element].trimmingCharacters(in: .whitespaces))
      }.map { at[$0.offset] }
      let chart = XmRChart(values: vals, direction: polarity, rebaseAt: rebaseAt, screenMovingRanges: !noScreen)
      var notes = chart.notes
      if !absent.isEmpty {
        // The chart's own note on missing points is about suppressed values;
        // where the only gaps are absent periods it would misname them.
        if rows.allSatisfy({ values[$0].number != nil }) { notes.removeAll { $0.hasPrefix("Missing points (suppressed") } }
        notes.append("Periods with no row in the file (\(absent.joined(separator: "; "))) are gaps, as missing values are: "
          + "no moving range spans them and they break runs and trends. Point numbers in these notes count them.")
      }
      csvNotes += notes.map { "Note (\(g)): \($0)" }
      let seg = chart.current
      var points: [JSONValue] = []
      for (k, i) in rows.enumerated() {
        let p = chart.points[at[k]]
        let status = values[i].missingReason?.rawValue ?? "ok"
        points.append(.object([
          ("period", .string(periods[i])), ("value", .optional(p.value)), ("status", .string(status)),
          ("mean", .optional(p.mean)), ("upper_limit", .optional(p.upperLimit)), ("lower_limit", .optional(p.lowerLimit)),
          ("flags", .array(p.flags.map { .string($0.rawValue) })), ("variation", .string(p.variation.rawValue)),
        ]))
        csvRows.append([g, periods[i], CSVWriter.number(p.value), status, CSVWriter.number(p.mean),
                        CSVWriter.number(p.upperLimit), CSVWriter.number(p.lowerLimit),
                        p.flags.map(\.rawValue).joined(separator: ";"), p.variation.rawValue])
      }
      series.append(.object([
        ("group", .string(g)), ("mean", .optional(seg?.mean)), ("upper_limit", .optional(seg?.upperLimit)),
        ("lower_limit", .optional(seg?.lowerLimit)), ("mean_moving_range", .optional(seg?.meanMovingRange)),
        ("has_limits", .bool(seg?.hasLimits ?? false)), ("notes", .array(notes.map { .string($0) })),
        ("points", .array(points)),
      ]))
    }
    switch format {
    case .csv:
      print(CSVWriter.render(header: ["group", "period", "value", "status", "mean", "upper_limit", "lower_limit", "flags", "variation"],
                             rows: csvRows), terminator: "")
      // The JSON carries each series' notes; a table has nowhere to put them.
      if !csvNotes.isEmpty { FileHandle.standardError.write(Data((csvNotes.joined(separator: "\n") + "\n").utf8)) }
    default:
      print(JSONValue.object([("series", .array(series))]).rendered(pretty: true))
    }
  }
}

extension XmRChart.Direction: ExpressibleByArgument {}
