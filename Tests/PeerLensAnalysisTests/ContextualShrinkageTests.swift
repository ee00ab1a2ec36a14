import Foundation
import Testing
import PeerLensAnalysis
import PeerLensData
@testable import PeerLensStatistics
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

  /// The beta-binomial log-likelihood in M, less its binomial limit
  /// (M → ∞), as sums of logs over whole counts: exact to rounding at any
  /// M, where differences of lgamma lose the digits.
  static func likelihoodAboveLimit(_ s: [Double], _ n: [Double], _ p: [Double], m: Double) -> Double {
    var total = 0.0
    for i in s.indices {
      let f = n[i] - s[i]
      for j in stride(from: 0.0, to: s[i], by: 1) { total += log((m * p[i] + j) / (m * p[i])) }
      for j in stride(from: 0.0, to: f, by: 1) { total += log((m * (1 - p[i]) + j) / (m * (1 - p[i]))) }
      for j in stride(from: 0.0, to: n[i], by: 1) { total -= log((m + j) / m) }
    }
    return total
  }

  /// The bound behind the bootstrap's flat-likelihood shortcut holds: from
  /// any M₀ up, the log-likelihood moves by no more than the bound, for
  /// over-dispersed and binomial counts.
  @Test func likelihoodChangeBoundHolds() {
    var g = PeerLensNumerics.SeededGenerator(seed: 29)
    for spread in [3.0, 30.0, 1e9] {
      let n = (0..<40).map { _ in (2 + 60 * g.uniform()).rounded() }
      let mu = (0..<40).map { _ in 0.02 + 0.9 * g.uniform() }
      let s = (0..<40).map { i in g.binomial(trials: n[i], probability: g.beta(spread * mu[i], spread * (1 - mu[i]))) }
      for m0 in [5.0, 50.0, 500.0, 5e4] {
        let bound = ContextualShrinkage.likelihoodChangeBound(successes: s, trials: n, expected: mu, above: m0)
        for factor in [1.0, 1.5, 3, 10, 100, 1e4] {
          let change = abs(Self.likelihoodAboveLimit(s, n, mu, m: m0 * factor))
          #expect(change <= bound, "spread \(spread), M \(m0 * factor): change \(change) above bound \(bound)")
        }
      }
    }
  }

  /// Binomial counts (no spread between units) with the full fit's M at
  /// e²⁰: the likelihood is flat over the bracket, and the resample keeps
  /// the start instead of a value from rounding noise.
  @Test func flatLikelihoodKeepsTheStart() {
    var g = PeerLensNumerics.SeededGenerator(seed: 5)
    let n = (0..<80).map { _ in (10 + 75 * g.uniform()).rounded() }
    let mu = (0..<80).map { _ in 0.1 + 0.8 * g.uniform() }
    let s = (0..<80).map { i in g.binomial(trials: n[i], probability: mu[i]) }
    let start = exp(20.6)
    #expect(ContextualShrinkage.likelihoodChangeBound(successes: s, trials: n, expected: mu, above: start / exp(3))
            < ContextualShrinkage.flatLikelihood)
    #expect(ContextualShrinkage.betaBinomialPrecision(successes: s, trials: n, expected: mu, start: start) == start)
  }

  /// Where one side of the score vanishes the bound is tight, so a bound
  /// without either side (or without the 1/p) is caught: pairs split one
  /// and one leave only the trials' side (the change is about 1/M₀ per
  /// pair); pairs of two successes at p = 0.01 leave mostly the
  /// successes' side (about 99/M₀ per pair, against a bound of 100/M₀).
  @Test func likelihoodChangeBoundIsTightWhereOneSideVanishes() {
    let m0 = 1e4
    for (successes, p) in [(1.0, 0.5), (2.0, 0.01)] {
      let s = [Double](repeating: successes, count: 30), n = [Double](repeating: 2, count: 30)
      let mu = [Double](repeating: p, count: 30)
      let bound = ContextualShrinkage.likelihoodChangeBound(successes: s, trials: n, expected: mu, above: m0)
      let change = abs(Self.likelihoodAboveLimit(s, n, mu, m: m0))
      #expect(change <= bound && change >= 0.98 * bound, "\(successes) of 2 at p = \(p): change \(change), bound \(bound)")
    }
  }

  /// The bootstrap's Newton search for M leaves out the digamma pairs of a
  /// zero count (ψ(0 + a) − ψ(a) is exactly zero): on data full of zeros
  /// and of all-success authorities its score and slope are the same
  /// doubles as the sums taken with every pair, over a range of M.
  @Test func newtonScoreSkipsOnlyTermsThatAreExactlyZero() {
    var gen = SeededGenerator(seed: 41)
    var compared = 0
    for trial in 0..<40 {
      let units = 30 + trial
      var s: [Double] = [], n: [Double] = [], mu: [Double] = []
      for k in 0..<units {
        let size = (5 + gen.uniform() * 60).rounded()
        let p = 0.02 + 0.3 * gen.uniform()
        // Every fifth authority with no successes, every seventh with no failures.
        s.append(k % 5 == 0 ? 0 : k % 7 == 0 ? size : gen.binomial(trials: size, probability: p))
        n.append(size)
        mu.append(p)
      }
      for m in [0.5, 3, 17.5, 240, 9e4] {
        // Every pair, zero or not, in the order the score adds them.
        var g = 0.0, h = 0.0
        for i in s.indices {
          let p = min(max(mu[i], 1e-9), 1 - 1e-9), q = 1 - p
          let withS = SpecialFunctions.digammaTrigamma(s[i] + m * p), prior = SpecialFunctions.digammaTrigamma(m * p)
          let withF = SpecialFunctions.digammaTrigamma(n[i] - s[i] + m * q), priorF = SpecialFunctions.digammaTrigamma(m * q)
          let total = SpecialFunctions.digammaTrigamma(n[i] + m), alone = SpecialFunctions.digammaTrigamma(m)
          g += p * (withS.digamma - prior.digamma) + q * (withF.digamma - priorF.digamma) - total.digamma + alone.digamma
          h += p * p * (withS.trigamma - prior.trigamma) + q * q * (withF.trigamma - priorF.trigamma) - total.trigamma + alone.trigamma
        }
        let got = ContextualShrinkage.scoreAndSlope(successes: s, trials: n, expected: mu, precision: m)
        #expect(got.score.bitPattern == g.bitPattern && got.slope.bitPattern == h.bitPattern, "trial \(trial), M \(m)")
        compared += 1
      }
    }
    #expect(compared == 200)
  }
}
