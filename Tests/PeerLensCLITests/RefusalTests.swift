import ArgumentParser
import Foundation
import Testing
import PeerLensCLI
import PeerLensData
import PeerLensNumerics
import _PeerLensTestSupport

/// Runs a command with `runCapturing`, also capturing standard error
/// (through a file, so its size does not matter): notes, warnings and
/// progress go there. Returns what the command threw rather than throwing.
func runCapturingAll(_ arguments: [String]) throws -> (out: String, err: String, error: Error?) {
  outputCapture.lock()
  defer { outputCapture.unlock() }
  let path = temporaryPath(".stderr")
  FileManager.default.createFile(atPath: path, contents: nil)
  defer { try? FileManager.default.removeItem(atPath: path) }
  let handle = try #require(FileHandle(forWritingAtPath: path))
  let saved = dup(STDERR_FILENO)
  fflush(nil)
  dup2(handle.fileDescriptor, STDERR_FILENO)
  let result = Result { try runCapturing(arguments) }
  fflush(nil)
  dup2(saved, STDERR_FILENO)
  close(saved)
  try handle.close()
  let err = try String(contentsOfFile: path, encoding: .utf8)
  let (out, error) = try result.get()
  return (out, err, error)
}

/// Runs a command with `runCommand`, also capturing standard error: what
/// it printed on each, or what it threw.
func runCapturingErrors(_ arguments: [String]) throws -> (out: String, err: String) {
  let (out, err, error) = try runCapturingAll(arguments)
  if let error { throw error }
  return (out, err)
}

/// The message a user sees for an error (as the `peerlens` executable prints it).
func refusal(_ arguments: [String]) -> (message: String, exit: Int32)? {
  do {
    _ = try runCommand(arguments)
    return nil
  } catch {
    return (PeerLensCommand.fullMessage(for: error), PeerLensCommand.exitStatus(afterRunning: error))
  }
}

/// Issue 16, item 1: each class of input that was accepted in silence, with
/// the exact input from the issue. Each must be refused with a message that
/// says where and what was expected, or go on with a note saying what was done.
@Suite(.serialized) struct RefusalTests {
  // MARK: funnel

  @Test func funnelRefusesNegativeNumeratorNamingFileLineAndColumn() throws {
    let path = try writeTemporary("la_name,num,den\nA,5,50\nB,-3,40\nC,7,60\n")
    let r = try #require(refusal(["funnel", "--data", path, "--numerator", "num", "--denominator", "den"]))
    #expect(r.exit != 0)
    #expect(r.message.contains(path), "\(r.message)")
    #expect(r.message.contains("line 3"), "\(r.message)")
    #expect(r.message.contains("column 'num'"), "\(r.message)")
    #expect(r.message.contains("'-3'"), "\(r.message)")
  }

  @Test func funnelDropsZeroDenominatorWithANote() throws {
    let path = try writeTemporary("la_name,num,den\nA,5,50\nB,0,0\nC,7,60\nD,4,45\n")
    let out = try runCommand(["funnel", "--data", path, "--numerator", "num", "--denominator", "den"])
    let json = try #require(JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
    let notes = try #require(json["notes"] as? [String])
    #expect(notes.contains { $0.contains(path) && $0.contains("line 3") && $0.contains("'den'") && $0.contains("'B'") },
            "\(notes)")
    let units = try #require(json["units"] as? [[String: Any]])
    let b = try #require(units.first { $0["unit"] as? String == "B" })
    #expect(b["status"] as? String == "zero_denominator")
    #expect(b["value"] is NSNull)
    // The target is Σx/Σn over the three units that were used.
    #expect(abs((json["target"] as? Double ?? .nan) - 16.0 / 155.0) < 1e-15)
  }

  @Test func funnelZeroDenominatorRateAlsoNoted() throws {
    let path = try writeTemporary("la_name,num,den\nA,5,500\nB,3,0\nC,7,600\n")
    let (out, err) = try runCapturingErrors(["funnel", "--data", path, "--numerator", "num", "--denominator", "den",
                                             "--type", "rate", "--format", "csv"])
    #expect(out.contains("\nB,3,0,") && out.contains(",zero_denominator\n"), "\(out)")
    #expect(err.contains("line 3") && err.contains("denominator 'den' is 0"), "\(err)")
  }

  /// Figures of 1e300 overflowed the sums: blank limits, a unit 6.7e149
  /// standard deviations out flagged "within", and a message blaming a
  /// zero target. Refused past 1e15, naming the cell; 1e15 itself is taken.
  @Test func funnelRefusesFiguresPastExactSums() throws {
    let path = try writeTemporary("la_name,num,den\nA,5,50\nB,1e300,1e307\nC,7,60\n")
    for type in ["proportion", "rate"] {
      let r = try #require(refusal(["funnel", "--data", path, "--numerator", "num", "--denominator", "den", "--type", type]))
      #expect(r.message.contains("line 3") && r.message.contains("column 'num'") && r.message.contains("'1e300'")
        && r.message.contains("at most 1e15"), "\(r.message)")
    }
    let largest = try writeTemporary("la_name,num,den\nA,1e14,1e15\nB,1.0001e14,1e15\nC,0.9999e14,1e15\n")
    let out = try runCommand(["funnel", "--data", largest, "--numerator", "num", "--denominator", "den", "--type", "rate",
                              "--format", "csv"])
    #expect(out.split(separator: "\n").count == 4 && !out.contains(",,"), "\(out)")
  }

  @Test func funnelProportionAboveOneRefused() throws {
    let path = try writeTemporary("la_name,num,den\nA,5,50\nB,41,40\n")
    let r = try #require(refusal(["funnel", "--data", path, "--numerator", "num", "--denominator", "den"]))
    #expect(r.message.contains("line 3") && r.message.contains("column 'num'") && r.message.contains("'41'"), "\(r.message)")
  }

  @Test func funnelSingleUnitSaysPhiCannotBeEstimated() throws {
    let path = try writeTemporary("la_name,num,den\nA,5,50\n")
    let out = try runCommand(["funnel", "--data", path, "--numerator", "num", "--denominator", "den",
                              "--overdispersion", "multiplicative"])
    let json = try #require(JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
    let notes = try #require(json["notes"] as? [String])
    #expect(notes.contains { $0.contains("φ") && $0.contains("one unit") }, "\(notes)")
    #expect(json["phi"] is NSNull)
    #expect(json["adjusted"] as? Bool == false)
  }

  // MARK: neighbours

  /// 25 units on two variables, ids U01…U25.
  static func units(duplicate: Bool = false) throws -> String {
    var text = "id,x1,x2\n"
    for i in 1...25 {
      let id = duplicate && i == 9 ? "U05" : String(format: "U%02d", i)
      text += "\(id),\(i),\((i * 7) % 25)\n"
    }
    return try writeTemporary(text)
  }

  @Test func neighboursRefusesDuplicateIDs() throws {
    let path = try Self.units(duplicate: true)
    let r = try #require(refusal(["neighbours", "find", "--data", path, "--id", "id", "--variables", "x1,x2"]))
    #expect(r.exit != 0)
    // U05 is on data rows 5 and 9: physical lines 6 and 10.
    #expect(r.message.contains(path) && r.message.contains("'U05'") && r.message.contains("lines 6, 10"), "\(r.message)")
  }

  @Test func neighboursRefusesWeightForAnUnusedVariable() throws {
    let path = try Self.units()
    let r = try #require(refusal(["neighbours", "find", "--data", path, "--id", "id", "--variables", "x1,x2",
                                  "--weights", "x3=2"]))
    #expect(r.message.contains("--weights") && r.message.contains("'x3'"), "\(r.message)")
  }

  @Test func neighboursRefusesNegativeWeight() throws {
    let path = try Self.units()
    let r = try #require(refusal(["neighbours", "find", "--data", path, "--id", "id", "--variables", "x1,x2",
                                  "--weights", "x1=-1"]))
    #expect(r.message.contains("--weights") && r.message.contains("x1=-1") && r.message.contains("zero or more"),
            "\(r.message)")
  }

  @Test func neighboursRefusesKZero() throws {
    let path = try Self.units()
    let r = try #require(refusal(["neighbours", "find", "--data", path, "--id", "id", "--variables", "x1,x2", "--k", "0"]))
    #expect(r.message.contains("--k") && r.message.contains("at least 1"), "\(r.message)")
  }

  @Test func neighboursSaysWhenKIsReduced() throws {
    let path = try Self.units()
    let (out, err) = try runCapturingErrors(["neighbours", "find", "--data", path, "--id", "id", "--variables", "x1,x2",
                                             "--k", "500"])
    #expect(err.contains("k was reduced from 500 to 24"), "\(err)")
    // Every unit is listed with its 24 others.
    let rows = out.split(separator: "\n").dropFirst()
    #expect(rows.count == 25 * 24)
    #expect(rows.filter { $0.hasPrefix("U01,") }.count == 24)
  }

  // MARK: interval, data check, values

  @Test func intervalRefusesFractionalCount() throws {
    let r = try #require(refusal(["interval", "--method", "byar", "--count", "1.5", "--denominator", "100"]))
    #expect(r.exit != 0)
    #expect(r.message.contains("--count") && r.message.contains("whole number") && r.message.contains("1.5"), "\(r.message)")
    // A whole count still works.
    let ok = try runCommand(["interval", "--method", "byar", "--count", "2", "--denominator", "100"])
    #expect(ok.split(separator: " ").count == 3)
  }

  @Test func dataCheckWithNoDfEFilesFails() throws {
    let root = URL(fileURLWithPath: temporaryPath("-empty-mirror"))
    try FileManager.default.createDirectory(at: root.appendingPathComponent("dfe"), withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: root) }
    let r = try #require(refusal(["data", "check", "--data", root.path]))
    #expect(r.exit != 0)
    #expect(r.message.contains("No DfE files") && r.message.contains(root.appendingPathComponent("dfe").path), "\(r.message)")
  }

  /// `--data "$DIR"` with DIR unset gives an empty path; it fell through
  /// to the default data, so the figures came from data nobody named.
  @Test func anEmptyDataPathOrVintageIsRefused() throws {
    for arguments in [["values", "--indicator", "cla_rate", "--data", ""], ["indicators", "--data", ""],
                      ["data", "check", "--data", ""]] {
      let r = try #require(refusal(arguments), "\(arguments)")
      #expect(r.message.contains("--data was given an empty path (is a shell variable unset?)"), "\(r.message)")
    }
    let r = try #require(refusal(["values", "--indicator", "cla_rate", "--vintage", ""]))
    #expect(r.message.contains("--vintage was given an empty value"), "\(r.message)")
  }

  @Test func valuesWithUnknownYearListsAvailablePeriods() throws {
    // National rows keep the output small (runCommand reads its pipe only at the end).
    let r = try #require(refusal(["values", "--data", TestData.data.path, "--indicator", "cla_rate", "--year", "twenty",
                                  "--level", "national", "--catalogue", ContextModelPaths.catalogue]))
    #expect(r.exit != 0)
    #expect(r.message.contains("--year 'twenty'") && r.message.contains("available periods"), "\(r.message)")
    // The periods listed are the ones the same command prints without --year.
    let all = try runCommand(["values", "--data", TestData.data.path, "--indicator", "cla_rate", "--level", "national",
                              "--catalogue", ContextModelPaths.catalogue])
    let periods = Set(all.split(separator: "\n").dropFirst().map { String($0.split(separator: ",", omittingEmptySubsequences: false)[3]) })
    #expect(!periods.isEmpty)
    for p in periods { #expect(r.message.contains(p), "\(p) not listed") }
  }

  // MARK: negative numbers as option values

  @Test func negativeOptionValuesParse() throws {
    let z = try runCommand(["distribution", "cdf", "normal", "--x", "-1.96"])
    #expect(Double(z.trimmingCharacters(in: .whitespacesAndNewlines)) == Normal.standard.cdf(-1.96))
    let shifted = try runCommand(["distribution", "cdf", "normal", "--mean", "-1", "--sd", "2", "--x", "-3"])
    #expect(Double(shifted.trimmingCharacters(in: .whitespacesAndNewlines)) == Normal(mean: -1, standardDeviation: 2).cdf(-3))
    let t = try runCommand(["distribution", "sf", "t", "--x", "-2.5", "--df", "7"])
    #expect(Double(t.trimmingCharacters(in: .whitespacesAndNewlines)) == StudentT(degreesOfFreedom: 7).sf(-2.5))
  }

  /// A negative value reaches the command's own check, which names the
  /// option, instead of failing to parse ("Missing value for '--df'").
  @Test func negativeOptionValuesReachTheirChecks() throws {
    let df = try #require(refusal(["distribution", "quantile", "t", "--x", "0.975", "--df", "-3"]))
    #expect(df.message.contains("--df must be a positive finite number"), "\(df.message)")
    let count = try #require(refusal(["interval", "--method", "wilson", "--count", "-2", "--denominator", "10"]))
    #expect(count.message.contains("--count must be a non-negative whole number"), "\(count.message)")
    let k = try #require(refusal(["neighbours", "find", "--data", try Self.units(), "--id", "id", "--variables", "x1,x2",
                                  "--k", "-1"]))
    #expect(k.message.contains("--k must be at least 1"), "\(k.message)")
  }
}
