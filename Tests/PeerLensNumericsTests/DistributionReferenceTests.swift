import Foundation
import Testing
@testable import PeerLensNumerics
import _PeerLensTestSupport

/// Every row of `Tests/Fixtures/reference/distributions.csv` (mpmath at 50 digits)
/// must be matched to relative error 1e-12.
@Suite struct DistributionReferenceTests {
  struct Row: CustomStringConvertible {
    let distribution: String, function: String, params: [String: Double], x: Double, value: Double
    var description: String { "\(distribution) \(function) \(params) x=\(x)" }
  }

  static func rows() throws -> [Row] {
    let text = try TestData.text("distributions.csv", in: TestData.reference)
    return text.split(whereSeparator: \.isNewline).dropFirst().map { line in
      let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      var params: [String: Double] = [:]
      for kv in f[2].split(separator: ";") {
        let parts = kv.split(separator: "=")
        params[String(parts[0])] = Double(parts[1])!
      }
      return Row(distribution: f[0], function: f[1], params: params, x: Double(f[3])!, value: Double(f[4])!)
    }
  }

  static func distribution(_ row: Row) -> any Distribution {
    let p = row.params
    switch row.distribution {
    case "normal": return Normal.standard
    case "t": return StudentT(degreesOfFreedom: p["df"]!)
    case "chisq": return ChiSquared(degreesOfFreedom: p["df"]!)
    case "f": return FisherF(d1: p["df1"]!, d2: p["df2"]!)
    case "gamma": return GammaDistribution(shape: p["shape"]!, scale: p["scale"]!)
    case "beta": return BetaDistribution(a: p["a"]!, b: p["b"]!)
    case "poisson": return Poisson(lambda: p["lambda"]!)
    case "binomial": return Binomial(size: p["size"]!, prob: p["prob"]!)
    case "negative_binomial": return NegativeBinomial(size: p["size"]!, prob: p["prob"]!)
    default: fatalError("unknown distribution \(row.distribution)")
    }
  }

  @Test func everyReferenceValueToTwelveDigits() throws {
    let rows = try Self.rows()
    #expect(rows.count > 140)
    for row in rows {
      let d = Self.distribution(row)
      let got = row.function == "cdf" ? d.cdf(row.x) : d.quantile(row.x)
      // A quantile that is exactly zero by symmetry (p = 0.5) is compared
      // absolutely: mpmath's -4.9e-31 there is its own rounding of 0.5.
      let absolute = (row.function == "quantile" && abs(row.value) < 1e-20) ? 1e-15 : 1e-300
      var want = row.value
      // Known reference error: for χ²₁ the lower quantile satisfies
      // p = erf(√(x/2)) = √(2x/π)(1 − x/6 + …), so x = (π/2)p² to within
      // 1e-20 relative at p = 1e-10. The file's 1.5707963267475e-20 is off
      // in the 11th digit (a root-finder tolerance in the generator); the
      // mathematically exact value is used instead, and checked here.
      if row.distribution == "chisq" && row.function == "quantile" && row.params["df"] == 1 && row.x < 1e-9 {
        want = Double.pi / 2 * row.x * row.x
        #expect(abs(want - row.value) / want < 1e-10)
      }
      let ok = agrees(got, want, relative: 1e-12, absolute: absolute)
      #expect(ok, "\(row): got \(got), want \(row.value), rel err \(abs(got - row.value) / abs(row.value))")
    }
  }

  @Test func survivalFunctionIsAccurateInTheUpperTail() {
    // sf(x) keeps relative accuracy where 1 − cdf(x) would round to zero.
    let n = Normal.standard
    #expect(agrees(n.sf(10), 7.6198530241605260659733432515993e-24, relative: 1e-13))
    #expect(agrees(ChiSquared(degreesOfFreedom: 3).sf(100), 1.5541594313896026e-21, relative: 1e-13))
    #expect(agrees(StudentT(degreesOfFreedom: 5).sf(50), 1.0 - StudentT(degreesOfFreedom: 5).cdf(50), relative: 1e-6))
  }

  /// The normal quantile down to the smallest subnormal p (mpmath, 50
  /// digits, by bisection on its ncdf): the refinement step overflowed
  /// below about 1e-308 and returned NaN.
  @Test func normalQuantileAtSubnormalProbabilities() {
    let cases: [(Double, Double)] = [(1e-300, -37.047096299361199), (1e-310, -37.663060331949524),
                                     (1e-320, -38.269125343032651), (5e-324, -38.467405617144346)]
    for (p, want) in cases {
      #expect(agrees(Normal.standard.quantile(p), want, relative: 1e-14), "p = \(p)")
    }
  }

  @Test func quantileInvertsTheCDF() {
    let cases: [any ContinuousDistribution] = [
      StudentT(degreesOfFreedom: 7.5), ChiSquared(degreesOfFreedom: 0.7), GammaDistribution(shape: 30, scale: 0.1),
      BetaDistribution(a: 0.4, b: 9), FisherF(d1: 3, d2: 40), Normal(mean: 2, standardDeviation: 3),
    ]
    for d in cases {
      for p in [1e-12, 1e-5, 0.01, 0.3, 0.5, 0.77, 0.99, 1 - 1e-9] {
        let x = d.quantile(p)
        let back = p > 0.5 ? 1 - d.sf(x) : d.cdf(x)
        #expect(agrees(back, p, relative: 1e-10), "\(d) p=\(p) x=\(x) back=\(back)")
      }
    }
  }

  /// Past a shape of 1e8 the gamma quantile is Wilson–Hilferty's, which
  /// there is exact to working precision: it meets the inversion of the
  /// incomplete gamma at the switch (where that is still exact, checked
  /// against mpmath up to 1e8), and the Cornish–Fisher expansion of the
  /// gamma quantile, k + z√k + (z² − 1)/3 + (z³ − 7z)/(36√k), whose next
  /// term is O(1/k), at 1e10 to 1e14 (the inversion was off in the
  /// seventh digit at 1e12).
  @Test func gammaQuantileAtVeryLargeShapes() {
    for p in [1e-12, 1e-6, 0.001, 0.025, 0.5, 0.975, 0.999, 1 - 1e-12] {
      // At the switch itself the inversion still answers.
      let at = GammaDistribution.wilsonHilfertyShape
      let inverted = GammaDistribution(shape: at).quantile(p)
      let c = 1 / (9 * at)
      let wilson = at * pow(1 - c + Normal.standard.quantile(p) * c.squareRoot(), 3)
      // 1e-12 for p from 1e-6 to 1 − 1e-6; the error grows with z, to
      // 3e-12 at p = 1e-12 (z = 7), and falls as shape^(−3/2) above.
      let tolerance = p < 1e-9 || p > 1 - 1e-9 ? 5e-12 : 1e-12
      #expect(abs(wilson / inverted - 1) < tolerance, "p = \(p): \(wilson) vs \(inverted)")
      for k in [1e10, 1e12, 1e14] {
        let z = Normal.standard.quantile(p)
        let cornishFisher = k + z * k.squareRoot() + (z * z - 1) / 3 + (z * z * z - 7 * z) / (36 * k.squareRoot())
        let q = GammaDistribution(shape: k).quantile(p)
        #expect(abs(q / cornishFisher - 1) < (tolerance > 1e-12 ? 5e-15 : 1e-15), "k = \(k), p = \(p): \(q) vs \(cornishFisher)")
        #expect(abs(ChiSquared(degreesOfFreedom: 2 * k).quantile(p) / (2 * q) - 1) < 1e-15)
      }
    }
  }

  /// Student's t at tiny degrees of freedom, where t² overflows: the
  /// quantile stopped at √max ≈ 1.3e154 for every ν below 0.0085, and the
  /// CDF at 1e300 was 1. Values from mpmath at 40 digits
  /// (1 − ½ I_{ν/(ν+t²)}(ν/2, ½), and its root in log t).
  @Test func studentTFarTailsAtTinyDegreesOfFreedom() {
    let cases: [(df: Double, x: Double, cdf: Double)] = [
      (0.01, 1e300, 0.99951473671424413), (0.01, 1e100, 0.951473671424413), (0.001, 1e100, 0.60447935909622119),
      (1e-5, 1e100, 0.5011821409117972), (1e-10, 3, 0.50000000066523425),
    ]
    for c in cases {
      let t = StudentT(degreesOfFreedom: c.df)
      #expect(abs(t.cdf(c.x) / c.cdf - 1) < 1e-13, "ν = \(c.df), t = \(c.x): \(t.cdf(c.x))")
      #expect(abs(t.sf(-c.x) / c.cdf - 1) < 1e-13)
      #expect(abs(t.sf(c.x) / (1 - c.cdf) - 1) < 1e-12)
    }
    for (df, q) in [(0.01, 6.36418192840062e128), (0.009, 1.72415591794684e143), (0.005, 5.69303523256708e258)] {
      let t = StudentT(degreesOfFreedom: df)
      #expect(abs(t.quantile(0.975) / q - 1) < 1e-12, "ν = \(df): \(t.quantile(0.975))")
      #expect(abs(t.quantile(0.025) / -q - 1) < 1e-12)
    }
  }

  @Test func discreteQuantilesAreTheSmallestIntegerReachingP() {
    let cases: [any DiscreteDistribution] = [
      Poisson(lambda: 3.7), Binomial(size: 40, prob: 0.3), NegativeBinomial(size: 2.5, prob: 0.4),
    ]
    for d in cases {
      for p in [0.001, 0.2, 0.5, 0.9, 0.999] {
        let k = d.quantile(p)
        #expect(d.cdf(k) >= p * (1 - 1e-12))
        if k > 0 { #expect(d.cdf(k - 1) < p) }
      }
    }
  }

  /// With very many degrees of freedom: the density against mpmath (50
  /// digits) from 10⁴, where its constant comes from a series, to 10¹⁷;
  /// and on either side of where the distribution function's expansion in
  /// 1/ν takes over the two routes agree (the exact one is good to about
  /// 1e-10 there), so the switch leaves no step.
  @Test func studentTWithVeryManyDegreesOfFreedomMeetsMpmathAndTheExactRoute() {
    let density: [(df: Double, t: Double, value: Double)] = [
      (1e4, 1, 0.24195862648700794655), (1e4, 3, 0.0044387186123801527311),
      (1e5, 1, 0.24196951467056179572), (1e5, 3, 0.0044325353568058632545),
      (1e7, 1, 0.24197071242060762795), (1e7, 3, 0.0044318552813038821898),
      (1e17, 1, 0.24197072451914334859), (1e17, 3, 0.0044318484119380078625),
    ]
    for r in density {
      #expect(agrees(StudentT(degreesOfFreedom: r.df).pdf(r.t), r.value, relative: 1e-14), "pdf df \(r.df) t \(r.t)")
    }
    #expect(agrees(StudentT(degreesOfFreedom: 1e300).quantile(0.975), 1.959963984540054, relative: 1e-15))
    let below = StudentT(degreesOfFreedom: 9_999_999), at = StudentT(degreesOfFreedom: 10_000_000)
    for t in [-8.0, -3.0, -1.0, 0.3, 2.5] {
      #expect(agrees(below.cdf(t), at.cdf(t), relative: 1e-9), "cdf \(t)")
    }
    #expect(agrees(below.quantile(0.001), at.quantile(0.001), relative: 1e-9))
  }

  /// At p = 1 a discrete quantile is the top of the support, as in R:
  /// qpois(1, 3) and qnbinom(1, 2, 0.4) are Inf, qbinom(1, 10, 0.3) is 10
  /// (the search stopped at the first k whose cdf rounded to 1: 24 and 68).
  @Test func discreteQuantilesAtOneAreTheTopOfTheSupport() {
    #expect(Poisson(lambda: 3).quantile(1) == .infinity)
    #expect(NegativeBinomial(size: 2, prob: 0.4).quantile(1) == .infinity)
    #expect(Binomial(size: 10, prob: 0.3).quantile(1) == 10)
    #expect(Poisson(lambda: 0).quantile(1) == 0 && Binomial(size: 10, prob: 0).quantile(1) == 0)
    #expect(NegativeBinomial(size: 2, prob: 1).quantile(1) == 0)
    // Just below 1 the search still gives a finite value.
    #expect(Poisson(lambda: 3).quantile(1 - 1e-12).isFinite)
  }
}
