import Foundation
import Testing
@testable import PeerLensAnalysis
import PeerLensData
import PeerLensNumerics
import PeerLensStatistics
import _PeerLensTestSupport

/// Attainment 8's contextual models weight each authority by
/// 1/(τ² + σ²/n) (`sampling_variance = "pupil_sd"`): a random-effects
/// meta-regression, so that a mean on 8 pupils gets a wider prediction
/// interval than one on 300.
///
/// Unweighted, the intervals had one width for every cohort: over
/// 2018/19–2024/25, 11% of the smallest third of children-in-care cohorts
/// lay outside the 95% interval against 0.3% of the largest third.
@Suite struct ScoreRandomEffectsTests {
  static let groups = ["ks4_att8_cla", "ks4_att8_cpp", "ks4_att8_cin"]

  static func spec(_ id: String) throws -> ContextModelSpec {
    try ContextModelSpec.load(from: ContextModelTests.models.appendingPathComponent("context/\(id).toml"))
  }

  /// The same model without its weights: what the packs fitted before.
  static func unweighted(_ s: ContextModelSpec) -> ContextModelSpec {
    ContextModelSpec(indicator: s.indicator, family: s.family, link: s.link, formula: s.formula, notes: s.notes)
  }

  /// Shares outside the 95% prediction interval in the smallest and the
  /// largest third of cohorts, pooled over every year.
  static func outsideBySize(_ spec: ContextModelSpec, engine: ContextEngine,
                            values: [IndicatorValue]) throws -> (small: Double, large: Double) {
    var rows: [(n: Double, outside: Bool)] = []
    for period in Set(values.filter { $0.level == .localAuthority && $0.status == .ok }.map(\.period)).sorted() {
      let run = try engine.run(spec: spec, period: period.code, values: values, coverage: false)
      for a in run.authorities where !["missing", "no_expectation"].contains(a.position) {
        rows.append((try #require(a.denominator), a.position != "within"))
      }
    }
    rows.sort { $0.n < $1.n }
    let k = rows.count / 3
    let share = { (part: ArraySlice<(n: Double, outside: Bool)>) in Double(part.filter(\.outside).count) / Double(k) }
    return (share(rows.prefix(k)), share(rows.suffix(k)))
  }

  /// Weighted, small and large cohorts fall outside alike (within 3.5
  /// points, each near 5%); unweighted, the smallest third fell outside
  /// at least 5 points more often than the largest, in every group.
  @Test(arguments: groups)
  func smallAndLargeCohortsAreOutsideAlike(_ id: String) throws {
    let engine = try ContextModelTests.engine()
    let values = try IndicatorCalculator(mirror: DataMirror(root: TestData.data)).values(engine.indicator(id))
    let spec = try Self.spec(id)
    #expect(spec.samplingVariance == .pupilSD)
    let weighted = try Self.outsideBySize(spec, engine: engine, values: values)
    #expect(abs(weighted.small - weighted.large) < 0.035, "\(id) weighted: \(weighted)")
    #expect((0.015...0.09).contains(weighted.small) && (0.015...0.09).contains(weighted.large), "\(id): \(weighted)")
    let plain = try Self.outsideBySize(Self.unweighted(spec), engine: engine, values: values)
    #expect(plain.small - plain.large > 0.05, "\(id) unweighted: \(plain)")
  }

  /// The fit is R's `lm(value ~ ..., weights = 1/(τ² + σ²/n))`: τ²
  /// maximises the restricted likelihood (checked on both sides, the
  /// likelihood computed from its definition with a Cholesky
  /// log-determinant); each interval is ŷ ± t·√(s²(τ² + σ²/n) + se²) with
  /// s the residual scale where above 1, else 1 (Knapp–Hartung's ad hoc
  /// rule). 2023/24 has s > 1, 2022/23 s < 1: both sides are checked.
  @Test func theFitIsTheWeightedRegressionItSaysItIs() throws {
    let engine = try ContextModelTests.engine()
    var scales: [Double] = []
    for period in ["202324", "202223"] {
      scales.append(try Self.checkFit(try engine.run(spec: Self.spec("ks4_att8_cla"), period: period, coverage: false)))
    }
    #expect(scales[0] > 1 && scales[1] < 1, "residual scales \(scales)")
  }

  /// Checks one fit as above; returns its residual scale s.
  static func checkFit(_ run: ContextModelRun) throws -> Double {
    let re = try #require(run.randomEffects)
    #expect(re.pupilSD == 19)
    #expect(run.authorities.allSatisfy { $0.shrunk == nil })
    #expect(re.tauSquared > 0)
    guard case .values(let y)? = run.frame.response else { Issue.record("no response"); return .nan }
    let x = run.frame.design.matrix
    let pupils = try run.frame.rowIndices.map { try #require(run.authorities[$0].denominator) }
    func restricted(_ t2: Double) throws -> Double {
      let w = pupils.map { 1 / (t2 + 361 / $0) }
      var xtwx = Matrix(rows: x.columns, columns: x.columns)
      var xtwy = [Double](repeating: 0, count: x.columns)
      for i in 0..<x.rows {
        for a in 0..<x.columns {
          xtwy[a] += w[i] * x[i, a] * y[i]
          for b in 0..<x.columns { xtwx[a, b] += w[i] * x[i, a] * x[i, b] }
        }
      }
      let chol = try Cholesky(xtwx)
      let beta = try chol.solve(xtwy)
      var rss = 0.0
      for i in 0..<x.rows {
        var r = y[i]
        for a in 0..<x.columns { r -= x[i, a] * beta[a] }
        rss += w[i] * r * r
      }
      return -0.5 * (w.reduce(0) { $0 - log($1) } + chol.logDeterminant + rss)
    }
    // τ² without context: the one-mean REML, by the meta-regression's own
    // code with an intercept alone, gives the share beyond chance.
    let intercept = DesignMatrix(matrix: Matrix(rows: x.rows, columns: 1, repeating: 1), columnNames: ["(Intercept)"],
                                 hasIntercept: true)
    let t0 = try MetaRegression.remlTauSquared(design: intercept, response: y, samplingVariances: pupils.map { 361 / $0 })
    #expect(abs(t0 - re.tauSquaredWithoutContext) < 1e-9 * max(1, t0))
    #expect(abs(try #require(re.shareBeyondChanceExplained) - max(0, (t0 - re.tauSquared) / t0)) < 1e-9)
    let top = try restricted(re.tauSquared)
    for step in [0.9, 1.1] { #expect(try restricted(re.tauSquared * step) < top, "τ² × \(step)") }

    guard case .linear(let f) = run.model else { Issue.record("expected least squares"); return .nan }
    let t = StudentT(degreesOfFreedom: Double(f.degreesOfFreedom)).quantile(0.975)
    var checked = 0
    for a in run.authorities {
      guard let n = a.denominator, let e = a.expected, let l = a.predictionLower95, let u = a.predictionUpper95,
            let lo = a.expectedLower else { continue }
      let scale = max(1, f.sigma)
      let se = (e - lo) / t
      let half = t * (scale * scale * (re.tauSquared + 361 / n) + se * se).squareRoot()
      #expect(abs(u - (e + half)) < 1e-9 && abs(l - (e - half)) < 1e-9, "\(a.name)")
      checked += 1
    }
    #expect(checked > 140)
    return f.sigma
  }

  /// The key is refused where it cannot mean what it says, naming it.
  @Test func theKeyIsRefusedWhereItDoesNotApply() throws {
    let engine = try ContextModelTests.engine()
    let cla = try Self.spec("ks4_att8_cla")
    let nb = ContextModelSpec(indicator: "cla_rate", family: .negativeBinomial, formula: "numerator ~ imd19_avg_score + "
                                + "offset(log(denominator))", samplingVariance: .pupilSD)
    let noSpread = ContextModelSpec(indicator: "cla_rate", family: .gaussian, formula: "value ~ imd19_avg_score",
                                    samplingVariance: .pupilSD)
    let logLink = ContextModelSpec(indicator: cla.indicator, family: .gaussian, link: "log", formula: cla.formula,
                                   samplingVariance: .pupilSD)
    let logResponse = ContextModelSpec(indicator: cla.indicator, family: .gaussian,
                                       formula: cla.formula.replacingOccurrences(of: "value ~", with: "log(value) ~"),
                                       samplingVariance: .pupilSD)
    let points = ContextModelSpec(indicator: cla.indicator, family: .gaussian,
                                  formula: cla.formula.replacingOccurrences(of: "value ~", with: "numerator ~"),
                                  samplingVariance: .pupilSD)
    for (spec, words) in [(nb, "family is \"negative-binomial\""), (noSpread, "no pupil_sd"), (logLink, "link \"log\""),
                          (logResponse, "response is 'log(value)'"), (points, "response is 'numerator'")] {
      #expect {
        _ = try engine.run(spec: spec, coverage: false)
      } throws: { error in
        let m = error.localizedDescription
        return m.contains("sampling_variance = \"pupil_sd\"") && m.contains(words)
      }
    }
    #expect {
      _ = try ContextModelSpec.decode("indicator = \"ks4_att8_cla\"\nfamily = \"gaussian\"\nformula = \"value ~ 1\"\n"
                                        + "sampling_variance = \"pupils\"\n", source: "x.toml")
    } throws: { error in
      let m = error.localizedDescription
      return m.contains("x.toml") && m.contains("\"pupil_sd\"")
    }
  }
}
