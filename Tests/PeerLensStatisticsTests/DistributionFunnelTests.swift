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
