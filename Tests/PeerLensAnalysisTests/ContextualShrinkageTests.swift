import Foundation
import Testing
import PeerLensAnalysis
import PeerLensData
import PeerLensStatistics
import PeerLensNumerics

/// Shrinkage towards the contextual expectation (issue 24.5).
@Suite struct ContextualShrinkageTests {
  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/methods")

  /// The beta-binomial prior's precision by ML matches R's independent
  /// fit (make_shrinkage_fixture.R), and every shrunk value lies between
  /// the observed and the expected proportion.
  @Test func betaBinomialPriorMatchesR() throws {
    let text = try String(contentsOf: Self.folder.appendingPathComponent("shrinkage_reference.csv"), encoding: .utf8)
    let rM = try #require(Double(text.split(separator: ",")[1].trimmingCharacters(in: .whitespacesAndNewlines)))
    let table = try CSVReader.read(contentsOf: Self.folder.appendingPathComponent("loo_data.csv"))
    let frame = try ModelFrame.build(formula: FormulaParser.parse("cbind(s, trials - s) ~ x1 + x2"), table: table)
    guard case .generalized(let g) = try FittedModel.fit(frame: frame, family: .binomial) else {
      Issue.record("expected a GLM"); return
    }
    let trials = g.priorWeights
    let s = (0..<g.y.count).map { g.y[$0] * trials[$0] }
    let result = ContextualShrinkage.betaBinomial(successes: s, trials: trials, expected: g.fittedValues)
    #expect(abs(result.precision / rM - 1) < 1e-5, "M \(result.precision) vs R \(rM)")
    for i in s.indices {
      let o = g.y[i], e = g.fittedValues[i], v = result.shrunk[i]
      #expect(v >= min(o, e) - 1e-12 && v <= max(o, e) + 1e-12)
    }
  }

  /// Gamma–Poisson: between observed and expected, and small expected
  /// counts are pulled furthest.
  @Test func gammaPoissonPullsSmallUnitsFurthest() {
    let y = [30.0, 300.0], mu = [20.0, 200.0]
    let post = ContextualShrinkage.gammaPoisson(counts: y, expected: mu, theta: 10)
    for i in 0..<2 { #expect(post[i] > mu[i] && post[i] < y[i]) }
    // Share of the gap kept: μ/(μ + θ).
    #expect(abs((post[0] - mu[0]) / (y[0] - mu[0]) - 20.0 / 30) < 1e-12)
    #expect((post[0] - mu[0]) / (y[0] - mu[0]) < (post[1] - mu[1]) / (y[1] - mu[1]))
  }

  /// Newton's method from a nearby start (the bootstrap's route) reaches
  /// the same maximum as the golden-section search over the whole range,
  /// for spreads from slight to wide and starts from a third to three
  /// times the answer.
  @Test func newtonPrecisionMatchesTheSearch() {
    var g = PeerLensNumerics.SeededGenerator(seed: 11)
    for spread in [5.0, 40.0, 400.0] {
      let n = (0..<120).map { _ in (20 + 900 * g.uniform()).rounded() }
      let mu = (0..<120).map { _ in 0.05 + 0.5 * g.uniform() }
      let s = (0..<120).map { i in g.binomial(trials: n[i], probability: g.beta(spread * mu[i], spread * (1 - mu[i]))) }
      let searched = ContextualShrinkage.betaBinomialPrecision(successes: s, trials: n, expected: mu)
      for factor in [0.35, 1.0, 2.8] {
        let newton = ContextualShrinkage.betaBinomialPrecision(successes: s, trials: n, expected: mu, start: searched * factor)
        #expect(abs(newton / searched - 1) < 1e-6, "M \(searched) from \(searched * factor): \(newton)")
      }
    }
  }
}
