import Foundation
import Testing
import PeerLensData
import _PeerLensTestSupport

/// Data that parses and is not negative but cannot be right: a percentage
/// above 100 where the numerator counts some of the denominator's
/// children, two rows for the same area, period and filters that give
/// different figures, and a published figure beside a denominator of 0.
/// `data check` reports the first two as errors and `ingest` refuses them;
/// `data agreement` lists the third rather than leaving it out.
@Suite(.serialized) struct DataConsistencyTests {
  static let file = "dfe/c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv"
  /// Rutland's 2014 referrals: 241 referrals, 46 re-referrals, 19.1%.
  static let row = "2014,Reporting year,Local authority,E92000001,England,E12000004,East Midlands,857,E06000017,Rutland,"
    + "Referrals and Re-referrals,241,46,19.1,c,c,58,24.1,222,45,20.3"

  /// The mirror with Rutland's row replaced by `rows` (each a full line).
  static func mirror(_ rows: [String]) throws -> TemporaryMirror {
    let text = try String(contentsOf: TestData.data.appendingPathComponent(file), encoding: .utf8)
    #expect(text.contains(row), "the snapshot no longer holds Rutland's 2014 referrals row")
    return try TemporaryMirror(replacing: [file: text.replacingOccurrences(of: row, with: rows.joined(separator: "\n"))])
  }

  static func edited(_ old: String, _ new: String) -> String {
    precondition(row.contains(old))
    return row.replacingOccurrences(of: old, with: new)
  }

  /// 260 re-referrals of 241 referrals agrees with its own published
  /// 107.9%, so no count-rate check sees it; only the bound does.
  @Test func aCountAboveItsDenominatorIsAnError() throws {
    let m = try Self.mirror([Self.edited("241,46,19.1", "241,260,107.9")])
    defer { m.remove() }
    let (out, error) = try runCapturing(["data", "check", "--data", m.root.path])
    #expect(error != nil, "data check passed a percentage of 107.9")
    let line = try #require(out.split(separator: "\n").first { $0.contains("error: impossible figure") }, "\(out.suffix(2000))")
    for part in ["rereferral_pct", "2014", "E06000017", "Rutland", "count 260 is above its denominator 241", "107.9",
                 "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv"] {
      #expect(line.contains(part), "\(line) lacks \(part)")
    }
    // Section 47 enquiries can lead to more conferences than there were
    // enquiries in the year (the real data has seven such rows): the
    // catalogue says why, and they are not errors.
    #expect(!out.contains("s47_to_icpc_pct"))
    let store = temporaryPath(".sqlite")
    defer { try? FileManager.default.removeItem(atPath: store) }
    let refused = try #require(try runCapturing(["ingest", "--data", m.root.path, "--store", store]).error,
                               "ingest stored a count above its denominator")
    #expect(refused.localizedDescription.contains("count 260 is above its denominator 241"), "\(refused.localizedDescription)")
    #expect(!FileManager.default.fileExists(atPath: store))
  }

  /// A published percentage above 100 beside counts that give 19.1% is
  /// named both as a count-rate contradiction and as above 100.
  @Test func aPublishedPercentageAbove100IsAnError() throws {
    let m = try Self.mirror([Self.edited("241,46,19.1", "241,46,119.1")])
    defer { m.remove() }
    let (out, error) = try runCapturing(["data", "check", "--data", m.root.path, "--format", "json"])
    #expect(error != nil)
    let json = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
    let errors = try #require(json["impossible_figures"] as? [String])
    #expect(errors.count == 1 && errors[0].contains("the published percentage 119.1 is above 100"), "\(errors)")
  }

  /// `above_100_reason` says why or is left out: empty, it would turn the
  /// check off unsaid; on a rate, it names the rule it breaks.
  @Test func anAbove100ReasonMustSaySomethingAboutAPercentage() throws {
    let catalogue = try String(contentsOf: URL(fileURLWithPath: ContextModelPaths.catalogue), encoding: .utf8)
    let anchor = "id = \"rereferral_pct\"\n"
    #expect(catalogue.contains(anchor))
    for (line, anchorID, words) in [("above_100_reason = \"\"\n", anchor, "above_100_reason is empty"),
                                    ("above_100_reason = \"test\"\n", "id = \"referral_rate\"\n", "applies to percentages")] {
      let path = temporaryPath(".toml")
      defer { try? FileManager.default.removeItem(atPath: path) }
      try catalogue.replacingOccurrences(of: anchorID, with: anchorID + line).write(toFile: path, atomically: true, encoding: .utf8)
      let error = try #require(try runCapturing(["indicators", "--catalogue", path]).error)
      #expect(error.localizedDescription.contains(words) && !error.localizedDescription.contains("one of the values allowed"),
              "\(error.localizedDescription)")
    }
  }

  /// `pupil_sd` is a positive spread of one pupil's score: on a rate, or
  /// zero, it is an error that names the field, not limits of no width.
  @Test func aPupilSDMustBeAPositiveSpreadOfAScore() throws {
    let catalogue = try String(contentsOf: URL(fileURLWithPath: ContextModelPaths.catalogue), encoding: .utf8)
    let line = try #require(catalogue.range(of: #"pupil_sd = [0-9.]+\n"#, options: .regularExpression).map { String(catalogue[$0]) })
    for (from, to, words) in [("id = \"referral_rate\"\n", "id = \"referral_rate\"\npupil_sd = 19\n", "unit \"rate_per_10000\""),
                              (line, "pupil_sd = 0\n", "a positive number")] {
      let path = temporaryPath(".toml")
      defer { try? FileManager.default.removeItem(atPath: path) }
      try catalogue.replacingOccurrences(of: from, with: to).write(toFile: path, atomically: true, encoding: .utf8)
      let error = try #require(try runCapturing(["indicators", "--catalogue", path]).error)
      #expect(error.localizedDescription.contains("pupil_sd") && error.localizedDescription.contains(words),
              "\(error.localizedDescription)")
    }
  }

  /// The real data has no such row: the check does not cry wolf.
  @Test func theRealDataHasNoImpossibleFigure() throws {
    let (out, error) = try runCapturing(["data", "check", "--format", "json"])
    #expect(error == nil)
    let json = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
    #expect((json["impossible_figures"] as? [String])?.isEmpty == true)
  }

  /// A count of 46.5 re-referrals (or 241.5 referrals) parses and agrees
  /// with its own rate to the published precision; it is still not a
  /// number of referrals (the catalogue's `counts`: the message said
  /// "children" of every count).
  @Test func aFractionalCountOfChildrenIsAnError() throws {
    for (edit, words) in [(("241,46,19.1", "241,46.5,19.3"), "the count 46.5 is not a whole number, but it counts referrals"),
                          (("241,46,19.1", "241.5,46,19.0"), "the denominator 241.5 is not a whole number")] {
      let m = try Self.mirror([Self.edited(edit.0, edit.1)])
      defer { m.remove() }
      let (out, error) = try runCapturing(["data", "check", "--data", m.root.path, "--format", "json"])
      #expect(error != nil, "data check passed \(edit.1)")
      let json = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
      let errors = try #require(json["impossible_figures"] as? [String])
      #expect(errors.contains { $0.contains("rereferral_pct 2014 E06000017 Rutland: " + words) }, "\(errors)")
    }
  }

  /// A published figure its counts do not give is an error whose cause is
  /// said to be unknown (it read "a revision" of a mistyped figure), with
  /// the line to open.
  @Test func aFigureItsCountsDoNotGiveHasNoKnownCause() throws {
    let m = try Self.mirror([Self.edited("241,46,19.1", "241,46,25.0")])
    defer { m.remove() }
    let (out, error) = try runCapturing(["data", "check", "--data", m.root.path])
    #expect(error != nil)
    let line = try #require(out.split(separator: "\n").first { $0.contains("published figure is 25") }, "\(out.suffix(2000))")
    #expect(line.hasPrefix("error: ") && line.contains("count 46 of 241 gives 19.1") && line.contains("(no known cause:")
      && !line.contains("a revision") && line.contains("line "), "\(line)")
  }

  /// A repeated row with a different figure is an error naming both lines
  /// and the column; the same row repeated as is stays a warning.
  @Test func aRepeatedRowThatDisagreesIsAnError() throws {
    let conflicting = try Self.mirror([Self.row, Self.edited("241,46,19.1", "241,47,19.5")])
    defer { conflicting.remove() }
    let (out, error) = try runCapturing(["data", "check", "--data", conflicting.root.path])
    #expect(error != nil, "data check passed two different figures for one row")
    let line = try #require(out.split(separator: "\n").first { $0.contains("repeats the geography") }, "\(out.suffix(2000))")
    let text = try String(contentsOf: conflicting.root.appendingPathComponent(Self.file), encoding: .utf8)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    let first = try #require(lines.firstIndex { $0 == Self.row }) + 1
    #expect(line.contains("line \(first + 1): repeats") && line.contains("of line \(first)"), "\(line)")
    #expect(line.contains("rereferral_count = '47'") && line.contains("gives '46'"), "\(line)")
    // Said once: the checks it stops say so, without a second account of the pair.
    #expect(!out.contains("reads both rows"), "\(out.suffix(2000))")
    let stopped = try #require(out.split(separator: "\n").first { $0.contains("count-rate and impossible-figure checks") })
    #expect(stopped.contains("not run") && stopped.contains("lines \(first) and \(first + 1)"), "\(stopped)")
    // The table's errors column counts it.
    let tableRow = try #require(out.split(separator: "\n").first { $0.hasPrefix("c1_children_in_need_referrals") })
    #expect(tableRow.split(separator: " ").last == "1", "\(tableRow)")
    let store = temporaryPath(".sqlite")
    defer { try? FileManager.default.removeItem(atPath: store) }
    let refused = try #require(try runCapturing(["ingest", "--data", conflicting.root.path, "--store", store]).error)
    #expect(refused.localizedDescription.contains("repeats the geography"), "\(refused.localizedDescription)")
    // The message names the file once.
    let mentions = refused.localizedDescription.components(separatedBy: Self.file).count - 1
    #expect(mentions == 1, "\(refused.localizedDescription)")

    // A repeat that differs only in a column no indicator reads changes
    // no figure: a warning, as a plain repeat is.
    let unread = try Self.mirror([Self.row, Self.edited("222,45,20.3", "222,44,19.8")])
    defer { unread.remove() }
    let quiet = try runCapturing(["data", "check", "--data", unread.root.path])
    #expect(quiet.error == nil && quiet.output.contains("duplicate rows (the same geography, period and filters)")
      && !quiet.output.contains("repeats the geography"))

    let identical = try Self.mirror([Self.row, Self.row])
    defer { identical.remove() }
    let plain = try runCapturing(["data", "check", "--data", identical.root.path])
    #expect(plain.error == nil, "an identical repeat is a warning, not an error")
    // Each repeat names the line it repeats.
    let repeated = try String(contentsOf: identical.root.appendingPathComponent(Self.file), encoding: .utf8)
    let at = try #require(repeated.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0 == Self.row }) + 1
    #expect(plain.output.contains("duplicate rows (the same geography, period and filters): line \(at + 1) repeats line \(at)")
      && !plain.output.contains("repeats the geography"), "\(plain.output.suffix(1500))")
    #expect(try runCapturing(["data", "check", "--data", identical.root.path, "--strict"]).error != nil)
  }

  /// A repeat is found however the file writes it: under a recoded
  /// authority's former code (North Yorkshire's county code, which the
  /// indicators read as the unitary), or with a filter value in other case
  /// and spacing, which an indicator that does not filter on it reads too.
  @Test func aRepeatUnderAnotherSpellingIsFound() throws {
    let former = Self.row.replacingOccurrences(of: "857,E06000017,Rutland", with: "815,E10000023,North Yorkshire")
      .replacingOccurrences(of: "E12000004,East Midlands", with: "E12000003,Yorkshire and The Humber")
    let unitary = former.replacingOccurrences(of: "E10000023", with: "E06000065").replacingOccurrences(of: "241,46,19.1", with: "241,47,19.5")
    let spaced = Self.edited("Referrals and Re-referrals,241,46,19.1", "referrals and re-referrals ,241,47,19.5")
    for rows in [[Self.row, former, unitary], [Self.row, spaced]] {
      let m = try Self.mirror(rows)
      defer { m.remove() }
      let (out, error) = try runCapturing(["data", "check", "--data", m.root.path])
      #expect(error != nil, "\(rows.last!)")
      #expect(out.contains("repeats the geography") && out.contains("rereferral_count = '47'"), "\(out.suffix(1500))")
    }
  }

  /// Rows that differ in a numeric column no indicator reads as a figure
  /// (an age a catalogue can filter on) are different rows, not repeats.
  @Test func rowsThatDifferInANumericFilterAreNotRepeats() throws {
    let text = try String(contentsOf: TestData.data.appendingPathComponent(Self.file), encoding: .utf8)
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    for k in lines.indices where !lines[k].isEmpty { lines[k] += k == 0 ? ",age" : ",10" }
    let k = try #require(lines.firstIndex { $0.hasPrefix(Self.row) })
    lines.insert(String(lines[k].replacingOccurrences(of: "241,46,19.1", with: "241,47,19.5").dropLast(3)) + ",11", at: k + 1)
    let m = try TemporaryMirror(replacing: [Self.file: lines.joined(separator: "\n")])
    defer { m.remove() }
    let (out, _) = try runCapturing(["data", "check", "--data", m.root.path])
    #expect(!out.contains("repeats the geography"), "\(out.suffix(1500))")
  }

  /// A published figure beside a denominator of 0 is listed as not
  /// compared, in text and JSON; before, it was left out unsaid.
  @Test func aZeroDenominatorWithAPublishedFigureIsListed() throws {
    let m = try Self.mirror([Self.edited("241,46,19.1", "0,0,19.1")])
    defer { m.remove() }
    let json = try runCommand(["data", "agreement", "--data", m.root.path, "--indicator", "rereferral_pct", "--format", "json"])
    let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
    let r2014 = try #require(rows.first { $0["time_period"] as? String == "2014" })
    #expect(r2014["not_compared"] as? Int == 1)
    let z = try #require((r2014["zero_denominators"] as? [[String: Any]])?.first)
    #expect(z["area_code"] as? String == "E06000017" && z["published_value"] as? Double == 19.1 && z["numerator"] as? Double == 0)
    let text = try runCommand(["data", "agreement", "--data", m.root.path, "--indicator", "rereferral_pct"])
    #expect(text.contains("1 more area-period has a published figure beside a denominator of 0"), "\(text.suffix(800))")
    #expect(text.contains("rereferral_pct 2014") && text.contains("Rutland (E06000017): count 0 of 0, published 19.1"))
    // The CSV gives the row its cause and its count (the count was dropped).
    let csv = try CSVReader.parse(try runCommand(["data", "agreement", "--data", m.root.path, "--indicator", "rereferral_pct",
                                                  "--format", "csv"]), source: "agreement.csv")
    let k = try #require(try csv.text("cause").firstIndex(of: "zero_denominator"))
    #expect(try csv.text("area_code")[k] == "E06000017" && csv.text("numerator")[k] == "0" && csv.text("computed")[k] == "")
  }
}

/// `model select --transform log` says which authorities it left out
/// because their value is 0 (30 of 2025's convictions figures vanished
/// from the count unsaid).
@Suite struct ModelSelectLeftOutTests {
  @Test func zeroValuesLeftOutOfALogSelectionAreNamed() throws {
    let id = "cla_convicted_pct"
    // The authorities whose 2025 value is 0, read from `values`.
    let table = try CSVReader.parse(try runCommand(["values", "--indicator", id, "--year", "2025"]), source: "values.csv")
    let code = try #require(table.columnNames.firstIndex(of: "new_la_code"))
    let value = try #require(table.columnNames.firstIndex(of: "value"))
    let zeros = Set((0..<table.rowCount).filter { Double(table.cells[value][$0]) == 0 }.map { table.cells[code][$0] })
    #expect(zeros.count > 10, "the test needs an indicator with many zero values")

    let out = try runCommand(["model", "select", "--indicator", id, "--year", "2025", "--candidates", "imd19_avg_score",
                              "--transform", "log", "--format", "json"])
    let json = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
    let leftOut = try #require(json["left_out"] as? [String: Any])
    #expect(Set(try #require(leftOut["not_positive_for_log"] as? [String])) == zeros)
    let text = try runCommand(["model", "select", "--indicator", id, "--year", "2025", "--candidates", "imd19_avg_score",
                               "--transform", "log"])
    #expect(text.contains("Left out \(zeros.count) authorities whose value is 0"), "\(text.prefix(600))")
    // Without the transform, they are used.
    let plain = try runCommand(["model", "select", "--indicator", id, "--year", "2025", "--candidates", "imd19_avg_score",
                                "--format", "json"])
    let all = try #require(try JSONSerialization.jsonObject(with: Data(plain.utf8)) as? [String: Any])
    #expect((all["n"] as? Int).map { $0 - zeros.count } == json["n"] as? Int)
    #expect(((all["left_out"] as? [String: Any])?["not_positive_for_log"] as? [String])?.isEmpty == true)
  }

  /// A negative count that is not a dashboard code is read as not
  /// available, and `values` showed DfE's published figure in its place
  /// with no word: a note now names the cell. The real data has none.
  @Test func valuesNamesANegativeFigureItReadAsNotAvailable() throws {
    let m = try DataConsistencyTests.mirror([DataConsistencyTests.edited("241,46,19.1", "241,-46,19.1")])
    defer { m.remove() }
    let args = ["values", "--indicator", "rereferral_pct", "--year", "2014", "--catalogue", ContextModelPaths.catalogue]
    let (out, err) = try runCapturingErrors(args + ["--data", m.root.path])
    let rutland = try #require(out.split(separator: "\n").first { $0.hasPrefix("E06000017,") }, "\(out.prefix(500))")
    #expect(rutland.hasSuffix(",published") && rutland.contains(",19.1,"), "\(rutland)")
    #expect(err.contains("1 figure this indicator reads is negative") && err.contains("column 'rereferral_count' ('-46')")
      && err.contains("c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv, line "), "\(err)")
    let (_, quiet) = try runCapturingErrors(args + ["--data", TestData.data.path])
    #expect(!quiet.contains("is negative"), "\(quiet)")
  }
}
