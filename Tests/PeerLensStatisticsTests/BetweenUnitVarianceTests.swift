import Foundation
import Testing
import PeerLensStatistics

/// τ² estimators on the BCG vaccine trials (Tests/Fixtures/meta, copied
/// from the shared reference: values computed independently to 1e-12;
/// metafor prints REML 0.3132 and DL 0.3088).
@Suite struct BetweenUnitVarianceTests {
  static func bcg() throws -> (y: [Double], v: [Double]) {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Fixtures/meta/bcg.csv")
    let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").dropFirst()
    var y: [Double] = [], v: [Double] = []
    for line in lines {
      let f = line.split(separator: ",", omittingEmptySubsequences: false)
      let (tp, tn, cp, cn) = (Double(f[3])!, Double(f[4])!, Double(f[5])!, Double(f[6])!)
      y.append(log((tp / (tp + tn)) / (cp / (cp + cn))))
      v.append(1 / tp - 1 / (tp + tn) + 1 / cp - 1 / (cp + cn))
    }
    return (y, v)
  }

  /// The shared reference to 1e-11 for DL and PM. Its REML value is an
  /// optimiser's maximum of a likelihood that is flat to 17 digits within
  /// 3e-9 of the root, so REML is checked against it to 1e-8 and, to
  /// 1e-12, against R's root of the REML score (make_tau2_roots.R).
  @Test(arguments: [(BetweenUnitVariance.dl, 0.308760262862, 1e-11), (.reml, 0.313243261126, 1e-8),
                    (.pm, 0.318068452205, 1e-11)])
  func bcgReference(method: BetweenUnitVariance, expected: Double, tolerance: Double) throws {
    let (y, v) = try Self.bcg()
    #expect(y.count == 13)
    let t2 = method.estimate(y: y, v: v)
    #expect(abs(t2 - expected) < tolerance, "\(method.name): \(t2) vs \(expected)")
  }

  @Test func bcgRootsFromR() throws {
    let (y, v) = try Self.bcg()
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Fixtures/meta/tau2_roots.csv")
    var checked = 0
    for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n").dropFirst() {
      let f = line.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
      let method = try #require(BetweenUnitVariance(rawValue: f[0]))
      let expected = try #require(Double(f[1]))
      #expect(abs(method.estimate(y: y, v: v) - expected) < 1e-12, "\(method.name)")
      checked += 1
    }
    #expect(checked == 2)
  }

  /// Homogeneous effects give τ² = 0 for every estimator.
  @Test func homogeneousEffectsGiveZero() {
    let y = [0.1, 0.1001, 0.0999, 0.1], v = [0.04, 0.02, 0.05, 0.03]
    for m in BetweenUnitVariance.allCases { #expect(m.estimate(y: y, v: v) == 0, "\(m)") }
  }
}
