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
}
