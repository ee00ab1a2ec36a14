import Foundation
import PeerLensNumerics
import PeerLensStatistics
import Testing

/// REML τ² with covariates, on metafor's worked example: the BCG trials'
/// log risk ratios on absolute latitude (Tests/Fixtures/meta/README.md).
@Suite struct MetaRegressionTests {
  static func ablat() throws -> [Double] {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Fixtures/meta/bcg_ablat.csv")
    return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").dropFirst().map { line in
      try #require(Double(line.split(separator: ",")[1]))
    }
  }

  /// τ², coefficients and their standard errors against an independent
  /// 40-digit maximisation of the restricted likelihood.
  @Test func bcgOnLatitudeMatchesTheReference() throws {
    let (y, v) = try BetweenUnitVarianceTests.bcg()
    let lat = try Self.ablat()
    try #require(lat.count == y.count)
    let design = DesignMatrix(matrix: Matrix(rowArrays: lat.map { [1, $0] }), columnNames: ["(Intercept)", "ablat"],
                              hasIntercept: true)
    let tau2 = try MetaRegression.remlTauSquared(design: design, response: y, samplingVariances: v)
    #expect(abs(tau2 - 0.0763479639551982) < 1e-10, "τ² \(tau2)")
    let fit = try LinearModel().fit(design, response: y, weights: v.map { 1 / ($0 + tau2) })
    let b = fit.coefficients.map { $0! }
    // metafor's z-test standard errors are √diag((XᵀWX)⁻¹), unscaled by σ̂.
    let se = (0..<2).map { fit.unscaledCovariance[$0, $0].squareRoot() }
    #expect(abs(b[0] - 0.251468210007372) < 1e-9 && abs(b[1] - -0.0291017250116497) < 1e-11, "\(b)")
    #expect(abs(se[0] - 0.249095396616759) < 1e-9 && abs(se[1] - 0.00719532722090436) < 1e-11, "\(se)")
  }

  /// With an intercept alone the equation is the one-mean REML of
  /// `BetweenUnitVariance`: the two must agree to rounding.
  @Test func interceptOnlyIsTheOneMeanREML() throws {
    let (y, v) = try BetweenUnitVarianceTests.bcg()
    let design = DesignMatrix(matrix: Matrix(rows: y.count, columns: 1, repeating: 1), columnNames: ["(Intercept)"],
                              hasIntercept: true)
    let t2 = try MetaRegression.remlTauSquared(design: design, response: y, samplingVariances: v)
    #expect(abs(t2 - BetweenUnitVariance.reml.estimate(y: y, v: v)) < 1e-12)
  }

  /// τ² follows the response's scale: BCG's effects times 10⁶ (variances
  /// times 10¹²) give τ² times 10¹² to rounding, where the bracket had
  /// stopped at 2⁴⁰; effects far wider than their chance variance allows
  /// are refused, not answered with the bracket's end.
  @Test func tauSquaredFollowsTheScaleAndRefusesNoRoot() throws {
    let (y, v) = try BetweenUnitVarianceTests.bcg()
    let design = DesignMatrix(matrix: Matrix(rowArrays: try Self.ablat().map { [1, $0] }),
                              columnNames: ["(Intercept)", "ablat"], hasIntercept: true)
    let base = try MetaRegression.remlTauSquared(design: design, response: y, samplingVariances: v)
    let big = try MetaRegression.remlTauSquared(design: design, response: y.map { $0 * 1e6 },
                                                samplingVariances: v.map { $0 * 1e12 })
    #expect(abs(big / 1e12 - base) < 1e-10 * base, "\(big)")
    let error = #expect(throws: ModelError.self) {
      try MetaRegression.remlTauSquared(design: design, response: y.map { $0 * 1e9 }, samplingVariances: v)
    }
    #expect(error?.localizedDescription.contains("2⁴⁰") == true, "\(String(describing: error))")
  }

  /// Covariates that account for the spread leave no τ²; a sampling
  /// variance that is not positive is refused, naming its row.
  @Test func explainedSpreadAndBadVariances() throws {
    let x: [Double] = [1, 2, 3, 4, 5, 6]
    let y = x.map { 2 + 0.5 * $0 }
    let design = DesignMatrix(matrix: Matrix(rowArrays: x.map { [1, $0] }), columnNames: ["(Intercept)", "x"],
                              hasIntercept: true)
    #expect(try MetaRegression.remlTauSquared(design: design, response: y, samplingVariances: x.map { _ in 0.1 }) == 0)
    let error = #expect(throws: ModelError.self) {
      try MetaRegression.remlTauSquared(design: design, response: y, samplingVariances: [0.1, 0.1, 0, 0.1, 0.1, 0.1])
    }
    guard case .invalidWeight(let row, _)? = error else { Issue.record("\(String(describing: error))"); return }
    #expect(row == 2)
  }
}
