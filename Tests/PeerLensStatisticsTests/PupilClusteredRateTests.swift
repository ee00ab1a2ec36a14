import Foundation
import Testing
import PeerLensNumerics
import PeerLensStatistics

/// The beta spread of pupils' absence rates behind an absence rate's
/// effective denominator (`PupilClusteredRate`).
@Suite struct PupilClusteredRateTests {
  /// κ against mpmath (`betainc(μκ, (1 − μ)κ, 0.5, 1, regularized=True)`
  /// solved with `findroot`), on England's 2024/25 figures: children in
  /// care (9.0% of sessions missed, 2,180 of 33,930 pupils missing half or
  /// more; the published shares rounded) and children in need.
  @Test func concentrationMatchesMpmath() throws {
    let cla = try #require(PupilClusteredRate.concentration(mean: 0.09, threshold: 0.5, share: 0.064))
    #expect(abs(cla / 1.18659804688162 - 1) < 1e-9, "\(cla)")
    let cin = try #require(PupilClusteredRate.concentration(mean: 0.174, threshold: 0.5, share: 0.113))
    #expect(abs(cin / 1.85775544237737 - 1) < 1e-9, "\(cin)")
  }

  /// The κ found gives the share it was fitted to, across a grid.
  @Test func theFittedBetaHasTheShareItWasFittedTo() throws {
    for mu in [0.03, 0.09, 0.2, 0.4] {
      for fraction in [0.05, 0.3, 0.7, 0.95] {
        let share = mu * fraction
        let k = try #require(PupilClusteredRate.concentration(mean: mu, threshold: 0.5, share: share), "\(mu) \(share)")
        let tail = BetaDistribution(a: mu * k, b: (1 - mu) * k).sf(0.5)
        #expect(abs(tail - share) < 1e-9 * max(share, 1e-3), "μ \(mu), share \(share): κ \(k) gives \(tail)")
      }
    }
  }

  /// No beta with mean μ puts more than μ beyond a threshold above μ, and
  /// a threshold at or below the mean does not identify the spread.
  @Test func sharesNoBetaCanGiveHaveNoConcentration() {
    #expect(PupilClusteredRate.concentration(mean: 0.09, threshold: 0.5, share: 0.09) == nil)
    #expect(PupilClusteredRate.concentration(mean: 0.09, threshold: 0.5, share: 0) == nil)
    #expect(PupilClusteredRate.concentration(mean: 0.6, threshold: 0.5, share: 0.1) == nil)
    #expect(PupilClusteredRate.concentration(mean: .nan, threshold: 0.5, share: 0.01) == nil)
  }

  /// The effective denominator's claim: the mean of m pupils' rates drawn
  /// from the beta varies as a proportion out of m(κ + 1). Checked by
  /// simulation (seeded; 40,000 authorities of 7 pupils).
  @Test func theMeanOfPupilsRatesVariesAsAProportionOutOfTheEffectiveDenominator() {
    let (mu, k, m) = (0.09, 1.2, 7)
    var g = SeededGenerator(seed: 20_261_207)
    var sum = 0.0, sum2 = 0.0
    let reps = 40_000
    for _ in 0..<reps {
      var rate = 0.0
      for _ in 0..<m { rate += g.beta(mu * k, (1 - mu) * k) }
      rate /= Double(m)
      sum += rate
      sum2 += rate * rate
    }
    let mean = sum / Double(reps), variance = sum2 / Double(reps) - mean * mean
    let n = PupilClusteredRate.effectiveDenominator(pupils: Double(m), concentration: k)
    #expect(abs(n - 7 * 2.2) < 1e-12)
    // Within 3% (the simulation's own error is about 0.7%).
    #expect(abs(variance / (mu * (1 - mu) / n) - 1) < 0.03, "\(variance) against \(mu * (1 - mu) / n)")
    // Without κ, the pupils alone: the widest a rate between 0 and 1 can vary.
    #expect(PupilClusteredRate.effectiveDenominator(pupils: 7, concentration: nil) == 7)
  }
}
