import Foundation
import Testing
import PeerLensData
import _PeerLensTestSupport

/// Issue 14.1: numbers shown to a reader in text output are at the
/// precision DfE publishes the indicator to; CSV keeps full precision.
@Suite(.serialized) struct PublishedPrecisionTextTests {
  @Test func modelFitTextShowsObservedAndExpectedAtThePublishedPrecision() throws {
    let spec = TestData.packageRoot.appendingPathComponent("Models/context/cla_rate.toml").path
    let csv = try CSVReader.parse(Data(runCommand(["model", "fit", spec, "--data", TestData.data.path,
                                                   "--format", "csv"]).utf8), source: "fit.csv")
    let text = try runCommand(["model", "fit", spec, "--data", TestData.data.path])
    let lines = text.split(separator: "\n").map(String.init)
    var checked = 0
    for i in 0..<csv.rowCount {
      let code = try csv.text("new_la_code")[i]
      guard let observed = Double(try csv.text("observed")[i]), let expected = Double(try csv.text("expected")[i]),
            let line = lines.first(where: { $0.hasPrefix(code + " ") }) else { continue }
      // Rates per 10,000 are published as whole numbers, rounded half up.
      let fields = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
      let shown = fields.filter { $0.allSatisfy { $0.isNumber || $0 == "," || $0 == "." } }
      let round = { (x: Double) in String(Int((x + 0.5).rounded(.down))) }
      #expect(shown.contains(round(observed)) && shown.contains(round(expected)), "\(line) vs \(observed), \(expected)")
      #expect(!line.contains(String(format: "%.1f", observed)), "\(line) shows a decimal")
      checked += 1
    }
    #expect(checked > 140)
    #expect(text.contains("at DfE's published precision (0 decimals)"))
  }

  /// An authority with no context for the model's variables (IDACI, which
  /// the four authorities created since 2021 lack) has no expected value:
  /// its position says so, never "within".
  @Test func anAuthorityWithoutAnExpectationIsNotWithin() throws {
    let shipped = try String(contentsOf: TestData.packageRoot.appendingPathComponent("Models/context/cla_rate.toml"), encoding: .utf8)
    let spec = shipped.split(separator: "\n", omittingEmptySubsequences: false).map { line in
      line.hasPrefix("formula =") ? "formula = \"numerator ~ idaci19_avg_score + offset(log(denominator))\"" : String(line)
    }.joined(separator: "\n")
    let path = try writeTemporary(spec, suffix: ".toml")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let csv = try CSVReader.parse(Data(runCommand(["model", "fit", path, "--data", TestData.data.path, "--format", "csv"]).utf8),
                                  source: "fit.csv")
    let codes = try csv.text("new_la_code"), expected = try csv.text("expected"), position = try csv.text("position")
    let cumberland = try #require(codes.firstIndex(of: "E06000063"))
    #expect(expected[cumberland].isEmpty && position[cumberland] == "no_expectation")
    for i in codes.indices {
      // No expected value: the position is no_expectation (or missing, without a value); never a side of it.
      if expected[i].isEmpty { #expect(["no_expectation", "missing"].contains(position[i]), "\(codes[i])") }
      if position[i] == "no_expectation" { #expect(expected[i].isEmpty, "\(codes[i])") }
    }
  }
}
