import Foundation
import Testing
import PeerLensNumerics
@testable import PeerLensStatistics

/// Issue 18.3: the beta-binomial funnel's walk up the pmf takes each term
/// from the last by their ratio (one division) instead of an exponential
/// and two logarithms, and keeps to the log scale only while the terms are
/// too small for a double. Checked against the walk on the log scale,
/// written out here as it was: the same limits, and F within 1e-11.
@Suite struct BetaBinomialRecurrenceTests {
  /// Units shaped like the school-absence indicators (sessions in the
  /// hundreds of thousands to millions, about 7% missed), and small ones.
  static func funnel(spread: Double = 0.025) throws -> DistributionFunnel {
    var state: UInt64 = 11
    func u() -> Double {
      state = state &* 6364136223846793005 &+ 1442695040888963407
      return Double(state >> 11) / Double(1 << 53)
    }
    let trials = (0..<30).map { k in k < 10 ? (20 + 3_000 * u()).rounded() : (150_000 + 2_500_000 * u()).rounded() }
    var successes = trials.map { n in (n * (0.06 + spread * u())).rounded() }
    if spread >= 0.01 {
      successes[10] = (trials[10] * 0.16).rounded()
      successes[11] = (trials[11] * 0.02).rounded()
    }
    return try DistributionFunnel(family: .betaBinomial, numerators: successes, denominators: trials)
  }

  /// The walk on the log scale: (lower, upper) count limits at `tails`,
  /// and F(x − 1), F(x).
  static func logScaleWalk(_ f: DistributionFunnel, size n: Double, tails: [Double], through x: Double)
    -> (limits: [(Double, Double)], before: Double, at: Double) {
    func lbeta(_ p: Double, _ q: Double) -> Double { lgamma(p) + lgamma(q) - lgamma(p + q) }
    let a = f.target * (1 - f.parameter) / f.parameter, b = (1 - f.target) * (1 - f.parameter) / f.parameter
    var lp = lbeta(a, n + b) - lbeta(a, b)
    var cum = 0.0, before = 0.0, at = 0.0, j = 0.0
    var lower = [Double?](repeating: nil, count: tails.count), upper = lower
    while j < n && (upper.contains { $0 == nil } || j <= x) {
      let previous = cum
      cum += exp(lp)
      if j == x { (before, at) = (previous, cum) }
      for k in tails.indices where upper[k] == nil {
        if lower[k] == nil && cum >= tails[k] { lower[k] = j }
        if cum >= 1 - tails[k] { upper[k] = j; lower[k] = lower[k] ?? j }
      }
      lp += log((n - j) * (j + a)) - log((j + 1) * (n - j - 1 + b))
      j += 1
    }
    return (tails.indices.map { (lower[$0] ?? n, upper[$0] ?? n) }, before, at)
  }

  /// Two funnels: proportions spread between authorities (two far out),
  /// and nearly alike (little over-dispersion, so the first terms of large
  /// sizes are below a double's range).
  @Test(arguments: [0.025, 0.0005])
  func limitsAndDistributionFunctionAgreeWithTheLogScaleWalk(spread: Double) throws {
    let f = try Self.funnel(spread: spread)
    let tails = [0.001, 0.025]
    var underflowing = 0
    for i in f.numerators.indices {
      let n = f.denominators[i], x = f.numerators[i]
      let ours = f.betaBinomialWalk(size: n, tails: tails, through: x)
      let reference = Self.logScaleWalk(f, size: n, tails: tails, through: x)
      for k in tails.indices {
        #expect(ours.limits[k].lower == reference.limits[k].0 && ours.limits[k].upper == reference.limits[k].1,
                "unit \(i) tail \(tails[k])")
      }
      for (got, want) in [(ours.before, reference.before), (ours.at, reference.at)] {
        #expect(abs(got - want) <= 1e-11 * want, "unit \(i): \(got) vs \(want)")
      }
      let z = DistributionFunnel.midP(below: min(ours.before, 1), at: min(ours.at, 1))
      let zRef = DistributionFunnel.midP(below: min(reference.before, 1), at: min(reference.at, 1))
      #expect(abs(z - zRef) < 1e-8, "unit \(i): z \(z) vs \(zRef)")
      // Sizes whose first terms are below a double's range: the walk
      // starts on the log scale and must hand over to the ratio.
      let a = f.target * (1 - f.parameter) / f.parameter, b = (1 - f.target) * (1 - f.parameter) / f.parameter
      if DistributionFunnel.lbeta(a, n + b) - DistributionFunnel.lbeta(a, b) < log(1e-290) { underflowing += 1 }
    }
    if spread < 0.001 { #expect(underflowing > 0, "some sizes start below a double's range") }
  }

  /// A count in the far upper tail, where the terms fall below a double's
  /// range again after the ratio took over: F there is still the log-scale
  /// walk's.
  @Test func theFarUpperTailReturnsToTheLogScale() throws {
    let f = try Self.funnel(spread: 0.0005)
    let n = f.denominators[15]
    // The term at 0.6 n is far below a double's range here.
    let a = f.target * (1 - f.parameter) / f.parameter, b = (1 - f.target) * (1 - f.parameter) / f.parameter
    let k = (n * 0.6).rounded()
    let logTerm: Double = lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1) + DistributionFunnel.lbeta(k + a, n - k + b)
      - DistributionFunnel.lbeta(a, b)
    #expect(logTerm < log(1e-290), "\(logTerm)")
    let reference = Self.logScaleWalk(f, size: n, tails: [], through: (n * 0.6).rounded())
    let ours = f.betaBinomialWalk(size: n, tails: [], through: (n * 0.6).rounded())
    #expect(abs(ours.at - reference.at) <= 1e-11 && abs(ours.before - reference.before) <= 1e-11)
    #expect(ours.at - ours.before < 1e-100 && ours.at > 0.99)
  }
}
