import Foundation
import Testing
@testable import PeerLensNumerics

/// The discrete quantile search starts from the Cornish–Fisher
/// approximation and brackets by doubling steps. Whatever the start, the
/// answer must be the smallest k with cdf(k) ≥ p: checked here against a
/// plain scan up from zero over means from 0.01 to 5,000.
@Suite struct DiscreteQuantileSearchTests {
  static func scan(_ d: some DiscreteDistribution, _ p: Double) -> Double {
    let fuzzed = p * (1 - 64 * Double.ulpOfOne)
    var k = 0.0
    while d.cdf(k) < fuzzed { k += 1 }
    return k
  }

  static let levels = [1e-6, 0.001, 0.025, 0.1, 0.5, 0.9, 0.975, 0.999, 1 - 1e-6]

  @Test(arguments: [0.01, 0.3, 2, 17.5, 140, 900, 5000])
  func searchEqualsAScanFromZero(mean: Double) {
    let cases: [any DiscreteDistribution] = [
      Poisson(lambda: mean), NegativeBinomial(mean: mean, theta: 0.7), NegativeBinomial(mean: mean, theta: 28),
      Binomial(size: (mean * 3).rounded(.up), prob: 0.31), Binomial(size: (mean / 0.97).rounded(.up), prob: 0.97),
    ]
    for d in cases {
      for p in Self.levels {
        let q = d.quantile(p)
        #expect(q == Self.scan(d, p), "\(d) at \(p): \(q)")
        #expect(q.sign == .plus, "\(d) at \(p) gave −0")
      }
    }
  }
}
