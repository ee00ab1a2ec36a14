import Foundation
import Testing
import PeerLensNumerics
@testable import PeerLensStatistics

/// The multi-year random-intercept GLMM (issue 17.6) against lme4:
/// `glmer(..., nAGQ = 1)` and `glmer.nb` on a constructed panel of 60
/// authorities over five years (Tests/Fixtures/methods/make_glmm_fixture.R),
/// and the Laplace approximation against brute-force integration.
@Suite struct RandomInterceptGLMMTests {
  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/methods")

  struct Panel {
    let design: Matrix
    let groups: [Int]
    let successes: [Double], trials: [Double], counts: [Double], logExposure: [Double]
  }

  /// The panel, with the design R builds: intercept, x, and a dummy for each
  /// year after the first.
  static func panel() throws -> Panel {
    let text = try String(contentsOf: folder.appendingPathComponent("glmm_data.csv"), encoding: .utf8)
    var lines = text.split(separator: "\n").map { $0.split(separator: ",").map { String($0).replacingOccurrences(of: "\"", with: "") } }
    let header = lines.removeFirst()
    func col(_ name: String) -> [String] { let k = header.firstIndex(of: name)!; return lines.map { $0[k] } }
    let ids = col("id"), years = col("year").map { Int($0)! }, x = col("x").map { Double($0)! }
    let codes = Array(Set(ids)).sorted()
    let index = Dictionary(uniqueKeysWithValues: codes.enumerated().map { ($1, $0) })
    let yearLevels = Array(Set(years)).sorted().dropFirst()
    var columns: [[Double]] = [[Double](repeating: 1, count: ids.count), x]
    for y in yearLevels { columns.append(years.map { $0 == y ? 1 : 0 }) }
    return Panel(design: Matrix(columns: columns), groups: ids.map { index[$0]! },
                 successes: col("successes").map { Double($0)! }, trials: col("n").map { Double($0)! },
                 counts: col("count").map { Double($0)! }, logExposure: col("exposure").map { log(Double($0)!) })
  }

  static func reference(_ model: String) throws -> [String: Double] {
    let text = try String(contentsOf: folder.appendingPathComponent("glmm_reference.csv"), encoding: .utf8)
    var out: [String: Double] = [:]
    for line in text.split(separator: "\n").dropFirst() {
      let f = line.split(separator: ",").map { String($0).replacingOccurrences(of: "\"", with: "") }
      if f[0] == model, let v = Double(f[2]) { out[f[1]] = v }
    }
    return out
  }

  static let terms = ["(Intercept)", "x", "factor(year)2022", "factor(year)2023", "factor(year)2024", "factor(year)2025"]

  /// lme4 stops with gradients near 1e-5, so its estimates carry about
  /// four or five digits: agreement to 2e-4 (absolute on the coefficients,
  /// relative on σ and θ), and a log-likelihood at least as high as
  /// lme4's, by no more than 1e-3.
  @Test func binomialMatchesGlmer() throws {
    let d = try Self.panel(), r = try Self.reference("binomial")
    let fit = try RandomInterceptGLMM(family: .binomial).fit(design: d.design, groups: d.groups, response: d.successes,
                                                              trials: d.trials)
    #expect(fit.converged)
    for (k, term) in Self.terms.enumerated() {
      #expect(abs(fit.coefficients[k] - r[term]!) < 2e-4, "\(term): \(fit.coefficients[k]) against \(r[term]!)")
    }
    #expect(abs(fit.standardDeviation / r["sd_intercept"]! - 1) < 2e-4, "σ \(fit.standardDeviation)")
    #expect(fit.logLikelihood >= r["loglik"]! - 1e-6 && fit.logLikelihood - r["loglik"]! < 1e-3, "loglik \(fit.logLikelihood)")
  }

  @Test func negativeBinomialMatchesGlmerNB() throws {
    let d = try Self.panel(), r = try Self.reference("negative-binomial")
    let fit = try RandomInterceptGLMM(family: .negativeBinomial).fit(design: d.design, groups: d.groups, response: d.counts,
                                                                      offset: d.logExposure)
    #expect(fit.converged)
    for (k, term) in Self.terms.enumerated() {
      #expect(abs(fit.coefficients[k] - r[term]!) < 2e-4, "\(term): \(fit.coefficients[k]) against \(r[term]!)")
    }
    #expect(abs(fit.standardDeviation / r["sd_intercept"]! - 1) < 2e-4, "σ \(fit.standardDeviation)")
    #expect(abs(try #require(fit.theta) / r["theta"]! - 1) < 2e-3, "θ \(fit.theta ?? .nan)")
    #expect(fit.logLikelihood >= r["loglik"]! - 1e-6 && fit.logLikelihood - r["loglik"]! < 1e-3, "loglik \(fit.logLikelihood)")
  }

  /// The Laplace approximation of one group's marginal likelihood against
  /// the integral by the trapezoid rule on a fine grid around the mode:
  /// with hundreds of trials per year the integrand is close to Gaussian,
  /// so the two agree closely (and the mode itself must be right for them
  /// to agree at all).
  @Test func laplaceApproximationMatchesBruteForceIntegration() throws {
    let d = try Self.panel()
    let model = RandomInterceptGLMM(family: .binomial)
    let fit = try model.fit(design: d.design, groups: d.groups, response: d.successes, trials: d.trials)
    let sigma = fit.standardDeviation
    for g in [0, 17, 42] {
      let rows = d.groups.indices.filter { d.groups[$0] == g }
      let eta = rows.map { i in (0..<d.design.columns).reduce(0.0) { $0 + d.design[i, $1] * fit.coefficients[$1] } }
      func logIntegrand(_ u: Double) -> Double {
        var h = -u * u / (2 * sigma * sigma) - log(sigma) - 0.5 * log(2 * Double.pi)
        for (k, i) in rows.enumerated() { h += model.term(eta[k] + u, y: d.successes[i], trials: d.trials[i], theta: 0).0 }
        return h
      }
      let mode = fit.randomEffects[g], se = fit.randomEffectStandardErrors[g]
      let top = logIntegrand(mode)
      var integral = 0.0
      let step = se / 200
      for k in -4000...4000 { integral += exp(logIntegrand(mode + Double(k) * step) - top) * step }
      let brute = top + log(integral)
      let laplace = top + 0.5 * log(2 * Double.pi) + log(se)
      #expect(abs(brute - laplace) < 2e-3, "group \(g): brute force \(brute), Laplace \(laplace)")
      // The mode: the integrand falls away on both sides.
      #expect(logIntegrand(mode + se / 10) < top && logIntegrand(mode - se / 10) < top)
    }
  }
}
