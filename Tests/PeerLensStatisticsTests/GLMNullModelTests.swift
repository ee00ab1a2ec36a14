import Foundation
import Testing
import PeerLensNumerics
import PeerLensStatistics

/// The intercept-only fit behind every null deviance takes a shortcut (a
/// weighted mean instead of a QR solve, and a closed-form start for the log
/// link). These tests check the shortcut against the general path.
@Suite struct GLMNullModelTests {
  /// Over-dispersed counts with an exposure offset, like rates per 10,000 children.
  static func counts(seed: UInt64, n: Int = 120) -> (x: [Double], y: [Double], offset: [Double]) {
    var rng = SeededGenerator(seed: seed)
    let x = (0..<n).map { _ in rng.normal() }
    let population = (0..<n).map { _ in 5_000 + 200_000 * rng.uniform() }
    let y = (0..<n).map { i -> Double in
      let mean = population[i] * 0.007 * exp(0.4 * x[i])
      let gammaShock = -log(max(1e-12, rng.uniform())) // Exp(1): extra-Poisson variation
      return (mean * (0.5 + gammaShock * 0.5)).rounded()
    }
    return (x, y, population.map { log($0) })
  }

  @Test(arguments: [GLMFamily.poisson, .negativeBinomial(theta: 6.5), .quasiPoisson])
  func interceptOnlyShortcutEqualsTheGeneralSolve(family: GLMFamily) throws {
    let (_, y, offset) = Self.counts(seed: 21)
    let n = y.count
    let ones = DesignMatrix(matrix: Matrix(rows: n, columns: 1, repeating: 1), columnNames: ["(Intercept)"],
                            hasIntercept: true)
    // The same column space through the QR path: a constant column of twos.
    let twos = DesignMatrix(matrix: Matrix(rows: n, columns: 1, repeating: 2), columnNames: ["two"],
                            hasIntercept: false)
    let spec = GeneralizedLinearModel(family: family, tolerance: 1e-13)
    let a = try spec.fit(ones, response: .values(y), offset: offset)
    let b = try spec.fit(twos, response: .values(y), offset: offset)
    let a0 = try #require(a.coefficients[0]), b0 = try #require(b.coefficients[0])
    #expect(a.converged && b.converged)
    #expect(abs(a0 - 2 * b0) <= 1e-12 * abs(a0), "\(a0) vs 2 × \(b0)")
    #expect(abs(a.deviance - b.deviance) <= 1e-11 * a.deviance)
    let seA = try #require(a.standardErrors[0]), seB = try #require(b.standardErrors[0])
    #expect(abs(seA - 2 * seB) <= 1e-10 * seA)
    // The null deviance of the intercept-only model is its own deviance.
    #expect(abs(a.nullDeviance - a.deviance) <= 1e-11 * a.deviance)
  }

  @Test func nullDevianceOfAFullModelIsTheInterceptOnlyDeviance() throws {
    let (x, y, offset) = Self.counts(seed: 22)
    let design = DesignMatrix.withIntercept([x], names: ["x"])
    let nb = try NegativeBinomialModel().fit(design, response: y, offset: offset)
    let theta = try #require(nb.theta)
    // Fitted from R's μ-start through the QR path (a column of twos), not the shortcut.
    let twos = DesignMatrix(matrix: Matrix(rows: y.count, columns: 1, repeating: 2), columnNames: ["two"],
                            hasIntercept: false)
    let null = try GeneralizedLinearModel(family: .negativeBinomial(theta: theta), tolerance: 1e-13)
      .fit(twos, response: .values(y), offset: offset)
    #expect(abs(nb.nullDeviance - null.deviance) <= 1e-10 * null.deviance,
            "null deviance \(nb.nullDeviance) vs \(null.deviance)")
    #expect(nb.deviance < nb.nullDeviance)
  }
}
