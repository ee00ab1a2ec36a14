import Foundation
import Testing
import PeerLensNumerics
import PeerLensStatistics

/// Problems users meet on real data are reported in plain words, not hidden.
@Suite struct GLMDiagnosticsTests {
  @Test func separationIsReported() throws {
    // y is 1 exactly when x > 0: the maximum-likelihood slope is infinite.
    let x: [Double] = [-3, -2, -1.5, -1, -0.5, 0.5, 1, 1.5, 2, 3]
    let y: [Double] = x.map { $0 > 0 ? 1 : 0 }
    let fit = try GeneralizedLinearModel(family: .binomial, maxIterations: 50)
      .fit(DesignMatrix.withIntercept([x], names: ["x"]), response: .values(y))
    #expect(fit.diagnostics.contains { if case .fittedProbabilitiesZeroOrOne = $0 { return true } else { return false } })
    #expect(fit.summary(formula: "y ~ x").text.contains("separated"))
  }

  @Test func thetaRunningToInfinityIsReported() throws {
    // Under-dispersed counts: no over-dispersion, so θ → ∞.
    let x = (0..<40).map { Double($0 % 8) }
    let y = x.map { 5 + $0 }  // perfectly regular counts, variance below the Poisson's
    let fit = try NegativeBinomialModel().fit(DesignMatrix.withIntercept([x], names: ["x"]), response: y)
    #expect(fit.diagnostics.contains { if case .thetaVeryLarge = $0 { return true } else { return false } })
    #expect(fit.diagnostics.map(\.description).joined().contains("Poisson model fits"))
  }

  @Test func nonIntegerCountsAreReported() throws {
    let x: [Double] = [1, 2, 3, 4, 5, 6]
    let y: [Double] = [1.5, 2, 4, 3.2, 6, 7]
    let fit = try GeneralizedLinearModel(family: .poisson).fit(DesignMatrix.withIntercept([x], names: ["x"]), response: .values(y))
    #expect(fit.diagnostics.contains { if case .nonIntegerCounts = $0 { return true } else { return false } })
  }

  @Test func nonConvergenceIsReported() throws {
    var rng = SeededGenerator(seed: 4)
    let x = (0..<50).map { _ in rng.normal() }
    let y = x.map { Double(Int(exp(1 + 0.8 * $0) + rng.uniform() * 3)) }
    let fit = try GeneralizedLinearModel(family: .poisson, maxIterations: 1)
      .fit(DesignMatrix.withIntercept([x], names: ["x"]), response: .values(y))
    #expect(!fit.converged)
    #expect(fit.diagnostics.contains(.didNotConverge(iterations: 1)))
  }

  @Test func invalidInputsThrow() {
    let d = DesignMatrix.withIntercept([[1, 2, 3, 4]], names: ["x"])
    #expect(throws: ModelError.self) { try GeneralizedLinearModel(family: .poisson).fit(d, response: .values([1, -2, 3, 4])) }
    #expect(throws: ModelError.self) {
      try GeneralizedLinearModel(family: .poisson).fit(d, response: .values([1, 2, 3, 4]), offset: [0, -.infinity, 0, 0])
    }
    #expect(throws: ModelError.self) { try GeneralizedLinearModel(family: .binomial).fit(d, response: .values([0, 1, 2, 1])) }
    #expect(throws: ModelError.self) { try LinearModel().fit(d, response: [1, 2, 3, 4], weights: [1, -1, 1, 1]) }
  }

  @Test func heteroskedasticityConsistentErrorsMatchTheSandwichFormula() throws {
    // HC0 by hand: (XᵀX)⁻¹ Xᵀ diag(e²) X (XᵀX)⁻¹ for a one-regressor model.
    let x: [Double] = [1, 2, 3, 4, 5, 6, 7, 8]
    let y: [Double] = [1.1, 2.3, 2.8, 4.5, 4.9, 6.8, 6.9, 8.4]
    let fit = try LinearModel().fit(DesignMatrix.withIntercept([x], names: ["x"]), response: y)
    let n = Double(x.count)
    let sx = x.reduce(0, +), sxx = x.reduce(0) { $0 + $1 * $1 }
    let det = n * sxx - sx * sx
    let inv = [[sxx / det, -sx / det], [-sx / det, n / det]]
    var meat = [[0.0, 0.0], [0.0, 0.0]]
    for i in x.indices {
      let e2 = fit.residuals[i] * fit.residuals[i]
      let xi = [1.0, x[i]]
      for a in 0..<2 { for b in 0..<2 { meat[a][b] += e2 * xi[a] * xi[b] } }
    }
    var hc0 = [[0.0, 0.0], [0.0, 0.0]]
    for a in 0..<2 { for b in 0..<2 { for c in 0..<2 { for d in 0..<2 { hc0[a][b] += inv[a][c] * meat[c][d] * inv[d][b] } } } }
    let se = fit.standardErrors(.hc0)
    #expect(abs(se[1]! - hc0[1][1].squareRoot()) < 1e-12)
    // HC3 ≥ HC2 ≥ HC0 for every coefficient (leverages in (0, 1)).
    for k in 0..<2 { #expect(fit.standardErrors(.hc3)[k]! >= fit.standardErrors(.hc2)[k]! && fit.standardErrors(.hc2)[k]! >= se[k]!) }
  }
}
