import Foundation
import Testing
import PeerLensNumerics
import PeerLensStatistics

/// Bounded prediction limits for proportions (issues 17.3, 24.2).
@Suite struct LogitNormalPredictionTests {
  /// The exact limits equal quantiles of the mixture found by summing the
  /// pmf directly, k by k, over the same nodes.
  @Test func exactLimitsMatchDirectPmfSummation() {
    let model = LogitNormalPrediction(tauSquared: 0.3)
    // Sizes and means where the delta-method start is near the answer and where it is far.
    for (mu, n) in [(0.02, 40.0), (0.3, 12.0), (0.65, 250.0), (0.95, 31.0), (0.001, 3000.0), (0.5, 2000.0), (0.999, 800.0), (0.2, 1.0)] {
      for z in [1.959963984540054, 3.090232306167813] {
        let (lo, hi) = model.limits(mu: mu, trials: n, z: z)
        let tail = 1 - Normal.standard.cdf(z)
        let eta = log(mu / (1 - mu))
        let nodes = 32
        let probs = (0..<nodes).map { j in 1 / (1 + exp(-(eta + 0.3.squareRoot() * Normal.standard.quantile((Double(j) + 0.5) / Double(nodes))))) }
        var cdf = 0.0
        var lower: Double? = nil, upper: Double? = nil
        for k in 0...Int(n) {
          cdf += probs.reduce(0) { $0 + Binomial(size: n, prob: $1).pmf(Double(k)) } / Double(nodes)
          if lower == nil && cdf >= tail - 1e-12 { lower = Double(k) }
          if upper == nil && cdf >= 1 - tail - 1e-12 { upper = Double(k) }
        }
        #expect(lo * n == lower, "mu \(mu) n \(n) z \(z): lower \(lo * n) vs \(String(describing: lower))")
        #expect(hi * n == upper, "mu \(mu) n \(n) z \(z): upper \(hi * n) vs \(String(describing: upper))")
        #expect(lo >= 0 && hi <= 1 && lo <= mu && hi >= mu)
      }
    }
  }

  /// Large denominators use the delta method on the logit scale: the
  /// limits stay strictly inside 0–1 and approach the logit-normal limits.
  @Test func largeDenominatorsStayInsideTheScale() {
    let model = LogitNormalPrediction(tauSquared: 0.04)
    let (lo, hi) = model.limits(mu: 0.001, trials: 5_000_000, z: 3.09)
    #expect(lo > 0 && hi < 1 && lo < 0.001 && hi > 0.001)
    let expectedHi = 1 / (1 + exp(-(log(0.001 / 0.999) + 3.09 * (0.04 + 1 / (5_000_000 * 0.001 * 0.999)).squareRoot())))
    #expect(abs(hi - expectedHi) < 1e-12)
  }

  /// τ² by maximum likelihood recovers the spread of simulated data, and
  /// is zero for purely binomial data.
  @Test func maximumLikelihoodRecoversTheSpread() {
    var rng = SeededGenerator(seed: 20261204)
    func simulate(tau: Double) -> ([Double], [Double], [Double]) {
      var s: [Double] = [], n: [Double] = [], eta: [Double] = []
      for i in 0..<400 {
        let size = Double(20 + (i * 37) % 480)
        let e = -1.0 + 0.002 * Double(i % 50)
        let p = 1 / (1 + exp(-(e + tau * Normal.standard.quantile(Double.random(in: 0.0001..<0.9999, using: &rng)))))
        var k = 0.0
        for _ in 0..<Int(size) where Double.random(in: 0..<1, using: &rng) < p { k += 1 }
        s.append(k); n.append(size); eta.append(e)
      }
      return (s, n, eta)
    }
    let (s, n, eta) = simulate(tau: 0.5)
    let fit = LogitNormalPrediction.fit(successes: s, trials: n, linearPredictor: eta)
    #expect(abs(fit.tauSquared.squareRoot() - 0.5) < 0.07, "tau \(fit.tauSquared.squareRoot())")
    let (s0, n0, eta0) = simulate(tau: 0)
    let fit0 = LogitNormalPrediction.fit(successes: s0, trials: n0, linearPredictor: eta0)
    #expect(fit0.tauSquared.squareRoot() < 0.06, "tau \(fit0.tauSquared.squareRoot())")
  }
}
