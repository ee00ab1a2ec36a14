import Foundation
import Testing
import PeerLensNumerics
import PeerLensStatistics

/// Negative-binomial and beta-binomial funnel limits (issue 17.1) against
/// R (Tests/Fixtures/methods/make_distribution_funnel_fixture.R: θ by
/// MASS::theta.ml, ρ by optimize, limits by qnbinom and pmf sums), and
/// against direct summation of the pmf here.
@Suite struct DistributionFunnelTests {
  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/methods")

  static func rows(_ name: String) throws -> [[Double]] {
    try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8).split(separator: "\n").dropFirst()
      .map { $0.split(separator: ",").map { Double($0)! } }
  }

  static func parameters() throws -> [String: Double] {
    var out: [String: Double] = [:]
    for line in try String(contentsOf: folder.appendingPathComponent("dist_funnel_parameters.csv"), encoding: .utf8)
      .split(separator: "\n") {
      let f = line.split(separator: ",")
      out[String(f[0])] = Double(f[1])!
    }
    return out
  }

  @Test func matchesR() throws {
    let data = try Self.rows("dist_funnel_data.csv")  // pop, cnt, trials, succ
    let ref = try Self.rows("dist_funnel_reference.csv")
    let par = try Self.parameters()
    let nb = try DistributionFunnel(family: .negativeBinomial, numerators: data.map { $0[1] }, denominators: data.map { $0[0] })
    let bb = try DistributionFunnel(family: .betaBinomial, numerators: data.map { $0[3] }, denominators: data.map { $0[2] })
    // theta.ml stops at a relative change of about 1e-4; optimize's ρ is good to about 1e-7.
    #expect(abs(nb.parameter / par["theta"]! - 1) < 1e-3, "θ \(nb.parameter) vs R \(par["theta"]!)")
    #expect(abs(bb.parameter / par["rho"]! - 1) < 1e-4, "ρ \(bb.parameter) vs R \(par["rho"]!)")
    var mismatches = 0
    for (i, r) in ref.enumerated() {
      let n95 = nb.countLimits(denominator: data[i][0], level: 0.95), n998 = nb.countLimits(denominator: data[i][0], level: 0.998)
      let b95 = bb.countLimits(denominator: data[i][2], level: 0.95), b998 = bb.countLimits(denominator: data[i][2], level: 0.998)
      let ours = [n95.lower, n95.upper, n998.lower, n998.upper, b95.lower, b95.upper, b998.lower, b998.upper]
      for k in 0..<8 where ours[k] != r[k + 1] {
        mismatches += 1
        #expect(abs(ours[k] - r[k + 1]) <= 1, "unit \(i + 1) column \(k): \(ours[k]) vs R \(r[k + 1])")
      }
    }
    // Limits agree exactly except where θ's last digits move a quantile across an integer.
    #expect(mismatches <= 2, "\(mismatches) limits differ from R")
  }

  /// Exact quantiles, checked by summing the pmf directly, out to 99.8%.
  @Test func limitsAreExactQuantilesByDirectSummation() throws {
    let data = try Self.rows("dist_funnel_data.csv")
    let nb = try DistributionFunnel(family: .negativeBinomial, numerators: data.map { $0[1] }, denominators: data.map { $0[0] })
    let bb = try DistributionFunnel(family: .betaBinomial, numerators: data.map { $0[3] }, denominators: data.map { $0[2] })
    for i in stride(from: 0, to: data.count, by: 7) {
      for level in [0.95, 0.998] {
        let tail = (1 - level) / 2
        // Negative binomial: pmf by lgamma.
        let mu = nb.target * data[i][0], th = nb.parameter
        var cum = 0.0, k = 0.0
        var lower: Double? = nil
        while true {
          let lp: Double = lgamma(k + th) - lgamma(th) - lgamma(k + 1) + th * log(th / (th + mu)) + k * log(mu / (th + mu))
          cum += exp(lp)
          if lower == nil && cum >= tail { lower = k }
          if cum >= 1 - tail { break }
          k += 1
        }
        let got = nb.countLimits(denominator: data[i][0], level: level)
        #expect(got.lower == lower && got.upper == k, "NB unit \(i) level \(level)")
        // Beta-binomial: pmf by lbeta.
        let n = data[i][2], rho = bb.parameter, p = bb.target
        let a = p * (1 - rho) / rho, b = (1 - p) * (1 - rho) / rho
        func lbeta(_ x: Double, _ y: Double) -> Double { lgamma(x) + lgamma(y) - lgamma(x + y) }
        cum = 0; k = 0; lower = nil
        while k <= n {
          let lc: Double = lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1)
          cum += exp(lc + lbeta(k + a, n - k + b) - lbeta(a, b))
          if lower == nil && cum >= tail { lower = k }
          if cum >= 1 - tail { break }
          k += 1
        }
        let bgot = bb.countLimits(denominator: n, level: level)
        #expect(bgot.lower == lower && bgot.upper == k, "BB unit \(i) level \(level)")
      }
    }
  }

  /// Poisson-like counts push θ to its ceiling (no over-dispersion).
  @Test func poissonDataGiveLargeTheta() throws {
    var rng = SeededGenerator(seed: 3)
    let n = (0..<200).map { _ in Double(1000 + Int(rng.uniform() * 5000)) }
    let x = n.map { d -> Double in
      // Poisson by inversion.
      let lambda = d * 0.01
      var k = 0.0, p = exp(-lambda), c = p
      let u = rng.uniform()
      while c < u { k += 1; p *= lambda / k; c += p }
      return k
    }
    let f = try DistributionFunnel(family: .negativeBinomial, numerators: x, denominators: n)
    #expect(f.parameter > 100, "θ \(f.parameter)")
  }
}

/// The one-walk beta-binomial paths (issue 18.3: school-absence sessions
/// put denominators in the millions) give exactly what a walk per
/// quantity gave, on data with large denominators.
@Suite struct DistributionFunnelOneWalkTests {
  static func funnel() throws -> DistributionFunnel {
    // 40 units, 20,000 to 800,000 trials, proportions spread around 6%.
    var state: UInt64 = 7
    func u() -> Double {
      state = state &* 6364136223846793005 &+ 1442695040888963407
      return Double(state >> 11) / Double(1 << 53)
    }
    let trials = (0..<40).map { _ in (20_000 + 780_000 * u()).rounded() }
    var successes = trials.map { n in (n * (0.045 + 0.03 * u())).rounded() }
    // Three units far out, so that flags differ.
    successes[0] = (trials[0] * 0.14).rounded()
    successes[1] = (trials[1] * 0.11).rounded()
    successes[2] = (trials[2] * 0.015).rounded()
    return try DistributionFunnel(family: .betaBinomial, numerators: successes, denominators: trials)
  }

  @Test func zFromOneWalkIsTheTwoSumsExactly() throws {
    let f = try Self.funnel()
    for i in f.numerators.indices {
      let x = f.numerators[i], n = f.denominators[i]
      let below = f.cdf(x - 1, denominator: n), at = f.cdf(x, denominator: n)
      let p = min(max(below + 0.5 * (at - below), 1e-300), 1 - 1e-16)
      #expect(f.z(unit: i) == Normal.standard.quantile(p), "unit \(i)")
    }
  }

  @Test func flagsAndLimitsFromOneWalkAreThoseOfAWalkPerLevel() throws {
    let f = try Self.funnel()
    var outside = 0
    for i in f.numerators.indices {
      // The flag as a walk per level names it, from countLimits.
      var expected = "within"
      for level in [0.998, 0.95] {
        let (l, u) = f.countLimits(denominator: f.denominators[i], level: level)
        if f.numerators[i] > u { expected = "above_" + FunnelPlot.levelLabel(level); break }
        if f.numerators[i] < l { expected = "below_" + FunnelPlot.levelLabel(level); break }
      }
      #expect(f.flag(unit: i, levels: [0.95, 0.998]) == expected, "unit \(i)")
      if expected != "within" { outside += 1 }
      // countLimits agrees with the CDF it inverts.
      let (l, u) = f.countLimits(denominator: f.denominators[i], level: 0.95)
      #expect(f.cdf(l, denominator: f.denominators[i]) >= 0.025 && f.cdf(l - 1, denominator: f.denominators[i]) < 0.025)
      #expect(f.cdf(u, denominator: f.denominators[i]) >= 0.975 && f.cdf(u - 1, denominator: f.denominators[i]) < 0.975)
    }
    #expect(outside > 0 && outside < f.numerators.count, "a mix of flags to compare: \(outside)")
  }

  @Test func positionIsTheZAndTheFlagTogether() throws {
    let f = try Self.funnel()
    for i in f.numerators.indices {
      let p = f.position(unit: i, levels: [0.95, 0.998])
      #expect(p.z == f.z(unit: i) && p.flag == f.flag(unit: i, levels: [0.95, 0.998]), "unit \(i)")
    }
  }
}
