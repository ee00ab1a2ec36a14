import Foundation
import Testing
@testable import PeerLensCLI
import PeerLensReports
import _PeerLensTestSupport

/// Problems a new user met in a first session, each with the message they
/// saw and the one they should see.
@Suite(.serialized) struct NewUserReviewTests {
  /// A file saved by Excel with `;` (or a tab) between fields was read as
  /// one column named `y;x`, so `fit` said "no column named 'y'. Did you
  /// mean y;x?" and `funnel` complained about quotes. The separator is
  /// named instead, whatever the command.
  @Test(arguments: [";", "\t"])
  func aFileWithAnotherSeparatorIsNamedAsSuch(separator: String) throws {
    let rows = ["\"y\"", "\"x\""].joined(separator: separator) + "\n" + ["1", "2"].joined(separator: separator) + "\n"
    let path = try writeTemporary(rows)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let (_, error) = try runCapturing(["fit", "--data", path, "--formula", "y ~ x"])
    let message = PeerLensCommand.fullMessage(for: try #require(error))
    let shown = separator == ";" ? "';'" : "a tab"
    #expect(message.contains("\(path): the header has no commas but splits into 2 names at \(shown)"), "\(message)")
    #expect(message.contains("Save it as 'CSV UTF-8 (Comma delimited)'"), "\(message)")
  }

  /// `peerlens help report` printed the top-level help and exited 0, as
  /// if `report` were a command; it is a usage error naming the commands.
  @Test func anUnknownHelpTopicIsAnError() throws {
    do {
      _ = try PeerLensCommand.parse(commandLine: ["help", "report"])
      Issue.record("accepted")
    } catch {
      let message = PeerLensCommand.fullMessage(for: error)
      #expect(message.contains("No help topic 'report'"), "\(message)")
      #expect(message.contains("Its subcommands are: fit, distribution"), "\(message)")
      #expect(PeerLensCommand.exitCode(for: error) == .validationFailure)
    }
    #expect { try PeerLensCommand.parse(commandLine: ["help", "model", "fitt"]) } throws: {
      PeerLensCommand.fullMessage(for: $0).contains("'peerlens model' has no subcommand 'fitt'")
    }
    // A topic that exists still shows its help.
    for known in [["help", "model"], ["help", "model", "fit"], ["help"]] {
      let command = try PeerLensCommand.parse(commandLine: known)
      #expect(throws: (any Error).self) { var c = command; try c.run() }
    }
  }

  /// A file of many authorities read as one series said only that a
  /// period "appears again in the same series"; it now says to give
  /// --group, with a column the file has.
  @Test func aRepeatedPeriodWithoutGroupSuggestsOne() throws {
    let path = try writeTemporary("time_period,la_name,rate\n2025,Rutland,1\n2025,Bury,2\n")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let (_, error) = try runCapturing(["spc", "--data", path, "--value", "rate"])
    let message = PeerLensCommand.fullMessage(for: try #require(error))
    #expect(message.contains("line 3, column 'time_period': the period 2025 appears again"), "\(message)")
    #expect(message.contains("give --group <column> to chart each separately (such as --group la_name)"), "\(message)")
    // With --group the same file is two series, and charted.
    _ = try runCommand(["spc", "--data", path, "--value", "rate", "--group", "la_name"])
  }

  /// `--candidates imd19_avg_score,pct_blak` and `--variables …,x3` said
  /// "Formula error at character 17" though no formula was given; the
  /// message names the option and keeps the did-you-mean.
  @Test func anUnknownListedColumnNamesItsOption() throws {
    let select = try #require(refusal(["model", "select", "--data", TestData.data.path, "--indicator", "cla_rate",
                                       "--candidates", "imd19_avg_score,pct_blak"])).message
    #expect(select.contains("--candidates: no column named 'pct_blak'. Did you mean pct_black?"), "\(select)")
    #expect(!select.contains("Formula error"), "\(select)")
    let units = try RefusalTests.units()
    defer { try? FileManager.default.removeItem(atPath: units) }
    let find = try #require(refusal(["neighbours", "find", "--data", units, "--id", "id", "--variables", "x1,x3"])).message
    #expect(find.contains("--variables: no column named 'x3'."), "\(find)")
    #expect(!find.contains("Formula error"), "\(find)")
  }

  /// A misspelt specification path said only "cannot read the file.",
  /// which reads like a permissions problem; it says there is no such
  /// file, and names the nearest one in the folder.
  @Test func aMissingSpecificationIsNamedWithTheNearestFile() throws {
    let folder = temporaryPath("-models")
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    try "indicator = \"cla_rate\"\n".write(toFile: folder + "/cla_rate.toml", atomically: true, encoding: .utf8)
    for arguments in [["model", "fit", folder + "/cla_rates.toml"],
                      ["neighbours", "find", "--spec", folder + "/neighbour.toml"]] {
      let m = try #require(refusal(arguments), "\(arguments) was not refused").message
      let typed = try #require(arguments.last)
      #expect(m.contains("\(typed): no such file."), "\(m)")
      #expect(!m.contains("cannot read"), "\(m)")
      if typed.hasSuffix("cla_rates.toml") { #expect(m.contains("Did you mean \(folder)/cla_rate.toml?"), "\(m)") }
    }
  }

  /// `packs --reports /nonexistent` ran the whole national computation
  /// (minutes) before failing with "Missing report template"; the folder
  /// is checked first, as --models is, and so are the templates in it.
  @Test(arguments: [false, true])
  func packsChecksTheTemplatesFirst(folderExists: Bool) throws {
    let reports = temporaryPath("-reports"), out = temporaryPath("-packs")
    if folderExists { try FileManager.default.createDirectory(atPath: reports, withIntermediateDirectories: true) }
    defer {
      try? FileManager.default.removeItem(atPath: reports)
      try? FileManager.default.removeItem(atPath: out)
    }
    // Standard error shows whether the national run was started.
    let (_, progress, error) = try runCapturingAll(["packs", "--data", TestData.data.path, "--out", out, "--format", "json",
                                                    "--la", "Rutland", "--reports", reports])
    let message = PeerLensCommand.message(afterRunning: try #require(error))
    #expect(message.contains(reports), "\(message)")
    if !folderExists { #expect(message.contains("No report templates folder"), "\(message)") }
    #expect(!progress.contains("computing indicators"), "the run was started before the refusal: \(progress)")
    #expect(!FileManager.default.fileExists(atPath: out))
  }

  /// `packs --la Rutland --out dir` deleted the user's
  /// `dir/authorities/extra.txt`, though the README says other files are
  /// kept; an earlier run's pack of another authority still goes.
  @Test func packsKeepsAUsersFileAmongThePacks() throws {
    let out = temporaryPath("-packs")
    let authorities = out + "/authorities"
    try FileManager.default.createDirectory(atPath: authorities, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: out) }
    try "mine\n".write(toFile: authorities + "/extra.txt", atomically: true, encoding: .utf8)
    try "old pack\n".write(toFile: authorities + "/E06000018.csv", atomically: true, encoding: .utf8)
    _ = try runCapturingErrors(["packs", "--data", TestData.data.path, "--la", "Rutland", "--format", "csv", "--out", out])
    #expect(try String(contentsOfFile: authorities + "/extra.txt", encoding: .utf8) == "mine\n")
    #expect(!FileManager.default.fileExists(atPath: authorities + "/E06000018.csv"))
    #expect(FileManager.default.fileExists(atPath: authorities + "/E06000017.csv"))
  }

  @Test func onlyFilesNamedAsPacksAreTakenForPacks() {
    let slugs: Set<String> = ["north-west"]
    for name in ["E06000017.html", "E06000017-summary.pdf", "E10000006.xlsx"] {
      #expect(PackWriter.isOutput(folder: "authorities", name: name, regionSlugs: slugs), "\(name)")
    }
    for name in ["extra.txt", "E0600001.html", "notes.csv", "E06000017.docx", "E0600001X.json"] {
      #expect(!PackWriter.isOutput(folder: "authorities", name: name, regionSlugs: slugs), "\(name)")
    }
    #expect(PackWriter.isOutput(folder: "regions", name: "north-west.csv", regionSlugs: slugs))
    #expect(!PackWriter.isOutput(folder: "regions", name: "notes.csv", regionSlugs: slugs))
  }
}
