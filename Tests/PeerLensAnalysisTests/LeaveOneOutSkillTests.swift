import Foundation
import Testing
import PeerLensAnalysis
import PeerLensData
import PeerLensStatistics

/// Leave-one-out skill (issue 24.1) against R: exact refits of `glm`,
/// `glm.nb` and `lm` in Tests/Fixtures/methods/make_loo_fixture.R, and
/// the one-step shortcut against the exact refits.
@Suite struct LeaveOneOutSkillTests {
  static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/methods")

  static func reference() throws -> [String: (inSample: Double, loo: Double)] {
    let text = try String(contentsOf: folder.appendingPathComponent("loo_reference.csv"), encoding: .utf8)
    var out: [String: (Double, Double)] = [:]
    for line in text.split(separator: "\n").dropFirst() {
      let f = line.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
      out[f[0]] = (Double(f[1])!, Double(f[2])!)
    }
    return out
  }

  static func frame(_ formula: String) throws -> ModelFrame {
    let table = try CSVReader.read(contentsOf: folder.appendingPathComponent("loo_data.csv"))
    return try ModelFrame.build(formula: FormulaParser.parse(formula), table: table)
  }

  static func check(_ formula: String, family: FamilyName, key: String, shortcutTolerance: Double) throws {
    let ref = try #require(try reference()[key])
    let frame = try frame(formula)
    let model = try FittedModel.fit(frame: frame, family: family)
    #expect(abs(model.pseudoRSquared - ref.inSample) < 1e-7, "\(key) in-sample \(model.pseudoRSquared) vs R \(ref.inSample)")
    let exact = try LeaveOneOutSkill.exact(frame: frame, family: family, link: nil, fitted: model)
    #expect(abs(exact.devianceExplained - ref.loo) < 1e-6, "\(key) LOO \(exact.devianceExplained) vs R \(ref.loo)")
    // Out of sample is never better than in sample here, and the shortcut tracks the refits.
    #expect(exact.devianceExplained < model.pseudoRSquared)
    let short = LeaveOneOutSkill.shortcut(fitted: model)
    #expect(abs(short.devianceExplained - exact.devianceExplained) < shortcutTolerance,
            "\(key) shortcut \(short.devianceExplained) vs exact \(exact.devianceExplained)")
  }

  @Test func binomialMatchesRRefits() throws {
    try Self.check("cbind(s, trials - s) ~ x1 + x2", family: .binomial, key: "binomial", shortcutTolerance: 0.01)
  }

  @Test func negativeBinomialMatchesRRefits() throws {
    // θ is re-estimated in every fold (glm.nb does the same).
    try Self.check("cnt ~ x1 + x2 + offset(log(pop))", family: .negativeBinomial, key: "negative_binomial",
                   shortcutTolerance: 0.02)
  }

  /// A leave-one-out refit starts from the full fit (coefficients and θ)
  /// and stops at R's tolerance; it must reach the maximum a fit from
  /// scratch reaches, for every fold.
  @Test(arguments: [("cnt ~ x1 + x2 + offset(log(pop))", FamilyName.negativeBinomial),
                    ("cbind(s, trials - s) ~ x1 + x2", FamilyName.binomial),
                    ("cnt ~ x1 + x2 + offset(log(pop))", FamilyName.poisson)])
  func warmStartedRefitsReachTheColdFit(formula: String, family: FamilyName) throws {
    let frame = try Self.frame(formula)
    let full = try FittedModel.fit(frame: frame, family: family)
    let rows = Array(0..<frame.design.rows)
    for i in rows {
      var kept = rows
      kept.remove(at: i)
      let subset = frame.selectingRows(kept)
      let cold = try FittedModel.fit(frame: subset, family: family)
      let warm = try FittedModel.refit(frame: subset, family: family, startingFrom: full)
      for (a, b) in zip(cold.coefficients, warm.coefficients) {
        let a = try #require(a), b = try #require(b)
        #expect(abs(a - b) <= 1e-6 * max(1, abs(a)), "\(family) fold \(i): \(a) vs \(b)")
      }
      if let t = cold.theta {
        let u = try #require(warm.theta)
        #expect(abs(t - u) <= 1e-5 * t, "\(family) fold \(i): θ \(t) vs \(u)")
      }
    }
  }

  /// For least squares the shortcut eᵢ/(1 − hᵢᵢ) is exact.
  @Test func leastSquaresShortcutIsExact() throws {
    try Self.check("g ~ x1 + x2", family: .gaussian, key: "gaussian", shortcutTolerance: 1e-10)
  }

  /// A response unrelated to the predictors has skill at or below zero:
  /// the refitted model predicts worse than pooling the others.
  @Test func noiseHasNoSkill() throws {
    let frame = try Self.frame("g ~ trials + pop")
    let model = try FittedModel.fit(frame: frame, family: .gaussian)
    let loo = try LeaveOneOutSkill.exact(frame: frame, family: .gaussian, link: nil, fitted: model)
    #expect(loo.devianceExplained < 0.05)
    #expect(loo.devianceExplained < model.pseudoRSquared)
  }
}
