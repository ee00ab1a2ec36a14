import Foundation
import Testing
import PeerLensCLI
import _PeerLensTestSupport

/// `fit` with R's formula rules (issue 21, items 1 and 2), against R's own
/// weighted fits (Tests/Fixtures/formulas/weighted_lm.tsv, made by
/// make_fixtures.R).
@Suite(.serialized) struct FitFormulaCommandTests {
  static let folder = TestData.fixtures.appendingPathComponent("formulas")

  /// `--weights w` works when `w` is not in the formula, as
  /// `lm(y ~ x, weights = w)` does, and `.` leaves the weights out (with a note).
  @Test func weightsNeedNotAppearInTheFormula() throws {
    let data = Self.folder.appendingPathComponent("data.csv").path
    let lines = try String(contentsOf: Self.folder.appendingPathComponent("weighted_lm.tsv"), encoding: .utf8)
      .split(separator: "\n")
    #expect(lines.count == 3)
    for line in lines {
      let fields = line.split(separator: "\t").map(String.init)
      let formula = fields[0]
      let expected = fields.dropFirst().map { f -> (String, Double) in
        let parts = f.split(separator: "=", maxSplits: 1)
        return (String(parts[0]), Double(parts[1])!)
      }
      let out = try runCommand(["fit", "--data", data, "--formula", formula, "--weights", "w", "--format", "json"])
      let json = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
      let coefficients = try #require(json["coefficients"] as? [[String: Any]])
      #expect(coefficients.map { $0["term"] as? String } == expected.map(\.0), "\(formula)")
      for (c, (name, value)) in zip(coefficients, expected) {
        let estimate = try #require(c["estimate"] as? Double)
        #expect(agrees(estimate, value, relative: 1e-10), "\(formula) \(name): \(estimate) vs R \(value)")
      }
      let warnings = json["warnings"] as? [String] ?? []
      let noted = warnings.contains { $0.contains("leaves out the --weights column 'w'") }
      #expect(noted == (formula == "y ~ ."), "\(formula): \(warnings)")
    }
    let text = try runCommand(["fit", "--data", data, "--formula", "y ~ .", "--weights", "w"])
    #expect(text.contains("Note: '.' leaves out the --weights column 'w'"))
    do {
      _ = try runCommand(["fit", "--data", data, "--formula", "y ~ x", "--weights", "nosuch"])
      Issue.record("an unknown weights column was accepted")
    } catch {
      #expect(error.localizedDescription.contains("--weights: no column named 'nosuch'"), "\(error.localizedDescription)")
    }
  }

  /// `--bootstrap 100000000` is refused with the documented maximum
  /// before any resample is drawn.
  @Test func bootstrapCountIsBounded() throws {
    let data = Self.folder.appendingPathComponent("data.csv").path
    do {
      _ = try runCommand(["fit", "--data", data, "--formula", "y ~ x", "--bootstrap", "100000000"])
      Issue.record("--bootstrap 100000000 was accepted")
    } catch {
      let message = PeerLensCommand.message(for: error)
      #expect(message.contains("100000000") && message.contains("100,000"), "\(message)")
    }
  }
}
