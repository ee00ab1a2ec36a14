import ArgumentParser
import Foundation
import Testing
@testable import PeerLensCLI
import PeerLensData
import PeerLensNumerics
import _PeerLensTestSupport

/// Suites run in parallel, but standard output and error are one per
/// process: captures take turns (recursive: a capture of errors wraps
/// `runCommand`).
let outputCapture = NSRecursiveLock()

/// Runs a command in-process and returns what it printed.
func runCommand(_ arguments: [String]) throws -> String {
  let (output, error) = try runCapturing(arguments)
  if let error { throw error }
  return output
}

/// Runs a command and keeps both its standard output and what it threw
/// (`data check` prints its report before exiting non-zero). Output goes
/// through a file, so its size never blocks the command.
func runCapturing(_ arguments: [String]) throws -> (output: String, error: Error?) {
  outputCapture.lock()
  defer { outputCapture.unlock() }
  var command = try PeerLensCommand.parse(commandLine: arguments)
  let path = temporaryPath(".stdout")
  FileManager.default.createFile(atPath: path, contents: nil)
  defer { try? FileManager.default.removeItem(atPath: path) }
  let handle = try #require(FileHandle(forWritingAtPath: path))
  let saved = dup(STDOUT_FILENO)
  fflush(nil)
  dup2(handle.fileDescriptor, STDOUT_FILENO)
  var thrown: Error? = nil
  do { try command.run() } catch { thrown = error }
  fflush(nil)
  dup2(saved, STDOUT_FILENO)
  close(saved)
  try handle.close()
  return (String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self), thrown)
}

func writeTemporary(_ text: String, suffix: String = ".csv") throws -> String {
  let path = temporaryPath(suffix)
  try text.write(toFile: path, atomically: true, encoding: .utf8)
  return path
}

@Suite(.serialized) struct CommandTests {
  static let commands: [[String]] = [
    ["fit"], ["distribution"], ["distribution", "cdf"], ["values"], ["indicators"], ["ingest"], ["data", "check"], ["data", "agreement"],
    ["model", "fit"], ["model", "select"], ["model", "check"], ["funnel"], ["interval"], ["spc"], ["changes"], ["neighbours", "find"],
    ["neighbours", "compare"], ["clusters"], ["packs"],
  ]

  @Test(arguments: commands)
  func helpHasExamples(path: [String]) throws {
    let text: String
    do { text = try runCommand(path + ["--help"]) } catch { text = PeerLensCommand.fullMessage(for: error) }
    #expect(text.contains("USAGE"), "\(path)")
    if path != ["distribution"] && path != ["distribution", "cdf"] {
      #expect(text.contains("Examples:") || text.contains("Examples ("), "\(path) help has no examples")
    }
    // An example that names a user's own folder says so: run as written,
    // `--data ~/dfe-data` only answered "Cannot find the data folder".
    if text.contains("~/dfe-data") { #expect(text.contains("stand for your own"), "\(path)") }
  }

  /// NIST's hardest linear problem through the command a researcher runs:
  /// every certified estimate and standard error to nine digits.
  @Test func fitGetsFilipToNineDigits() throws {
    let data = try StRDDataset(named: "Filip")
    let path = try writeTemporary(data.csv)
    let rhs = (2...10).map { "I(x^\($0))" }.joined(separator: " + ")
    let out = try runCommand(["fit", "--data", path, "--formula", "y ~ x + \(rhs)", "--format", "json"])
    let json = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
    let coefs = try #require(json["coefficients"] as? [[String: Any]])
    #expect(coefs.count == 11)
    for (k, c) in coefs.enumerated() {
      let b = try #require(c["estimate"] as? Double), se = try #require(c["std_error"] as? Double)
      #expect(logRelativeError(b, certified: data.estimates[k]) >= 9, "B\(k) \(b)")
      #expect(logRelativeError(se, certified: data.standardDeviations[k]) >= 9, "SE\(k) \(se)")
    }
  }

  @Test func fitJSONRoundTripsExactly() throws {
    let data = try StRDDataset(named: "Longley")
    let path = try writeTemporary(data.csv)
    let out = try runCommand(["fit", "--data", path, "--formula", "y ~ x1 + x2 + x3 + x4 + x5 + x6", "--format", "json"])
    let json = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
    #expect(json["family"] as? String == "gaussian")
    #expect(json["n"] as? Int == 16 && json["df_residual"] as? Int == 9)
    let coefs = try #require(json["coefficients"] as? [[String: Any]])
    #expect(coefs.map { $0["term"] as? String } == ["(Intercept)", "x1", "x2", "x3", "x4", "x5", "x6"])
    for (k, c) in coefs.enumerated() {
      let text = try #require(out.components(separatedBy: "\"estimate\": ").dropFirst().map { $0.prefix { $0 != "," && $0 != "\n" } }[k])
      let value = try #require(Double(String(text)))
      #expect(logRelativeError(value, certified: data.estimates[k]) >= 9)
      // The text is the shortest form that round-trips (Foundation's JSON
      // parser on Linux is itself inexact, so compare through the text).
      #expect(value.description == String(text) || JSONValue.format(value) == String(text))
      #expect(agrees(try #require(c["estimate"] as? Double), value, relative: 1e-15))
    }
    for key in ["sigma", "r_squared", "adj_r_squared", "f_statistic", "log_likelihood", "aic", "bic"] {
      #expect(json[key] is Double, "missing \(key)")
    }
  }

  @Test func aliasedTermsAreNullNotDropped() throws {
    let path = try writeTemporary("y,a,b\n1,1,2\n2,2,4\n3,3,6.000000000001\n5,4,8\n4,5,10\n")
    let out = try runCommand(["fit", "--data", path, "--formula", "y ~ a + b + I(2*a)", "--format", "json"])
    #expect(out.contains("\"estimate\": null"))
    #expect(out.contains("not defined because of singularities"))
  }

  @Test func glmFamiliesThroughTheCommand() throws {
    let dir = TestData.reference.appendingPathComponent("glm")
    let out = try runCommand(["fit", "--data", dir.appendingPathComponent("quine_negbin.csv").path, "--formula",
                              "Days ~ Eth + Sex + Age + Lrn", "--family", "negative-binomial", "--format", "json"])
    let json = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
    let theta = try #require(json["theta"] as? Double)
    #expect(agrees(theta, 1.2748926450535405, relative: 1e-6))
    #expect(json["converged"] as? Bool == true)
    for key in ["deviance", "null_deviance", "dispersion", "theta_std_error", "iterations", "warnings"] {
      #expect(json[key] != nil, "missing \(key)")
    }
  }

  /// Bootstrap standard errors of a well-specified linear model agree with
  /// the model's own; intervals bracket the estimates; the seed fixes them.
  @Test func fitBootstrapThroughTheCommand() throws {
    var rng = SeededGenerator(seed: 17)
    var csv = "x,z,y\n"
    for _ in 0..<200 {
      let x = rng.normal(), z = rng.normal()
      csv += "\(x),\(z),\(1 + 2 * x - 0.5 * z + rng.normal())\n"
    }
    let path = try writeTemporary(csv)
    let args = ["fit", "--data", path, "--formula", "y ~ x + z", "--bootstrap", "400", "--seed", "5", "--format", "json"]
    let out = try runCommand(args)
    #expect(try runCommand(args) == out, "the same seed gives the same intervals")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
    let coefficients = try #require(json["coefficients"] as? [[String: Any]])
    let boot = try #require(json["bootstrap"] as? [String: Any])
    #expect(boot["resamples"] as? Int == 400 && boot["failed"] as? Int == 0)
    let parameters = try #require(boot["parameters"] as? [[String: Any]])
    #expect(parameters.map { $0["term"] as? String } == ["(Intercept)", "x", "z"])
    for (c, p) in zip(coefficients, parameters) {
      let estimate = try #require(c["estimate"] as? Double), se = try #require(c["std_error"] as? Double)
      let bootSE = try #require(p["std_error"] as? Double)
      let lo = try #require(p["conf_low"] as? Double), hi = try #require(p["conf_high"] as? Double)
      #expect(lo < estimate && estimate < hi)
      #expect(abs(bootSE / se - 1) < 0.2, "bootstrap SE \(bootSE) vs model SE \(se)")
    }
    let text = try runCommand(["fit", "--data", path, "--formula", "y ~ x + z", "--bootstrap", "50"])
    #expect(text.contains("Bootstrap (50 case resamples, seed 1): percentile 95% intervals"))
    #expect(throws: (any Error).self) { try runCommand(["fit", "--data", path, "--formula", "y ~ x", "--bootstrap", "-3"]) }
  }

  @Test func distributionPrintsFullPrecision() throws {
    let out = try runCommand(["distribution", "quantile", "t", "--x", "0.975", "--df", "4"])
    let v = try #require(Double(out.trimmingCharacters(in: .whitespacesAndNewlines)))
    #expect(v == StudentT(degreesOfFreedom: 4).quantile(0.975))
    #expect(agrees(v, 2.776445105197793489790962, relative: 1e-12))
    #expect(throws: (any Error).self) { try runCommand(["distribution", "cdf", "t", "--x", "1"]) }
  }

  /// A fit of a large design is announced first, with its size: a factor
  /// of 5,000 levels over 10,000 rows ran for minutes in gigabytes with
  /// nothing on the screen.
  @Test func aLargeDesignIsAnnouncedWithItsSize() throws {
    #expect(FitCommand.largeDesignNotice(rows: 3_999, columns: 2_500) == nil)
    let notice = try #require(FitCommand.largeDesignNotice(rows: 10_000, columns: 5_001))
    #expect(notice.hasPrefix("Fitting a design of 10,000 rows × 5,001 columns (381 MiB a copy;")
      && notice.contains("some 2,670 MiB"), "\(notice)")
    #expect(FitCommand.largeDesignNotice(rows: Int.max, columns: 2) != nil)
  }

  /// Numbers in quotes are read as categories (codes stay codes), which a
  /// fit now says: `x` quoted throughout was fitted as seven levels
  /// without a word, and a quoted response was "used in arithmetic".
  @Test func numbersInQuotesAreSaidToBeReadAsCategories() throws {
    let rows = [("1", "1"), ("2", "2.1"), ("3", "2.9"), ("4", "4.2"), ("5", "5"), ("6", "6.1"), ("7", "7")]
    let quotedX = try writeTemporary("y,x\n" + rows.map { "\($0.0),\"\($0.1)\"\n" }.joined())
    let text = try runCommand(["fit", "--data", quotedX, "--formula", "y ~ x"])
    #expect(text.contains("Note: Every value of 'x' is a number in quotes: it is read as a categorical variable"), "\(text)")
    let json = try runCommand(["fit", "--data", quotedX, "--formula", "y ~ x", "--format", "json"])
    #expect(json.contains("Every value of 'x' is a number in quotes"))
    // Asked for as a factor, the categories are meant: no note.
    #expect(!(try runCommand(["fit", "--data", quotedX, "--formula", "y ~ factor(x)"])).contains("in quotes"))
    // Unquoted, x is a number and there is no note.
    let plain = try writeTemporary("y,x\n" + rows.map { "\($0.0),\($0.1)\n" }.joined())
    #expect(!(try runCommand(["fit", "--data", plain, "--formula", "y ~ x"])).contains("in quotes"))
    let quotedY = try writeTemporary("y,x\n" + rows.map { "\"\($0.0)\",\($0.1)\n" }.joined())
    let refused = try #require(refusal(["fit", "--data", quotedY, "--formula", "y ~ x"]))
    #expect(refused.message.contains("every value of 'y' is a number in quotes") && refused.message.contains("Remove the quotes"),
            "\(refused.message)")
  }

  /// A parameter the distribution does not take is refused, naming the
  /// ones it does: `cdf normal --df 3` printed the normal's answer.
  @Test func aParameterTheDistributionDoesNotTakeIsRefused() throws {
    let cases: [([String], String)] = [
      (["cdf", "normal", "--x", "1", "--df", "3"], "--df does not apply to the normal distribution, which takes --mean and --sd."),
      (["cdf", "gamma", "--x", "1", "--shape", "2", "--mean", "1", "--sd", "2"], "--mean and --sd do not apply to the gamma"),
      (["quantile", "poisson", "--x", "0.5", "--lambda", "3", "--prob", "0.5"], "which takes --lambda."),
      (["cdf", "t", "--x", "1", "--df", "inf"], "--df must be a positive finite number, got inf."),
    ]
    for (arguments, said) in cases {
      let refused = try #require(refusal(["distribution"] + arguments), "\(arguments)")
      #expect(refused.message.contains(said) && refused.exit == 64, "\(arguments): \(refused)")
    }
    #expect(try runCommand(["distribution", "cdf", "normal", "--x", "1", "--mean", "1"]).trimmingCharacters(in: .whitespacesAndNewlines) == "0.5")
  }

  /// An option's value that cannot be used exits with the usage status,
  /// 64, also when it is found only once the data are read: `clusters
  /// --k 0` and a count above its denominator exited 1.
  @Test func anUnusableOptionValueExitsAsAUsageError() throws {
    let cases: [([String], String)] = [
      (["interval", "--method", "wilson", "--count", "5", "--denominator", "3"], "cannot exceed the denominator"),
      (["clusters", "--variables", "imd19_avg_score", "--k", "0"], "--k '0': expected a number of clusters from 2 to"),
    ]
    for (arguments, said) in cases {
      let refused = try #require(refusal(arguments), "\(arguments)")
      #expect(refused.message.contains(said) && refused.exit == 64, "\(arguments): \(refused)")
    }
  }

  @Test func intervalPrintsValueLowerUpper() throws {
    let out = try runCommand(["interval", "--method", "wilson", "--count", "65", "--denominator", "100"])
    let parts = out.split(separator: " ").map { Double($0.trimmingCharacters(in: .whitespacesAndNewlines))! }
    #expect(parts.count == 3)
    #expect(agrees(parts[1], 0.5525444329688797, relative: 1e-12) && agrees(parts[2], 0.7363575175690247, relative: 1e-12))
  }

  @Test func badInputGivesClearErrors() throws {
    let path = try writeTemporary("y,x,name\n1,2,a\n2,abc,b\n3,4,c\n")
    do {
      _ = try runCommand(["fit", "--data", path, "--formula", "y ~ x"])
      Issue.record("a non-numeric cell was accepted")
    } catch {
      let message = error.localizedDescription
      #expect(message.contains("line 3") && message.contains("'x'") && message.contains("abc"), "\(message)")
    }
    do {
      _ = try runCommand(["fit", "--data", path, "--formula", "y ~ nosuch"])
      Issue.record("an unknown column was accepted")
    } catch {
      #expect(error.localizedDescription.contains("character 5") && error.localizedDescription.contains("nosuch"))
    }
    let empty = try writeTemporary("")
    #expect(throws: (any Error).self) { try runCommand(["fit", "--data", empty, "--formula", "y ~ x"]) }
    let few = try writeTemporary("y,x,z\n1,2,3\n2,3,5\n")
    do {
      _ = try runCommand(["fit", "--data", few, "--formula", "y ~ x + z + I(x*z)"])
      Issue.record("too few rows were accepted")
    } catch {
      #expect(!error.localizedDescription.isEmpty)
    }
    let constant = try writeTemporary("y,x,k\n1,2,7\n2,3,7\n4,5,7\n3,3,7\n")
    let out = try runCommand(["fit", "--data", constant, "--formula", "y ~ x + k"])
    #expect(out.contains("not defined because of singularities"))
  }

  @Test func valuesCommandOnRealData() throws {
    let out = try runCommand(["values", "--data", TestData.data.path, "--indicator", "cla_rate", "--year", "2025",
                              "--catalogue", ContextModelPaths.catalogue])
    let lines = out.split(separator: "\n")
    #expect(lines.first?.hasPrefix("new_la_code,old_la_code,la_name,time_period,value,numerator,denominator,status") == true)
    #expect(lines.count >= 150)
    #expect(lines.contains { $0.contains(",suppressed,") || $0.contains(",not_applicable,") || $0.contains(",ok,") })
  }

  /// A value that is DfE's published figure beside counts that do not give
  /// it is marked (`value_source`) and noted on standard error. Derby's
  /// re-referrals with a count of 99999 printed 23.1 and `ok` with no word.
  @Test func valuesSayWhenThePublishedFigureOverridesTheCounts() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("values-source-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    try FileManager.default.copyItem(at: TestData.data, to: folder)
    let file = folder.appendingPathComponent("dfe/c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv")
    var lines = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
    let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    let code = try #require(header.firstIndex(of: "new_la_code")), period = try #require(header.firstIndex(of: "time_period"))
    let count = try #require(header.firstIndex(of: "rereferral_count"))
    let k = try #require(lines.firstIndex { $0.contains(",E06000015,") && $0.hasPrefix("2025,") })
    var cells = lines[k].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    #expect(cells[code] == "E06000015" && cells[period] == "2025")
    cells[count] = "99999"
    lines[k] = cells.joined(separator: ",")
    try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
    let (out, err) = try runCapturingErrors(["values", "--data", folder.path, "--indicator", "rereferral_pct", "--year", "2025",
                                             "--catalogue", ContextModelPaths.catalogue])
    let rows = out.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    #expect(rows.first?.last == "value_source")
    let derby = try #require(rows.first { $0.first == "E06000015" })
    #expect(derby[5] == "99999" && derby.last == "published")
    #expect(rows.dropFirst().filter { $0.first != "E06000015" && $0.last == "counts" }.count > 140)
    #expect(err.contains("for 1 authority row (Derby 2025) the counts do not give DfE's published figure"))
    // The embedded data's own rows: computed from their counts, no note.
    let (_, quiet) = try runCapturingErrors(["values", "--data", TestData.data.path, "--indicator", "rereferral_pct", "--year", "2025",
                                             "--catalogue", ContextModelPaths.catalogue])
    #expect(!quiet.contains("do not give"))
  }

  /// Regional rows whose rounded counts do not give DfE's figure show
  /// the figure, and a note says so, naming them; the help promised one.
  @Test func valuesNotesRegionalRowsThatShowThePublishedFigure() throws {
    let (out, err) = try runCapturingErrors(["values", "--data", TestData.data.path, "--indicator", "cla_rate", "--level", "all",
                                             "--catalogue", ContextModelPaths.catalogue])
    let rows = out.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    let header = try #require(rows.first)
    let level = try #require(header.firstIndex(of: "geographic_level")), source = try #require(header.firstIndex(of: "value_source"))
    let name = try #require(header.firstIndex(of: "la_name")), period = try #require(header.firstIndex(of: "time_period"))
    let published = rows.dropFirst().filter { $0[level] != "local_authority" && $0[source] == "published" && !$0[5].isEmpty }
    #expect(!published.isEmpty)
    let first = try #require(published.first)
    #expect(err.contains("for \(published.count) regional or national row\(published.count == 1 ? "" : "s") (\(first[name]) \(first[period])"),
            "\(err)")
  }
}

enum ContextModelPaths {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static let catalogue = root.appendingPathComponent("Models/indicators.toml").path
}
