import Foundation
import Testing
import PeerLensNumerics
@testable import PeerLensStatistics

/// Issue 17: data simulated under the model the limits assume give
/// outside-limit rates within binomial error of nominal. Each case
/// simulates 3,000 units from a known over-dispersed distribution, fits
/// the limits (the over-dispersion parameter by maximum likelihood, as the
/// packs do) and counts the units outside the 95% and 99.8% limits.
///
/// The rate the fitted limits attain is computed exactly for each unit
/// from the true distribution (discrete limits are conservative, and the
/// fitted parameter is an estimate); the observed count must be within 4
/// binomial standard errors of it, and the attainable rate close to
/// nominal.
@Suite struct FunnelCalibrationSimulationTests {
  static let units = 3000

  /// A Poisson draw by counting unit-rate exponential arrivals before `mean`.
  static func poisson(_ mean: Double, _ g: inout SeededGenerator) -> Double {
    var t = 0.0, k = -1.0
    repeat { t -= log(max(g.uniform(), 1e-300)); k += 1 } while t <= mean
    return k
  }

  static func check(observed: Int, attainable: Double, nominal: Double, label: String) {
    let n = Double(units)
    let se = (n * attainable * (1 - attainable)).squareRoot()
    #expect(abs(Double(observed) - n * attainable) <= 4 * max(se, 1), "\(label): \(observed) outside, \(n * attainable) expected")
    // Close to nominal: discreteness makes limits conservative, and a
    // fitted over-dispersion parameter can make them a little narrow.
    // The far tail moves most with the fitted parameter: 25% at 99.8%, 10% at 95%.
    let tolerance = nominal < 0.01 ? 0.25 : 0.1
    #expect(abs(attainable - nominal) <= tolerance * nominal, "\(label): attainable \(attainable), observed \(Double(observed) / n)")
  }

  @Test func negativeBinomialLimitsHoldOnNegativeBinomialData() throws {
    var g = SeededGenerator(seed: 17_01)
    let rate = 0.02, theta = 8.0
    let n = (0..<Self.units).map { 2_000 + Double(($0 * 7_919) % 18_000) }  // means 40 to 400
    let x = n.map { ni -> Double in
      let lambda = RankIntervals.gamma(theta, &g) / theta * rate * ni
      return Self.poisson(lambda, &g)
    }
    let funnel = try DistributionFunnel(family: .negativeBinomial, numerators: x, denominators: n, target: rate)
    #expect(abs(funnel.parameter - theta) / theta < 0.15, "theta \(funnel.parameter)")
    for level in [0.95, 0.998] {
      var outside = 0, attainable = 0.0
      for i in 0..<Self.units {
        if funnel.flag(unit: i, levels: [level]) != "within" { outside += 1 }
        let (l, u) = funnel.countLimits(denominator: n[i], level: level)
        let truth = NegativeBinomial(mean: rate * n[i], theta: theta)
        attainable += truth.cdf(l - 1) + (1 - truth.cdf(u))
      }
      Self.check(observed: outside, attainable: attainable / Double(Self.units), nominal: 1 - level,
                 label: "negative binomial \(level)")
    }
  }

  @Test func betaBinomialLimitsHoldOnBetaBinomialData() throws {
    var g = SeededGenerator(seed: 17_02)
    let pi = 0.3, rho = 0.02
    let a = pi * (1 - rho) / rho, b = (1 - pi) * (1 - rho) / rho
    let n = (0..<Self.units).map { 50 + Double(($0 * 7_919) % 950) }
    let x = n.map { ni -> Double in
      let ga = RankIntervals.gamma(a, &g), gb = RankIntervals.gamma(b, &g)
      let p = ga / (ga + gb)
      var k = 0.0
      for _ in 0..<Int(ni) where g.uniform() < p { k += 1 }
      return k
    }
    let funnel = try DistributionFunnel(family: .betaBinomial, numerators: x, denominators: n, target: pi)
    #expect(abs(funnel.parameter - rho) / rho < 0.2, "rho \(funnel.parameter)")
    for level in [0.95, 0.998] {
      var outside = 0, attainable = 0.0
      for i in 0..<Self.units {
        if funnel.flag(unit: i, levels: [level]) != "within" { outside += 1 }
        let (l, u) = funnel.countLimits(denominator: n[i], level: level)
        // The true beta-binomial's tails, by summing its pmf.
        let lbeta = lgamma(a) + lgamma(b) - lgamma(a + b)
        let size = n[i]
        func pmf(_ k: Double) -> Double {
          let choose: Double = lgamma(size + 1) - lgamma(k + 1) - lgamma(size - k + 1)
          let beta: Double = lgamma(k + a) + lgamma(size - k + b) - lgamma(size + a + b) - lbeta
          return exp(choose + beta)
        }
        var below = 0.0, above = 0.0
        if l >= 1 { for k in stride(from: 0.0, through: l - 1, by: 1) { below += pmf(k) } }
        if u < n[i] { for k in stride(from: u + 1, through: n[i], by: 1) { above += pmf(k) } }
        attainable += below + above
      }
      Self.check(observed: outside, attainable: attainable / Double(Self.units), nominal: 1 - level,
                 label: "beta-binomial \(level)")
    }
  }
}
