import Foundation
import Testing
import PeerLensNumerics
@testable import PeerLensStatistics

/// Issue 18.3: a logit-normal limit's quantile search steps from its start
/// one count at a time, each component's probability from the last by a
/// ratio, instead of a continued fraction per component at every count it
/// tries. Checked against the search that uses the continued fractions
/// alone, written out here as it was.
@Suite struct BinomialMixtureTests {
  /// The smallest k with F(k) ≥ q by doubling steps from `start` and
  /// halving, F from the continued fractions at every count tried.
  static func reference(_ mixture: BinomialMixture, _ q: Double, start: Double) -> Double {
    let n = mixture.trials, cdf = mixture.cdf
    let s = min(max(start.rounded(), 0), n)
    var lo: Double, hi: Double
    if cdf(s) >= q {
      hi = s
      var step = 1.0
      while true {
        let next = hi - step
        if next < 0 { lo = -1; break }
        if cdf(next) < q { lo = next; break }
        hi = next
        step *= 2
      }
    } else {
      lo = s
      var step = 1.0
      while true {
        let next = lo + step
        if next >= n { hi = n; break }
        if cdf(next) >= q { hi = next; break }
        lo = next
        step *= 2
      }
    }
    while hi - lo > 1 {
      let mid = ((lo + hi) / 2).rounded(.down)
      if cdf(mid) >= q { hi = mid } else { lo = mid }
    }
    return hi
  }

  /// Mixtures over the nodes of a logit-normal spread, from one trial to
  /// the 50,000 allowed, means near 0, ½ and 1, spreads from none to a
  /// logit-scale SD of 3 (components whose probabilities of the counts
  /// searched underflow), starts at the answer, near it, far below and far
  /// above it, and at both ends of the range. (Not q = ½ at μ = ½: for an
  /// odd count F is exactly ½ there, and the two sums round either way.)
  @Test func sameCountsAsTheContinuedFractionSearch() {
    var state: UInt64 = 20_261_205
    func u() -> Double {
      state = state &* 6364136223846793005 &+ 1442695040888963407
      return Double(state >> 11) / Double(1 << 53)
    }
    var cases = 0, walked = 0
    for trials in [1.0, 2, 7, 40, 333, 2_000, 12_345, 50_000] {
      for mu in [1e-9, 0.003, 0.08, 0.5, 0.93, 0.9995] {
        for tau2 in [0.0, 0.05, 0.6, 9.0] {
          let mixture = LogitNormalPrediction(tauSquared: tau2).mixture(mu: mu, trials: trials)!
          for q in [0.001, 0.025, 0.3, 0.7, 0.975, 0.999] {
            let answer = Self.reference(mixture, q, start: trials * mu)
            let starts = [answer, answer - 1, answer + 1, answer - 5, answer + 20, answer - 31, answer + 33, answer - 100,
                          answer - 400, answer + 1_000, 0, trials, (trials * u()).rounded()]
            for start in starts {
              let found = mixture.quantile(q, start: start)
              #expect(found == answer, "n \(trials) μ \(mu) τ² \(tau2) q \(q) from \(start): \(found), expected \(answer)")
              cases += 1
              if abs(start - answer) <= Double(BinomialMixture.walkLimit * BinomialMixture.legs) { walked += 1 }
            }
          }
        }
      }
    }
    // Most starts lie within a walk of the answer: the walk itself is tested.
    #expect(cases == 8 * 6 * 4 * 6 * 13 && walked > cases / 2)
  }

  /// F(k) and F(k − 1) for judging a count: the first exactly the
  /// continued fractions' value, the second within 1e-13 of theirs (each
  /// carries about 1e-14 at 40,000 trials), and both exact at the ends (F(−1) = 0, F(n) = 1).
  @Test func pairOfDistributionFunctionValues() {
    for (mu, n, tau2) in [(0.2, 1.0, 0.3), (0.01, 80.0, 1.2), (0.6, 3_000.0, 0.1), (0.999, 40_000.0, 2.0)] {
      let model = LogitNormalPrediction(tauSquared: tau2)
      let mixture = model.mixture(mu: mu, trials: n)!, cdfs = model.mixtureCDFs(mu: mu, trials: n)!
      for k in Set([-1, 0, 1, 2, n * mu - 3, n * mu, n * mu + 7, n - 1, n, n + 1].map { min(max($0.rounded(), -1), n + 1) }) {
        let pair = cdfs(k)
        #expect(pair.atOrBelow == mixture.cdf(k), "F(\(k)) n \(n)")
        #expect(abs(pair.below - mixture.cdf(k - 1)) <= 1e-13, "F(\(k) − 1) n \(n): \(pair.below) vs \(mixture.cdf(k - 1))")
        if k <= 0 { #expect(pair.below == 0) }
        if k > n { #expect(pair.atOrBelow == 1 && pair.below == 1) }
      }
    }
  }

  /// The limits that use the search agree with mixture quantiles found by
  /// summing the probabilities count by count from zero.
  @Test func limitsAreQuantilesOfTheSummedMixture() {
    let model = LogitNormalPrediction(tauSquared: 0.4)
    for (mu, n) in [(0.04, 60.0), (0.35, 900.0), (0.7, 5.0), (0.98, 4_000.0)] {
      let mixture = model.mixture(mu: mu, trials: n)!
      for z in [1.959963984540054, 3.090232306167813] {
        let tail = LogitNormalPrediction.tail(z)
        var sum = 0.0, lower: Double? = nil, upper: Double? = nil
        for k in stride(from: 0.0, through: n, by: 1) {
          sum += mixture.components.reduce(0) { $0 + $1.pmf(k) } / Double(mixture.components.count)
          if lower == nil && sum >= tail { lower = k }
          if upper == nil && sum >= 1 - tail { upper = k }
        }
        let limits = model.limits(mu: mu, trials: n, z: z)
        #expect(limits.lower == lower! / n && limits.upper == (upper ?? n) / n, "μ \(mu) n \(n) z \(z)")
      }
    }
  }
}
