import ArgumentParser
import Foundation
import Testing
import PeerLensCLI
import PeerLensData
import _PeerLensTestSupport

/// A reviewer's list of answers the commands gave that were wrong or
/// silent: an option named for another, a format ignored, a period form
/// refused by one command and accepted by another, an empty folder taken
/// for no models, Foundation's words for a link that cannot fit the data,
/// and NaN printed as a result. Each test uses the review's own input.
///
/// Where a command would otherwise run at length before the line under
/// test, the input also points at a file that does not exist, so the test
/// stays quick whether or not the refusal comes first.
@Suite(.serialized) struct CommandReviewTests {
  /// The message `peerlens` prints for what a command threw, while parsing
  /// or running.
  func message(_ arguments: [String]) throws -> String {
    try #require(refusal(arguments), "\(arguments) was not refused").message
  }

  // MARK: 1. neighbours compare names --official, the option it was given

  @Test func neighboursCompareNamesTheOfficialOption() throws {
    let m = try message(["neighbours", "compare", "--official", "2019", "--mirror-path", TestData.data.path])
    #expect(m.contains("'2019'") && m.contains("--official takes"), "\(m)")
    #expect(!m.contains("--neighbours"), "\(m)")
  }

  // MARK: 2. a --format a command cannot produce is refused, not ignored

  /// Each command with the format it does not produce, and what it does
  /// produce; the trailing options make the command fail at once if the
  /// format were let through.
  static let unsupportedFormats: [(arguments: [String], command: String, asked: String, offered: String)] = [
    (["data", "check", "--format", "csv", "--data", "/no/such/peerlens-data"], "data check", "csv", "text or json"),
    (["model", "check", "--format", "csv", "--indicator", "no_such_indicator"], "model check", "csv", "text or json"),
    (["model", "select", "--indicator", "cla_rate", "--candidates", "imd19_avg_score", "--format", "csv",
      "--data", "/no/such/peerlens-data"], "model select", "csv", "text or json"),
    (["changes", "--format", "csv", "--store", "/no/such/peerlens.sqlite"], "changes", "csv", "text or json"),
    (["neighbours", "compare", "--official", "2021", "--format", "csv", "--data", "/no/such/context.csv"],
     "neighbours compare", "csv", "text or json"),
    (["neighbours", "--variables", "imd19_avg_score", "--format", "text", "--data", "/no/such/context.csv"],
     "neighbours find", "text", "csv or json"),
  ]

  @Test(arguments: unsupportedFormats.indices)
  func unsupportedFormatIsRefused(index: Int) throws {
    let c = Self.unsupportedFormats[index]
    let r = try #require(refusal(c.arguments), "\(c.arguments) was not refused")
    let offered = c.offered.split(separator: " or ").map { "'\($0)'" }.joined(separator: " and ")
    #expect(r.message.contains("The value '\(c.asked)' is invalid for '--format <format>'. Please provide one of \(offered)."),
            "\(r.message)")
    // Help lists only the formats the command writes.
    let accepted = c.arguments.map { $0 == c.asked ? String(c.offered.split(separator: " ")[0]) : $0 }
    let help = PeerLensCommand.helpMessage(for: type(of: try PeerLensCommand.parseAsRoot(accepted)), columns: 200)
    let listed = "(values: " + c.offered.split(separator: " or ").joined(separator: ", ") + ";"
    #expect(help.contains(listed), "\(c.command) help does not list only \(c.offered)")
    #expect(r.exit == ExitCode.validationFailure.rawValue, "\(c.arguments)")
  }

  // MARK: 3. a period's end year names it in values as in model fit

  /// `--year 2025` is the period ending in 2025 whatever its kind: the
  /// academic year 2024/25 of an absence indicator, as `model fit` reads it.
  @Test func valuesTakesTheEndYearOfAnAcademicYear() throws {
    func periods(_ year: String) throws -> Set<String> {
      let out = try runCommand(["values", "--data", TestData.data.path, "--indicator", "absence_cin_pct", "--year", year,
                                "--level", "national", "--catalogue", ContextModelPaths.catalogue])
      return Set(out.split(separator: "\n").dropFirst().map { String($0.split(separator: ",", omittingEmptySubsequences: false)[3]) })
    }
    #expect(try periods("2025") == ["202425"])
    #expect(try periods("2024/25") == ["202425"])
  }

  /// The split year a reporting year spans names it: the reporting year
  /// 2025 runs from April 2024 to March 2025, so `--year 2024/25` (or
  /// 202425) reads 2025 for children in care, as `--year 2025` does. A
  /// split year whose years do not follow on is still refused.
  @Test func valuesTakesTheSplitYearOfAReportingYear() throws {
    func periods(_ year: String) throws -> Set<String> {
      let out = try runCommand(["values", "--data", TestData.data.path, "--indicator", "cla_rate", "--year", year,
                                "--level", "national"])
      return Set(out.split(separator: "\n").dropFirst().map { String($0.split(separator: ",", omittingEmptySubsequences: false)[3]) })
    }
    #expect(try periods("2025") == ["2025"])
    #expect(try periods("2024/25") == ["2025"])
    #expect(try periods("202324") == ["2024"])
    let refused = try #require(refusal(["values", "--data", TestData.data.path, "--indicator", "cla_rate", "--year", "2023/25"]))
    #expect(refused.message.contains("such as 2024/25"), "\(refused.message)")
  }

  // MARK: 4. a --models folder without specifications is refused

  @Test func modelCheckRefusesAMissingModelsFolder() throws {
    let folder = temporaryPath("-models")
    let m = try message(["model", "check", "--models", folder])
    #expect(m.contains("No model specifications in \(folder)/context") && m.contains("does not exist"), "\(m)")
  }

  @Test func modelCheckRefusesAFolderWithoutTOMLFiles() throws {
    let folder = temporaryPath("-models")
    let context = URL(fileURLWithPath: folder).appendingPathComponent("context")
    try FileManager.default.createDirectory(at: context, withIntermediateDirectories: true)
    try "not a model".write(to: context.appendingPathComponent("readme.txt"), atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let m = try message(["model", "check", "--models", folder])
    #expect(m.contains("No model specifications in \(context.path)") && m.contains("no .toml files"), "\(m)")
  }

  /// Said before the national run (and before the neighbour list, which
  /// here does not exist either).
  @Test func serveRefusesAMissingModelsFolder() throws {
    let folder = temporaryPath("-models")
    let m = try message(["serve", "--data", TestData.data.path, "--models", folder, "--neighbours", "/no/such/list.csv"])
    #expect(m.contains("No model specifications in \(folder)/context") && m.contains("does not exist"), "\(m)")
  }

  // MARK: 5. a link that cannot fit the response is named, with the row

  /// Each case: the file, the options, the line and value that break the
  /// link, and words the message must hold.
  static let unsuitableLinks: [(csv: String, options: [String], line: Int, text: String, words: [String])] = [
    ("y,x\n0.2,1\n1.5,2\n0.4,3\n0.6,4\n", ["--family", "quasipoisson", "--link", "logit"], 3, "1.5", ["logit link", "between 0 and 1"]),
    ("y,x\n0,1\n3,2\n1,3\n2,4\n", ["--family", "quasipoisson", "--link", "cloglog"], 3, "3", ["cloglog link", "between 0 and 1"]),
    ("y,x\n1,1\n2,2\n-1,3\n3,4\n", ["--link", "log"], 4, "-1", ["log link", "above 0"]),
  ]

  @Test(arguments: unsuitableLinks.indices)
  func fitNamesTheLinkTheRangeAndTheRow(index: Int) throws {
    let c = Self.unsuitableLinks[index]
    let path = try writeTemporary(c.csv)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let m = try message(["fit", "--data", path, "--formula", "y ~ x"] + c.options)
    #expect(m.contains("\(path), line \(c.line)") && m.contains("column 'y'") && m.contains("found '\(c.text)'"), "\(m)")
    for w in c.words { #expect(m.contains(w), "\(m)") }
    #expect(!m.contains("NaN"), "\(m)")
  }

  /// A link the family does not take is refused by name, as R's family
  /// functions refuse it: a binomial with the sqrt link met NaN weights and
  /// said only "The matrix contains NaN or infinite values". A
  /// non-canonical link the family does take, whose fitted values leave
  /// the range, says so (the log link for a binomial).
  @Test func aLinkTheFamilyDoesNotTakeIsRefused() throws {
    let path = try writeTemporary("s,f,x\n0,10,1\n3,7,2\n5,5,3\n8,2,4\n10,0,5\n")
    defer { try? FileManager.default.removeItem(atPath: path) }
    for (family, link, others) in [("binomial", "sqrt", "logit, probit, cloglog, log, identity"),
                                   ("binomial", "inverse", "logit, probit, cloglog, log, identity"),
                                   ("gaussian", "logit", "identity, log, inverse"), ("poisson", "logit", "log, identity, sqrt")] {
      let formula = family == "binomial" ? "cbind(s, f) ~ x" : "s ~ x"
      let m = try message(["fit", "--data", path, "--formula", formula, "--family", family, "--link", link])
      #expect(m.contains("The \(family) family does not take the \(link) link") && m.contains(others), "\(m)")
    }
    let m = try message(["fit", "--data", path, "--formula", "cbind(s, f) ~ x", "--family", "binomial", "--link", "log"])
    #expect(m.contains("reached a probability outside 0 to 1") && !m.contains("NaN"), "\(m)")
  }

  /// `offset(pop)` where `offset(log(pop))` was meant: every fitted value
  /// overflowed and the message named no term. It now says the offset is
  /// on the log scale and how to write it; with the log, the fit runs.
  @Test func anOffsetOffTheLogScaleIsExplained() throws {
    let path = try writeTemporary("n,x,pop\n96,3.4,27412\n426,32.4,42162\n178,24.2,60388\n310,12.0,51000\n150,8.5,33000\n")
    defer { try? FileManager.default.removeItem(atPath: path) }
    for family in ["poisson", "negative-binomial"] {
      let m = try message(["fit", "--data", path, "--formula", "n ~ x + offset(pop)", "--family", family])
      #expect(m.contains("the offset reaches 60388") && m.contains("write offset(log(pop))") && !m.contains("NaN"), "\(family): \(m)")
      #expect(try runCommand(["fit", "--data", path, "--formula", "n ~ x + offset(log(pop))", "--family", family]).contains("(Intercept)"))
    }
    // A large negative offset is no overflow: not blamed on the log scale.
    let m = try message(["fit", "--data", path, "--formula", "n ~ x + offset(-pop)", "--family", "poisson"])
    #expect(!m.contains("the offset reaches"), "\(m)")
  }

  // MARK: 6. no NaN answers, no empty tables

  @Test(arguments: [["cdf", "normal", "--x", "nan"], ["sf", "normal", "--x", "nan"], ["cdf", "t", "--x", "inf", "--df", "3"],
                    ["sf", "chisq", "--x", "-inf", "--df", "2"], ["quantile", "normal", "--x", "nan"]])
  func distributionRefusesANonFinitePoint(arguments: [String]) throws {
    let r = try #require(refusal(["distribution"] + arguments), "\(arguments) was not refused")
    #expect(r.message.contains("--x") && r.message.contains("finite"), "\(r.message)")
    #expect(r.exit == ExitCode.validationFailure.rawValue)
  }

  @Test(arguments: ["0", "-3"])
  func modelSelectRefusesTopBelowOne(top: String) throws {
    let m = try message(["model", "select", "--indicator", "cla_rate", "--candidates", "imd19_avg_score", "--top", top,
                         "--data", "/no/such/peerlens-data"])
    #expect(m.contains("--top") && m.contains("at least 1") && m.contains(top), "\(m)")
  }
}
