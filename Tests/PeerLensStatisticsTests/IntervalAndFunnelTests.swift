import Foundation
import Testing
import PeerLensNumerics
import PeerLensStatistics
import PeerLensNumerics
import _PeerLensTestSupport

@Suite struct IntervalAndFunnelTests {
  /// Every worked value from PHEindicatormethods' test workbooks.
  @Test func intervalsMatchPHEindicatormethods() throws {
    let text = try TestData.text("intervals.csv", in: TestData.reference)
    var checked = 0
    for line in text.split(whereSeparator: \.isNewline).dropFirst() {
      let f = line.split(separator: ",").map(String.init)
      let method = try #require(SmallNumberInterval.Method(rawValue: f[0]))
      let r = try SmallNumberInterval.compute(method, count: Double(f[1])!, denominator: Double(f[2])!,
                                              multiplier: Double(f[3])!, level: Double(f[4])!)
      let lower = try #require(r.lower), upper = try #require(r.upper)
      #expect(agrees(lower, Double(f[5])!, relative: 1e-9), "\(line): lower \(lower)")
      #expect(agrees(upper, Double(f[6])!, relative: 1e-9), "\(line): upper \(upper)")
      checked += 1
    }
    #expect(checked >= 13)
  }

  @Test func exactBinomialIsClopperPearson() throws {
    // Clopper–Pearson for 3/20 at 95%: R's binom.test gives 0.03207094 and 0.37892683.
    let r = try SmallNumberInterval.compute(.exactBinomial, count: 3, denominator: 20)
    #expect(agrees(r.lower!, 0.032070937, relative: 1e-7))
    #expect(agrees(r.upper!, 0.378926829, relative: 1e-7))
    let zero = try SmallNumberInterval.compute(.exactBinomial, count: 0, denominator: 20)
    #expect(zero.lower == 0)
  }

  @Test func byarNegativeLowerLimitIsMissing() throws {
    // x = 1 at 99.8%: 1·(1 − 1/9 − 3.09/3)³ < 0, so no lower limit.
    let r = try SmallNumberInterval.compute(.byar, count: 1, denominator: 100, level: 0.998)
    #expect(r.lower == nil)
    #expect(r.upper != nil)
  }

  /// At a count of 0, Byar's lower limit is 0 × (−∞)³: missing, as R's
  /// PHEindicatormethods (NaN) and METHODS.md's rule for a limit that is
  /// not one have it.
  @Test func byarHasNoLowerLimitAtZero() throws {
    let r = try SmallNumberInterval.compute(.byar, count: 0, denominator: 100)
    #expect(r.lower == nil)
    // (0 + 1)(1 − 1/9 + 1.959964/3)³ / 100
    #expect(agrees(try #require(r.upper), 0.03668011832173751, relative: 1e-12))
  }

  /// The Clopper–Pearson limit at 0 of n (and n of n) in closed form,
  /// 1 − (α/2)^(1/n), to full precision even at n = 10⁹, where the beta
  /// quantile lost 8.8e-9. Reference: mpmath at 50 digits, with α/2 from
  /// the double 0.95.
  @Test func exactBinomialAtTheEndsIsExactForAnyN() throws {
    let zero = try SmallNumberInterval.compute(.exactBinomial, count: 0, denominator: 1e9)
    #expect(zero.lower == 0)
    #expect(agrees(try #require(zero.upper), 3.6888794473100196e-09, relative: 1e-14))
    let all = try SmallNumberInterval.compute(.exactBinomial, count: 1e9, denominator: 1e9)
    #expect(agrees(try #require(all.lower), 0.9999999963111205527, relative: 1e-15))
    #expect(all.upper == 1)
  }

  /// z from the lower tail: at a level of 0.999999999 the sum c + (1 − c)/2
  /// rounds near 1 and moved every limit by about 4e-9. Reference: Byar's
  /// upper limit for 5 of 5 with z = Φ⁻¹ of half the double's 1 − c,
  /// mpmath at 50 digits.
  @Test func extremeLevelsKeepTheirDigits() throws {
    let r = try SmallNumberInterval.compute(.byar, count: 5, denominator: 5, level: 0.999999999)
    #expect(agrees(try #require(r.upper), 7.149554959606888, relative: 1e-13))
  }

  @Test func badIntervalInputsAreErrors() {
    #expect(throws: SmallNumberInterval.IntervalError.countExceedsDenominator(count: 5, denominator: 4)) {
      try SmallNumberInterval.compute(.wilson, count: 5, denominator: 4)
    }
    #expect(throws: SmallNumberInterval.IntervalError.nonPositiveDenominator(0)) {
      try SmallNumberInterval.compute(.byar, count: 5, denominator: 0)
    }
  }

  /// Ten units with n = 100 and target 0.5 placed at chosen z-scores.
  /// Winsorising at the type-7 10th/90th percentiles gives
  /// [−2.2, −2, −1, −0.5, 0, 0.5, 1, 2, 3, 3.2], so φ = 34.58/10 = 3.458
  /// and τ² = (10·3.458 − 9)/(4000 − 400) = 25.58/3600.
  @Test func phiAndTauSquaredOnAConstructedExample() throws {
    let zs: [Double] = [-4, -2, -1, -0.5, 0, 0.5, 1, 2, 3, 5]
    let n = 100.0, s = 1 / (2 * n.squareRoot()), t = Double.pi / 4
    let x = zs.map { z -> Double in let v = sin(t + z * s); return n * v * v }
    let funnel = try FunnelPlot(type: .proportion, numerators: x, denominators: [Double](repeating: n, count: 10),
                                target: 0.5, overdispersion: .multiplicative)
    #expect(agrees(funnel.phi, 3.458, relative: 1e-12))
    #expect(agrees(funnel.tauSquared, 25.58 / 3600, relative: 1e-12))
    for (u, z) in zip(funnel.units, zs) { #expect(agrees(u.z, z, relative: 1e-9, absolute: 1e-12)) }
    // Multiplicative limits at 99.8%: t ± 3.0902·√φ·s on the asin scale.
    let half = Normal.standard.quantile(0.999) * funnel.phi.squareRoot() * s
    #expect(agrees(funnel.units[0].limits998.upper, pow(sin(t + half), 2), relative: 1e-12))
    // z = 5 is outside the unadjusted 99.8% limit but inside the adjusted one (5/√3.458 = 2.69 > 1.96).
    #expect(funnel.units[9].flag == .above95)
    let additive = try FunnelPlot(type: .proportion, numerators: x, denominators: [Double](repeating: n, count: 10),
                                  target: 0.5, overdispersion: .additive)
    let addHalf = Normal.standard.quantile(0.975) * (s * s + 25.58 / 3600).squareRoot()
    #expect(agrees(additive.units[0].limits95.lower, pow(sin(t - addHalf), 2), relative: 1e-12))
    let none = try FunnelPlot(type: .proportion, numerators: x, denominators: [Double](repeating: n, count: 10),
                              target: 0.5)
    #expect(none.units[9].flag == .above998)
    #expect(none.units[0].flag == .below998)
  }

  @Test func noOverdispersionMeansUnadjustedLimits() throws {
    let x: [Double] = [50, 49, 51, 50, 50, 52, 48, 50, 50, 50]
    let f = try FunnelPlot(type: .proportion, numerators: x, denominators: [Double](repeating: 100, count: 10),
                           overdispersion: .multiplicative)
    #expect(f.phi <= 1)
    #expect(!f.adjusted)
    #expect(!f.notes.isEmpty)
  }

  /// Winsorising at the 10th and 90th percentiles drops a few far-out
  /// units that REML counts: with τ² by REML positive, the additive limits
  /// are widened though φ ≤ 1; DerSimonian–Laird (FunnelPlotR's) keeps φ's rule.
  @Test func aPositiveREMLTauSquaredWidensTheLimitsWhateverPhi() throws {
    // 16 units at the target, 2 far above and 2 far below it, n = 1,000.
    let x: [Double] = [Double](repeating: 300, count: 16) + [400, 410, 200, 190]
    let n = [Double](repeating: 1000, count: x.count)
    let reml = try FunnelPlot(type: .proportion, numerators: x, denominators: n, target: 0.3,
                              overdispersion: .additive, tau2: .reml)
    let dl = try FunnelPlot(type: .proportion, numerators: x, denominators: n, target: 0.3,
                            overdispersion: .additive, tau2: .dl)
    #expect(reml.phi <= 1 && reml.tauSquared > 0, "φ \(reml.phi), τ² \(reml.tauSquared)")
    #expect(reml.adjusted && !dl.adjusted)
    #expect(reml.units[0].limits95.upper > dl.units[0].limits95.upper)
    #expect(dl.notes.contains { $0.contains("φ =") } && !reml.notes.contains { $0.contains("No over-dispersion") })
  }

  @Test func exactRatioLimitsFollowMethods() {
    let e = 20.0
    let l = FunnelPlot.exactRatioLimits(expected: e, level: 0.95)
    #expect(agrees(l.lower, ChiSquared(degreesOfFreedom: 40).quantile(0.025) / 40, relative: 1e-14))
    #expect(agrees(l.upper, ChiSquared(degreesOfFreedom: 42).quantile(0.975) / 40, relative: 1e-14))
  }

  /// Unadjusted limits for a ratio are METHODS item 6's exact Poisson
  /// limits at each unit's E (mpmath, 40 digits, by bisection on the
  /// regularised incomplete gamma), not the √(O/E) scale's normal ones.
  /// 14 observed where 7.284 were expected (North East Lincolnshire's
  /// trafficking factor, 2025) is outside the normal approximation's 95%
  /// upper limit, 1.858, and inside the exact one, 2.033.
  @Test func unadjustedRatioLimitsAreExactPoisson() throws {
    let o: [Double] = [14, 50, 60, 3, 9], e: [Double] = [7.284, 53.78, 55, 4, 10]
    for method in [FunnelPlot.Overdispersion.none, .multiplicative] {
      let f = try FunnelPlot(type: .ratio, numerators: o, denominators: e, overdispersion: method)
      #expect(!f.adjusted && f.exactUnadjusted)
      #expect(agrees(f.units[0].limits95.lower, 0.41096549860160112588, relative: 1e-12))
      #expect(agrees(f.units[0].limits95.upper, 2.0326058898744638978, relative: 1e-12))
      #expect(agrees(f.units[0].limits998.lower, 0.2258078126900675336, relative: 1e-12))
      #expect(agrees(f.units[0].limits998.upper, 2.7545213916585218437, relative: 1e-12))
      #expect(agrees(f.units[1].limits95.upper, 1.305487825669491392, relative: 1e-12))
      #expect(agrees(f.units[1].limits998.lower, 0.6308996145503935097, relative: 1e-12))
      let normalUpper = pow(1 + Normal.standard.quantile(0.975) / (2 * 7.284.squareRoot()), 2)
      #expect(o[0] / e[0] > normalUpper)
      #expect(f.units[0].flag == .within)
      #expect(f.flag(unit: 0, levels: [0.95, 0.998]) == "within")
      #expect(agrees(f.limits(unit: 1, level: 0.95).upper, 1.305487825669491392, relative: 1e-12))
      #expect(agrees(f.limits(atDenominator: 7.284, level: 0.998).upper, 2.7545213916585218437, relative: 1e-12))
      #expect(f.notes.contains { $0.contains("exact Poisson limits") })
    }
    // A binomial model's variance factors are not Poisson: the normal
    // limits on the √ scale stay.
    let binomial = try FunnelPlot(type: .ratio, numerators: o, denominators: e, varianceFactors: [0.9, 0.9, 0.9, 0.9, 0.9])
    #expect(!binomial.exactUnadjusted)
    #expect(binomial.units[0].limits95.upper < 2)
  }

  @Test func funnelRejectsBadDenominators() {
    #expect(throws: FunnelError.nonPositiveDenominator(index: 1)) {
      try FunnelPlot(type: .proportion, numerators: [1, 2], denominators: [10, 0])
    }
  }

  @Test func shrinkagePullsSmallUnitsFurthest() {
    let x: [Double] = [2, 100, 300, 50]
    let n: [Double] = [10, 1000, 2000, 600]
    let r = EmpiricalBayes.gammaPoisson(counts: x, exposures: n)
    let raw = zip(x, n).map { $0 / $1 }
    let mean = x.reduce(0, +) / n.reduce(0, +)
    // The smallest unit moves furthest towards the mean, relative to its distance.
    let moved = (0..<4).map { abs(r.shrunk[$0] - raw[$0]) / max(abs(raw[$0] - mean), 1e-12) }
    #expect(moved[0] > moved[2])
    for i in 0..<4 { #expect(min(raw[i], mean) - 1e-12 <= r.shrunk[i] && r.shrunk[i] <= max(raw[i], mean) + 1e-12) }
  }
}

@Suite struct SelectionTests {
  /// The PRESS shortcut against brute-force refits without each row.
  @Test func leaveOneOutShortcutEqualsRefits() throws {
    var rng = SeededGenerator(seed: 7)
    let n = 40, k = 4
    var cols = [[Double]](repeating: [], count: k)
    var y = [Double]()
    for _ in 0..<n {
      let xs = (0..<k).map { _ in rng.normal() }
      for j in 0..<k { cols[j].append(xs[j]) }
      y.append(1 + 2 * xs[0] - xs[2] + 0.5 * rng.normal())
    }
    let sel = try AllSubsetsSelection(candidates: Matrix(columns: cols), names: ["a", "b", "c", "d"], response: y)
    #expect(sel.models.count == 16)
    for model in sel.models {
      var press = 0.0
      for i in 0..<n {
        let keep = (0..<n).filter { $0 != i }
        let design = DesignMatrix.withIntercept(model.variables.map { j in keep.map { cols[j][$0] } },
                                                names: model.variables.map { "x\($0)" }, rows: n - 1)
        let fit = try LinearModel().fit(design, response: keep.map { y[$0] })
        var pred = fit.coefficients[0]!
        for (c, j) in model.variables.enumerated() { pred += fit.coefficients[c + 1]! * cols[j][i] }
        press += (y[i] - pred) * (y[i] - pred)
      }
      #expect(agrees(model.looMSE, press / Double(n), relative: 1e-10), "\(model.variables)")
    }
    // The true model (a and c) should be among the best by AIC.
    #expect(sel.models.prefix(3).contains { Set($0.variables) == [0, 2] })
    #expect(sel.inclusion[0] > 0.99)
  }

  /// Rescaling a candidate changes no model: a column in the billions
  /// beside one of order 1 read as aliased under the rank check, and every
  /// subset with both was dropped without a word (3 subsets of 4 scored,
  /// and another best model). Every subset is scored at every scale, with
  /// the same AIC and leave-one-out error; a constant candidate is refused.
  @Test func selectionDoesNotDependOnAColumnsScale() throws {
    var rng = SeededGenerator(seed: 11)
    let n = 40
    let a = (0..<n).map { _ in rng.normal() }, b = (0..<n).map { _ in rng.normal() }
    let y = zip(a, b).map { 1 + $0 - 0.5 * $1 + 0.3 * rng.normal() }
    let plain = try AllSubsetsSelection(candidates: Matrix(columns: [a, b]), names: ["a", "b"], response: y)
    #expect(plain.models.count == 4)
    for scale in [1e10, 1e100, 1e-100, 1e250] {
      let scaled = try AllSubsetsSelection(candidates: Matrix(columns: [a.map { $0 * scale }, b]), names: ["a", "b"], response: y)
      #expect(scaled.models.count == 4, "scale \(scale)")
      for (m, p) in zip(scaled.models, plain.models) {
        #expect(m.variables == p.variables && agrees(m.aic, p.aic, relative: 1e-10) && agrees(m.looMSE, p.looMSE, relative: 1e-9),
                "scale \(scale): \(m.variables)")
      }
    }
    #expect(throws: AllSubsetsSelection.SelectionError.constantCandidate("c")) {
      try AllSubsetsSelection(candidates: Matrix(columns: [a, [Double](repeating: 0.1, count: n)]), names: ["a", "c"], response: y)
    }
  }

  @Test func moreThanFifteenCandidatesIsAnError() {
    #expect(throws: AllSubsetsSelection.SelectionError.tooManyCandidates(16)) {
      try AllSubsetsSelection(candidates: Matrix(rows: 30, columns: 16), names: [], response: [Double](repeating: 0, count: 30))
    }
  }
}
