import ArgumentParser
import Foundation
import Testing
import PeerLensCLI
import PeerLensData
import _PeerLensTestSupport

/// Plausible but odd input (issue 21, items 3, 4, 7 and 8): each test uses
/// the issue's own input.
@Suite(.serialized) struct OddInputTests {
  /// The cells the issue found read as numbers: `33<NUL>2` read as 33,
  /// `0x14C` as 332, `332%` as 332, and the IEEE words.
  static let notNumbers = ["33\u{0}2", "0x14C", "332%", "inf", "nan"]

  /// Item 3: `fit` on a user CSV refuses each one, naming file, line and column.
  @Test(arguments: notNumbers)
  func fitRefusesCellsThatAreNotPlainNumbers(cell: String) throws {
    var rows = ["y,x"]
    for i in 1...8 { rows.append("\(Double(i) * 1.5 + Double(i % 3)),\(i)") }
    rows.append("4.2,\(cell)")  // line 10
    let path = try writeTemporary(rows.joined(separator: "\n") + "\n")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let (_, error) = try runCapturing(["fit", "--data", path, "--formula", "y ~ x"])
    let thrown = try #require(error, "'\(cell)' was read as a number")
    let message = thrown.localizedDescription
    #expect(message.contains(path), "\(message)")
    #expect(message.contains("line 10"), "\(message)")
    #expect(message.contains("'x'"), "\(message)")
  }

  /// Item 3: plain decimals still read, with surrounding spaces trimmed.
  @Test func plainDecimalsAndSymbolsStillRead() {
    let good: [(String, Double)] = [("332", 332), ("-1.5", -1.5), ("+2", 2), (".5", 0.5), ("5.", 5), ("1e3", 1000),
                                    ("2.5E-2", 0.025), ("  7 ", 7), ("\t8", 8)]
    for (text, value) in good { #expect(CellValue(parsing: text) == .number(value), "\(text)") }
    for text in Self.notNumbers + ["1,234", "1e", "e5", ".", "-", "+", "1.2.3", "1e999", "12abc", "0b101", "Infinity"] {
      #expect(CellValue(parsing: text)?.number == nil, "'\(text)' read as a number")
    }
    #expect(CellValue(parsing: " c ") == .missing(.suppressed))
  }

  /// Item 3: `data check` on a DfE file reports each odd cell with file, line
  /// and column, and exits non-zero.
  @Test func dataCheckRefusesCellsThatAreNotPlainNumbers() throws {
    let name = "national_adoption_placement_order_to_match.csv"
    var lines = ["time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,old_la_code,new_la_code,la_name,number"]
    let good = ["120", "87", "64", "301", "45", "77"]
    for (k, n) in (good + Self.notNumbers).enumerated() {
      lines.append("2025,Reporting year,Local authority,E92000001,England,E12000001,North East,\(805 + k),E0600\(String(format: "%04d", 1 + k)),Authority \(k),\(n)")
    }
    let mirror = try TemporaryMirror(replacing: ["dfe/\(name)": lines.joined(separator: "\n") + "\n"])
    defer { mirror.remove() }
    let (output, error) = try runCapturing(["data", "check", "--data", mirror.root.path])
    #expect((error as? ExitCode) == ExitCode.failure)
    for (k, cell) in Self.notNumbers.enumerated() {
      let line = 2 + good.count + k
      let reported = output.split(separator: "\n").contains { $0.contains(name) && $0.contains("line \(line),") && $0.contains("'number'") }
      #expect(reported, "'\(cell)' on line \(line) not reported")
    }
  }

  /// A suppression symbol in `time_period` was refused as "expected a
  /// number or a missing-value symbol, found 'c'" (a missing-value symbol,
  /// found), with the file named twice: the message now asks for a period.
  @Test func aSymbolForAPeriodIsRefusedAsNoPeriod() throws {
    let name = "national_adoption_placement_order_to_match.csv"
    let lines = ["time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,old_la_code,new_la_code,la_name,number",
                 "2025,Reporting year,Local authority,E92000001,England,E12000001,North East,805,E06000001,Hartlepool,12",
                 "c,Reporting year,Local authority,E92000001,England,E12000001,North East,806,E06000002,Middlesbrough,14"]
    let mirror = try TemporaryMirror(replacing: ["dfe/\(name)": lines.joined(separator: "\n") + "\n"])
    defer { mirror.remove() }
    let (output, error) = try runCapturing(["data", "check", "--data", mirror.root.path])
    #expect((error as? ExitCode) == ExitCode.failure)
    let line = try #require(output.split(separator: "\n").first { $0.contains("line 3") && $0.contains("time_period") })
    #expect(line.contains("expected a period code") && line.contains("found 'c'"), "\(line)")
    #expect(line.components(separatedBy: name).count == 2, "the file named once: \(line)")
  }

  // MARK: Item 7, time runs forwards

  func spcPeriods(_ csv: String) throws -> [String] {
    let path = try writeTemporary(csv)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let out = try runCommand(["spc", "--data", path, "--value", "value", "--period", "period"])
    let json = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
    let series = try #require(json["series"] as? [[String: Any]])
    let points = try #require(series.first?["points"] as? [[String: Any]])
    return points.compactMap { $0["period"] as? String }
  }

  /// The issue's monthly series, `2023-1` … `2023-12`: sorted as text it ran
  /// 1, 10, 11, 12, 2, …
  @Test func monthlyPeriodsRunInTimeOrder() throws {
    let months = (1...12).map { "2023-\($0)" }
    // File order deliberately scrambled (text order, then reversed).
    let fileOrder = months.sorted().reversed()
    let csv = "period,value\n" + fileOrder.enumerated().map { "\($1),\(10 + $0)" }.joined(separator: "\n") + "\n"
    #expect(try spcPeriods(csv) == months)
  }

  /// Academic years in both written forms, years and quarters, in time order.
  @Test func yearsAcademicYearsAndQuartersRunInTimeOrder() throws {
    #expect(try spcPeriods("period,value\n202425,3\n201920,1\n202021,2\n") == ["201920", "202021", "202425"])
    #expect(try spcPeriods("period,value\n2024/25,3\n2019/20,1\n2020/21,2\n") == ["2019/20", "2020/21", "2024/25"])
    #expect(try spcPeriods("period,value\n2025,3\n2009,1\n2010,2\n") == ["2009", "2010", "2025"])
    #expect(try spcPeriods("period,value\n2024Q1,3\n2023Q4,2\n2023Q2,1\n") == ["2023Q2", "2023Q4", "2024Q1"])
  }

  @Test func aSeriesMixingFormatsIsRefused() throws {
    let path = try writeTemporary("period,value\n2023,1\n2023-1,2\n2023-2,3\n")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let error = try #require(try runCapturing(["spc", "--data", path, "--value", "value", "--period", "period"]).error)
    let message = error.localizedDescription
    #expect(message.contains(path) && message.contains("line 3") && message.contains("'period'"), "\(message)")
    #expect(message.contains("mixes period formats"), "\(message)")
  }

  @Test func aDuplicatedPeriodIsRefused() throws {
    let path = try writeTemporary("period,value\n2023-1,1\n2023-2,2\n2023-01,3\n")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let error = try #require(try runCapturing(["spc", "--data", path, "--value", "value", "--period", "period"]).error)
    let message = error.localizedDescription
    #expect(message.contains(path) && message.contains("line 4") && message.contains("first at line 2"), "\(message)")
  }

  @Test func aValueThatIsNotANumberIsRefused() throws {
    let path = try writeTemporary("period,value\n2023-1,1\n2023-2,two\n2023-3,3\n")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let error = try #require(try runCapturing(["spc", "--data", path, "--value", "value", "--period", "period"]).error)
    let message = error.localizedDescription
    #expect(message.contains(path) && message.contains("line 3") && message.contains("'value'") && message.contains("'two'"),
            "\(message)")
  }

  @Test func anUnreadablePeriodIsRefused() throws {
    let path = try writeTemporary("period,value\n2023-1,1\n2023-13,2\n")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let error = try #require(try runCapturing(["spc", "--data", path, "--value", "value", "--period", "period"]).error)
    #expect(error.localizedDescription.contains("line 3"), "\(error.localizedDescription)")
  }

  // MARK: Item 8, the command line answers early and briefly

  /// Runs `packs` expecting a refusal; returns the message and the seconds
  /// taken. A national run in a debug build takes far longer than the
  /// bound the callers check, so a quick refusal shows the check came first.
  func packsRefusal(_ extra: [String]) throws -> (message: String, seconds: Double) {
    let out = temporaryPath("-packs")
    defer { try? FileManager.default.removeItem(atPath: out) }
    let started = Date()
    let (_, error) = try runCapturing(["packs", "--data", TestData.data.path, "--out", out, "--format", "json"] + extra)
    let seconds = Date().timeIntervalSince(started)
    let thrown = try #require(error, "packs \(extra) was not refused")
    #expect(!FileManager.default.fileExists(atPath: out))
    return (PeerLensCommand.message(afterRunning: thrown), seconds)
  }

  @Test func packsRefusesAYearWithNoDataAndListsTheYears() throws {
    let (message, seconds) = try packsRefusal(["--year", "2030", "--la", "Rutland"])
    #expect(message.contains("2030"), "\(message)")
    // The embedded data run to 2025; the list names it and earlier years.
    #expect(message.contains("2025") && message.contains("2020"), "\(message)")
    #expect(seconds < 20, "took \(seconds) s")
    #expect(message.hasPrefix("Error: No data for --year '2030'."), "\(message)")
    // Text that is no year is said to be none.
    let (text, _) = try packsRefusal(["--year", "abc", "--la", "Rutland"])
    #expect(text.hasPrefix("Error: --year 'abc' is not a year.") && text.contains("2025"), "\(text)")
  }

  @Test func packsSuggestsTheClosestAuthorityBeforeAnyWork() throws {
    let (message, seconds) = try packsRefusal(["--la", "Rutlnd"])
    #expect(message.contains("Did you mean Rutland?"), "\(message)")
    #expect(!message.contains("Usage"), "\(message)")
    #expect(seconds < 20, "took \(seconds) s")
  }

  @Test func packsSuggestsTheClosestRegion() throws {
    let (message, _) = try packsRefusal(["--region", "Nort East"])
    #expect(message.contains("Did you mean North East?"), "\(message)")
  }

  @Test func anUnknownIndicatorGetsASuggestion() throws {
    let error = try #require(try runCapturing(["values", "--indicator", "cla_rat", "--data", TestData.data.path]).error)
    #expect(error.localizedDescription.contains("Did you mean cla_rate?"), "\(error.localizedDescription)")
  }

  @Test func aWhollyDifferentNameGetsNoGuess() {
    #expect(NameSuggestion.closest(to: "Zzzzzzzzzz", among: ["Rutland", "Hartlepool"]) == nil)
    #expect(NameSuggestion.closest(to: "hartlepol", among: ["Rutland", "Hartlepool"]) == "Hartlepool")
  }

  /// A runtime error (here a missing store) is printed without the root
  /// usage line ArgumentParser adds to every `ValidationError`.
  @Test func runtimeErrorsPrintNoUsageLine() throws {
    let store = temporaryPath(".db")
    let error = try #require(try runCapturing(["changes", "--store", store]).error)
    #expect(PeerLensCommand.fullMessage(for: error).contains("Usage: peerlens"))  // what main printed before
    let message = PeerLensCommand.message(afterRunning: error)
    #expect(message.hasPrefix("Error: No store at"), "\(message)")
    #expect(!message.contains("Usage"), "\(message)")
  }

  static let mebibyte = String(repeating: "a", count: 1 << 20)

  /// A 1 MiB column name with an unknown variable in the formula.
  @Test func aHugeColumnNameIsNotRepeatedInFull() throws {
    let path = try writeTemporary("y,\(Self.mebibyte)\n1,2\n2,3\n3,5\n")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let error = try #require(try runCapturing(["fit", "--data", path, "--formula", "y ~ z"]).error)
    let message = PeerLensCommand.message(afterRunning: error)
    #expect(message.contains("'z'"))
    #expect(message.count < 1000 + path.count, "\(message.count) characters")
  }

  /// A 1 MiB cell in a numeric column.
  @Test func aHugeCellIsNotRepeatedInFull() throws {
    let path = try writeTemporary("y,x\n1,2\n2,3\n3,\(Self.mebibyte)\n4,7\n")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let error = try #require(try runCapturing(["fit", "--data", path, "--formula", "y ~ x"]).error)
    let message = PeerLensCommand.message(afterRunning: error)
    #expect(message.contains("line 4"), "\(message.prefix(300))")
    #expect(message.count < 1000 + path.count, "\(message.count) characters")
  }

  /// A 1 MiB value in a funnel's numerator column.
  @Test func aHugeFunnelValueIsNotRepeatedInFull() throws {
    let path = try writeTemporary("id,n,d\nA,5,100\nB,\(Self.mebibyte),120\nC,7,90\n")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let error = try #require(try runCapturing(["funnel", "--data", path, "--numerator", "n", "--denominator", "d", "--id", "id"]).error)
    let message = PeerLensCommand.message(afterRunning: error)
    #expect(message.contains("line 3"), "\(message.prefix(300))")
    #expect(message.count < 1000 + path.count, "\(message.count) characters")
  }

  // MARK: Item 4, data that contradicts itself

  static let claFile = "cla_number_and_rate_per_10k_children.csv"

  /// The fixture without its two edits (the 9999 row and the count 3320
  /// beside a rate of 157): a clean file for other edits to start from.
  static func fixed(_ text: String) -> String {
    text.replacingOccurrences(of: ",21090,3320,157", with: ",21090,332,157")
      .split(separator: "\n").filter { !$0.hasPrefix("9999,") }.joined(separator: "\n") + "\n"
  }

  /// `data check` on a mirror whose children-looked-after file is the
  /// fixture (or the fixture with `edit` applied).
  func dataCheck(_ extra: [String] = [], edit: (String) -> String = { $0 }) throws -> (output: String, error: Error?) {
    let fixture = try String(contentsOf: TestData.fixtures.appendingPathComponent("datacheck/\(Self.claFile)"), encoding: .utf8)
    let mirror = try TemporaryMirror(replacing: ["dfe/\(Self.claFile)": edit(fixture)])
    defer { mirror.remove() }
    return try runCapturing(["data", "check", "--data", mirror.root.path] + extra)
  }

  /// The issue's two edits: a Hartlepool row dated 9999 and Hartlepool's
  /// 2025 count changed to 3,320 beside its published rate of 157.
  @Test func dataCheckRefusesA9999RowAndACountThatContradictsItsRate() throws {
    let (output, error) = try dataCheck()
    #expect((error as? ExitCode) == ExitCode.failure)
    let lines = output.split(separator: "\n").map(String.init)
    let period = lines.filter { $0.contains(Self.claFile) && $0.contains("'9999'") }
    #expect(period.contains { $0.contains("plausible range") && $0.contains("1004") }, "\(period)")
    let conflict = lines.filter { $0.contains("count and published rate disagree") }
    #expect(conflict.count == 1, "\(conflict)")
    #expect(conflict.first.map { $0.contains("cla_rate") && $0.contains("E06000001") && $0.contains("3320 of 21090")
      && $0.contains("1574") && $0.contains("157") } == true, "\(conflict)")
    // It names the file, the row's line and the columns, as other errors do.
    let fixture = try String(contentsOf: TestData.fixtures.appendingPathComponent("datacheck/\(Self.claFile)"), encoding: .utf8)
    let line = try #require(fixture.split(separator: "\n", omittingEmptySubsequences: false)
      .firstIndex { $0.contains("E06000001") && $0.contains(",21090,3320,157") }) + 1
    #expect(conflict.first.map { $0.contains("see dfe/\(Self.claFile) line \(line) (count children_count, published figure rate_per_10000)") } == true,
            "\(conflict) (line \(line))")
    // Without the edits the same rows pass.
    let clean = try dataCheck { text in
      text.replacingOccurrences(of: ",21090,3320,157", with: ",21090,332,157")
        .split(separator: "\n").filter { !$0.hasPrefix("9999,") }.joined(separator: "\n") + "\n"
    }
    #expect(clean.error == nil, "\(clean.output.split(separator: "\n").filter { $0.contains("error") })")
  }

  /// A negative count in a column the catalogue reads is an error with its
  /// line and column; the dashboard's codes (−100 … −400) are not.
  @Test func dataCheckRefusesANegativeCountButNotADashboardCode() throws {
    let negative = try dataCheck { Self.fixed($0).replacingOccurrences(of: ",21090,332,157", with: ",21090,-332,157") }
    #expect((negative.error as? ExitCode) == ExitCode.failure)
    #expect(negative.output.split(separator: "\n").contains { $0.contains("column 'children_count'") && $0.contains("'-332'")
      && $0.contains("line ") && $0.contains("zero or more") }, "\(negative.output)")
    let coded = try dataCheck { Self.fixed($0).replacingOccurrences(of: ",21090,332,157", with: ",21090,-100,157") }
    #expect(coded.error == nil, "\(coded.output.split(separator: "\n").filter { $0.contains("error") })")
  }

  /// A header with no rows read as a clean file (every count 0), while the
  /// indicators read from it had no values; `data import` refused it and
  /// `data check` passed it, even with `--strict`.
  @Test func dataCheckRefusesAFileWithAHeaderAndNoRows() throws {
    let (output, error) = try dataCheck { text in String(text.prefix { $0 != "\n" }) + "\n" }
    #expect((error as? ExitCode) == ExitCode.failure)
    let line = output.split(separator: "\n").filter { $0.hasPrefix("error: \(Self.claFile): it has a header but no rows") }
    #expect(line.count == 1 && line[0].contains("(cla_starting_rate, cla_rate, cla_ceasing_rate)"), "\(line)")
    let json = try dataCheck(["--format", "json"]) { text in String(text.prefix { $0 != "\n" }) + "\n" }
    let object = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
    #expect((object["empty_files"] as? [String])?.count == 1)
    // The whole fixture has rows: no such error.
    #expect(!(try dataCheck()).output.contains("no rows of data"))
  }

  /// A population of 0 beside 332 children in care and DfE's rate of 157:
  /// the authority showed as having no value, and `data check` passed it.
  @Test func dataCheckRefusesACountOverADenominatorOfZero() throws {
    let zero = try dataCheck { Self.fixed($0).replacingOccurrences(of: ",21090,332,157", with: ",0,332,157") }
    #expect((zero.error as? ExitCode) == ExitCode.failure)
    let lines = zero.output.split(separator: "\n").filter { $0.hasPrefix("error: impossible figure:") }
    // The row's line in the file as checked (the fixture less its 9999 row).
    let fixture = try String(contentsOf: TestData.fixtures.appendingPathComponent("datacheck/\(Self.claFile)"), encoding: .utf8)
    let row = try #require(Self.fixed(fixture).split(separator: "\n", omittingEmptySubsequences: false)
      .firstIndex { $0.contains(",21090,332,157") }) + 1
    #expect(lines.count == 1 && lines[0].contains("cla_rate 2025 E06000001 Hartlepool: count 332 over a denominator of 0")
      && lines[0].contains("(the published figure is 157)")
      && lines[0].contains("see dfe/\(Self.claFile) line \(row) (count children_count, denominator population_estimate)"), "\(lines)")
    // More children in care than children: refused as well.
    let over = try dataCheck { Self.fixed($0).replacingOccurrences(of: ",21090,332,157", with: ",21090,30000,14225") }
    #expect((over.error as? ExitCode) == ExitCode.failure)
    #expect(over.output.contains("cla_rate 2025 E06000001 Hartlepool: count 30000 is above the population of 21090 it is a rate of (14225 per 10,000)"),
            "\(over.output.split(separator: "\n").filter { $0.contains("error") })")
    // A count of 0 over 0 is no contradiction.
    let none = try dataCheck { Self.fixed($0).replacingOccurrences(of: ",21090,332,157", with: ",0,0,0") }
    #expect(!none.output.contains("over a denominator of 0"), "\(none.output.split(separator: "\n").filter { $0.contains("error") })")
  }

  /// A file whose National rows are gone gave packs with no England figure
  /// and a clean `data check`: each indicator read from it is now a
  /// warning, which `--strict` fails.
  @Test func dataCheckWarnsOfAFileWithNoNationalRows() throws {
    let noNational: (String) -> String = { Self.fixed($0).split(separator: "\n").filter { !$0.contains(",National,") }.joined(separator: "\n") + "\n" }
    let plain = try dataCheck(edit: noNational)
    #expect(plain.error == nil, "\(plain.output.split(separator: "\n").filter { $0.contains("error") })")
    let warnings = plain.output.split(separator: "\n").filter { $0.hasPrefix("warning: no England figure: ") }
    #expect(warnings.count == 3, "\(warnings)")
    #expect(warnings.contains { $0.contains("cla_rate: authorities have values in") && $0.contains("\(Self.claFile) has no National row") })
    let strict = try dataCheck(["--strict"], edit: noNational)
    #expect((strict.error as? ExitCode) == ExitCode.failure)
    // With its National rows the same file gives no such warning.
    #expect(!(try dataCheck(edit: Self.fixed)).output.contains("no England figure"))
  }

  /// Hartlepool's code on rows named Darlington: read as Hartlepool's
  /// figures without a word. A warning names the code, both names and the
  /// first line; a spelling the registry does not know is no warning.
  @Test func dataCheckWarnsOfARowNamingAnotherAuthority() throws {
    let fixture = Self.fixed(try String(contentsOf: TestData.fixtures.appendingPathComponent("datacheck/\(Self.claFile)"), encoding: .utf8))
    let rows = fixture.split(separator: "\n", omittingEmptySubsequences: false)
    let first = try #require(rows.firstIndex { $0.contains(",Hartlepool,E06000001,") }) + 1
    let count = rows.filter { $0.contains(",Hartlepool,E06000001,") }.count
    let renamed = try dataCheck { Self.fixed($0).replacingOccurrences(of: ",Hartlepool,E06000001,", with: ",Darlington,E06000001,") }
    #expect(renamed.error == nil)
    let warning = renamed.output.split(separator: "\n").filter { $0.hasPrefix("warning: \(Self.claFile), line \(first) and \(count - 1) more rows: code E06000001 is Hartlepool, but the row names 'Darlington', which is E06000005's name") }
    #expect(warning.count == 1, "\(renamed.output.split(separator: "\n").filter { $0.hasPrefix("warning") })")
    let strict = try dataCheck(["--strict"]) { Self.fixed($0).replacingOccurrences(of: ",Hartlepool,E06000001,", with: ",Darlington,E06000001,") }
    #expect((strict.error as? ExitCode) == ExitCode.failure)
    let variant = try dataCheck(["--strict"]) { Self.fixed($0).replacingOccurrences(of: ",Hartlepool,E06000001,", with: ",Hartlepool UA,E06000001,") }
    #expect(variant.error == nil && !variant.output.contains("which is E0"))
  }

  /// A plausible year that only one authority reports is refused too: it
  /// would become every indicator's latest year.
  @Test func dataCheckRefusesAPeriodOnlyAHandfulReport() throws {
    let (output, error) = try dataCheck { text in
      text.replacingOccurrences(of: ",21090,3320,157", with: ",21090,332,157")
        .replacingOccurrences(of: "\n9999,", with: "\n2026,")
    }
    #expect((error as? ExitCode) == ExitCode.failure)
    let sparse = output.split(separator: "\n").filter { $0.contains("'2026'") }
    #expect(sparse.contains { $0.contains("only 1 authority") }, "\(sparse)")
  }

  /// `--strict` fails on warnings: an unknown authority code passes without
  /// it and fails with it.
  @Test func strictMakesWarningsFail() throws {
    let unknown: (String) -> String = { text in
      text.replacingOccurrences(of: ",21090,3320,157", with: ",21090,332,157")
        .split(separator: "\n").filter { !$0.hasPrefix("9999,") }.joined(separator: "\n")
        + "\n2025,Reporting year,Local authority,E92000001,England,E12000001,North East,999,Nowhere,E06000999,"
        + "Children looked after on 31 March each year,1000,10,100\n"
    }
    let lenient = try dataCheck(edit: unknown)
    #expect(lenient.error == nil)
    #expect(lenient.output.contains("unknown authority code 'E06000999'"))
    let strict = try dataCheck(["--strict"], edit: unknown)
    #expect((strict.error as? ExitCode) == ExitCode.failure)
  }
}
