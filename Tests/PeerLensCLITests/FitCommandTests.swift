import Foundation
import Testing
import PeerLensCLI
import _PeerLensTestSupport

/// `peerlens fit` names rows by their place in the file.
@Suite(.serialized) struct FitCommandTests {
  /// The count 2.5 is on line 5 (data row 4), but third among the complete
  /// rows: the row above it with no response is left out of the fit. The
  /// warning names the file's line and column, as the fit's errors do, in
  /// the text summary and in the JSON warnings.
  @Test func nonIntegerCountWarningNamesTheLineInTheFile() throws {
    let path = try writeTemporary("y,x\n1,1\n,2\n3,3\n2.5,4\n4,5\n6,6\n7,7\n")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let base = ["fit", "--data", path, "--formula", "y ~ x", "--family", "poisson"]
    let located = "\(path), line 5 (data row 4), column 'y': the response is not a whole number ('2.5')"
    let text = try runCommand(base)
    #expect(text.contains(located), "\(text)")
    #expect(!text.contains("in row 3"), "\(text)")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(runCommand(base + ["--format", "json"]).utf8))
      as? [String: Any])
    let warnings = try #require(json["warnings"] as? [String])
    #expect(warnings.contains { $0.contains(located) }, "\(warnings)")
  }
}
