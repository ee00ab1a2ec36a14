import Foundation
import Testing
import PeerLensCLI
import _PeerLensTestSupport

/// `peerlens clusters` with numbers of clusters it cannot use as given:
/// each is said (a warning for a range cut short) or refused, never
/// dropped in silence.
@Suite(.serialized) struct ClustersCommandTests {
  /// 25 units: at most 24 clusters.
  func arguments(_ extra: [String]) throws -> [String] {
    ["clusters", "--data", try RefusalTests.units(), "--id", "id", "--variables", "x1,x2", "--method", "ward",
     "--format", "json"] + extra
  }

  @Test func aRangePastTheUnitsIsClampedWithAWarning() throws {
    let (out, err) = try runCapturingErrors(try arguments(["--k-range", "20..30"]))
    #expect(err.contains("warning: --k-range 20..30 was clamped to 20..24") && err.contains("25 units"), "\(err)")
    let json = try #require(JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
    let compared = try #require(json["mean_silhouette"] as? [String: Any])
    #expect(Set(compared.keys) == Set((20...24).map(String.init)), "\(compared.keys)")
  }

  @Test func aRangeWithinTheUnitsHasNoWarning() throws {
    let (_, err) = try runCapturingErrors(try arguments(["--k-range", "2..6"]))
    #expect(!err.contains("warning"), "\(err)")
  }

  @Test func aRangeEntirelyPastTheUnitsIsRefused() throws {
    let r = try #require(refusal(try arguments(["--k-range", "30..40"])))
    #expect(r.exit != 0)
    #expect(r.message.contains("--k-range '30..40'") && r.message.contains("2..24") && r.message.contains("25 units"),
            "\(r.message)")
  }

  @Test func kTogetherWithARangeIsRefused() throws {
    let r = try #require(refusal(try arguments(["--k", "3", "--k-range", "2..6"])))
    #expect(r.exit == 64, "\(r.exit)")
    #expect(r.message.contains("--k 3 and --k-range 2..6 cannot be used together"), "\(r.message)")
  }
}
