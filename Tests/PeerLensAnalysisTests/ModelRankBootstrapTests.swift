import Foundation
import Testing
@testable import PeerLensAnalysis
import PeerLensData
import PeerLensStatistics
import PeerLensNumerics

/// Issue 17.4: rank intervals by a parametric bootstrap of the fitted
/// model, with a refit per resample. A league whose members are far apart
/// gives narrow intervals around the true order; a league of identical
/// authorities gives intervals across nearly the whole table.
@Suite struct ModelRankBootstrapTests {
  /// A bootstrap over a constructed table.
  static func bootstrap(_ csv: String, formula: String, family: FamilyName) throws -> ModelRankBootstrap {
    let table = try CSVReader.parse(csv, source: "constructed league")
    let frame = try ModelFrame.build(formula: FormulaParser.parse(formula), table: table)
    let fit = try FittedModel.fit(frame: frame, family: family)
    let codes = try table.text("code"), denominators = try table.text("denominator").map { Double($0)! }
    return try #require(ModelRankBootstrap(frame: frame, family: family, link: nil, fit: fit,
                                           denominators: denominators, codes: codes))
  }

  @Test func separatedRatesGiveNarrowIntervalsAroundTheTrueOrder() throws {
    // Twenty authorities, each rate half as large again as the last, with
    // large denominators: sampling noise cannot swap neighbours.
    var csv = "code,numerator,denominator\n"
    for i in 0..<20 { csv += "A\(i),\((100 * pow(1.5, Double(i))).rounded()),100000\n" }
    let boot = try Self.bootstrap(csv, formula: "numerator ~ 1 + offset(log(denominator))", family: .negativeBinomial)
    let r = boot.intervals(higherIsBetter: true, resamples: 400)
    for i in 0..<20 {
      let rank = 20 - i  // highest rate ranks 1
      #expect(r[i].lower <= rank && rank <= r[i].upper, "A\(i): \(r[i]) against rank \(rank)")
      #expect(r[i].upper - r[i].lower <= 1, "A\(i): \(r[i])")
    }
  }

  @Test func separatedProportionsGiveNarrowIntervals() throws {
    var csv = "code,numerator,denominator\n"
    for i in 0..<15 { csv += "A\(i),\(200 + 250 * i),5000\n" }  // 4% to 74%
    let boot = try Self.bootstrap(csv, formula: "cbind(numerator, denominator - numerator) ~ 1", family: .quasibinomial)
    let r = boot.intervals(higherIsBetter: false, resamples: 400)
    for i in 0..<15 {
      #expect(r[i].lower <= i + 1 && i + 1 <= r[i].upper && r[i].upper - r[i].lower <= 1, "A\(i): \(r[i])")
    }
  }

  @Test func identicalAuthoritiesGiveIntervalsAcrossNearlyTheWholeTable() throws {
    // Thirty authorities with the same count out of the same size: nothing
    // tells them apart, so any order is as plausible as any other.
    var csv = "code,numerator,denominator\n"
    for i in 0..<30 { csv += "A\(i),\(40 + (i % 3) - 1),200\n" }
    let boot = try Self.bootstrap(csv, formula: "cbind(numerator, denominator - numerator) ~ 1", family: .quasibinomial)
    let r = boot.intervals(higherIsBetter: true, resamples: 1000)
    for (i, iv) in r.enumerated() {
      #expect(iv.lower <= 3 && iv.upper >= 28, "A\(i): \(iv)")
    }
  }

  @Test func seededResamplesGiveTheSameIntervalsEveryRun() throws {
    var csv = "code,numerator,denominator,x\n"
    for i in 0..<25 { csv += "A\(i),\(30 + 7 * i + (i % 4) * 9),\(1000 + 90 * i),\(Double(i) / 10)\n" }
    let boot = try Self.bootstrap(csv, formula: "numerator ~ x + offset(log(denominator))", family: .negativeBinomial)
    let a = boot.intervals(higherIsBetter: false, resamples: 300), b = boot.intervals(higherIsBetter: false, resamples: 300)
    #expect(a.map(\.lower) == b.map(\.lower) && a.map(\.upper) == b.map(\.upper))
    let c = boot.intervals(higherIsBetter: false, resamples: 300, seed: 99)
    // Another seed moves some end by a place or two, no more.
    #expect(zip(a, c).allSatisfy { abs($0.lower - $1.lower) <= 3 && abs($0.upper - $1.upper) <= 3 })
  }

  /// The resampled values centre on the pack's shrunk value: the same
  /// model and prior (ContextualShrinkage).
  @Test func resampledValuesCentreOnTheShrunkValues() throws {
    var csv = "code,numerator,denominator,x\n"
    for i in 0..<25 { csv += "A\(i),\(30 + 7 * i + (i % 4) * 9),\(1000 + 90 * i),\(Double(i) / 10)\n" }
    let boot = try Self.bootstrap(csv, formula: "numerator ~ x + offset(log(denominator))", family: .negativeBinomial)
    let shrunk = ContextualShrinkage.gammaPoisson(counts: boot.observed, expected: boot.expected, theta: boot.spread)
    var g = SeededGenerator(seed: 3)
    let rows: [Int?] = Array(0..<25)
    var sums = [Double](repeating: 0, count: 25), values = sums
    var kept = 0
    for _ in 0..<2000 where boot.resample(&g, rows: rows, values: &values) {
      for i in 0..<25 { sums[i] += values[i] }
      kept += 1
    }
    #expect(kept > 1900)
    for i in 0..<25 {
      let mean = sums[i] / Double(kept), target = shrunk[i] / boot.size[i]
      #expect(abs(mean / target - 1) < 0.03, "A\(i): mean \(mean), shrunk \(target)")
    }
  }
}

/// The bootstrap's binomial refits take two Fisher-scoring steps from the
/// full fit instead of iterating to 1e-8. For resamples drawn the way the
/// bootstrap draws them, what two steps leave is a small fraction of the
/// resampling spread itself (the spread is what the rank intervals
/// measure); one step alone leaves a visible part of it.
@Suite struct BootstrapRefitTests {
  @Test func twoStepsReachTheConvergedRefit() throws {
    let frame = try LeaveOneOutSkillTests.frame("cbind(s, trials - s) ~ x1 + x2")
    let full = try FittedModel.fit(frame: frame, family: .binomial)
    guard case .generalized(let g) = full, case .binomial(let s0, let f0)? = frame.response else {
      Issue.record("expected a binomial fit"); return
    }
    let trials = zip(s0, f0).map { $0 + $1 }
    var rng = SeededGenerator(seed: 7)
    var converged: [[Double]] = [], two: [[Double]] = [], one: [[Double]] = []
    for _ in 0..<40 {
      // Over-dispersed counts around the fit, as the beta-binomial resample draws them.
      let s = trials.indices.map { i in
        rng.binomial(trials: trials[i], probability: rng.beta(60 * g.fittedValues[i], 60 * (1 - g.fittedValues[i])))
      }
      let resampled = frame.replacingResponse(.binomial(successes: s, failures: zip(trials, s).map { $0 - $1 }))
      func mu(_ m: FittedModel) -> [Double] { if case .generalized(let r) = m { return r.fittedValues } else { return [] } }
      converged.append(mu(try FittedModel.refit(frame: resampled, family: .binomial, startingFrom: full)))
      two.append(mu(try FittedModel.bootstrapRefit(frame: resampled, family: .binomial, startingFrom: full)))
      one.append(mu(try FittedModel.bootstrapRefit(frame: resampled, family: .binomial, startingFrom: full, steps: 1)))
    }
    var worstTwo = 0.0, worstOne = 0.0
    for i in trials.indices {
      let values = converged.map { $0[i] }
      let mean = values.reduce(0, +) / Double(values.count)
      let sd = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count - 1)).squareRoot()
      for r in converged.indices {
        worstTwo = max(worstTwo, abs(two[r][i] - converged[r][i]) / sd)
        worstOne = max(worstOne, abs(one[r][i] - converged[r][i]) / sd)
      }
    }
    #expect(worstTwo < 0.01, "two steps leave \(worstTwo) of the resampling spread")
    #expect(worstOne > 0.1, "one step leaves \(worstOne) of the resampling spread: the second step matters")
  }

  /// Other families are refitted to convergence, as `refit` does.
  @Test func otherFamiliesRefitToConvergence() throws {
    let frame = try LeaveOneOutSkillTests.frame("cnt ~ x1 + x2 + offset(log(pop))")
    let full = try FittedModel.fit(frame: frame, family: .negativeBinomial)
    let a = try FittedModel.bootstrapRefit(frame: frame, family: .negativeBinomial, startingFrom: full, steps: 1)
    let b = try FittedModel.refit(frame: frame, family: .negativeBinomial, startingFrom: full)
    #expect(a.coefficients.map { $0! } == b.coefficients.map { $0! })
  }
}
