import Foundation
import Testing
import PeerLensNumerics
import _PeerLensTestSupport

/// The least-squares core refines only when the problem needs it; these
/// tests pin the two facts that policy rests on.
@Suite struct LeastSquaresRefinementTests {
  /// A random n×p matrix with columns on very different scales (the power-of-two
  /// scaling in `LeastSquares` must make them harmless).
  static func design(rows n: Int, columns p: Int, seed: UInt64) -> Matrix {
    var rng = SeededGenerator(seed: seed)
    var storage = [Double](repeating: 0, count: n * p)
    for j in 0..<p {
      let scale = pow(10.0, Double(j) - 2)
      for i in 0..<n { storage[j * n + i] = j == 0 ? 1 : scale * rng.normal() }
    }
    return Matrix(rows: n, columns: p, columnMajor: storage)
  }

  @Test func conditionEstimateBracketsTheSingularValueRatio() throws {
    // dtrcon estimates κ₁(R); κ₁ and κ₂ differ by at most a factor p, and
    // the estimate is a lower bound usually within a factor 3 of κ₁.
    for (seed, p) in [(UInt64(1), 3), (2, 5), (3, 8)] {
      let x = Self.design(rows: 60, columns: p, seed: seed)
      let qr = try PivotedQR(x)
      let s = try SingularValueDecomposition.singularValues(of: qr.r)
      let kappa2 = s[0] / s[s.count - 1]
      let estimate = qr.conditionEstimate()
      #expect(estimate >= kappa2 / (3 * Double(p)) && estimate <= Double(p) * kappa2,
              "estimate \(estimate) vs κ₂ \(kappa2)")
    }
    // A nearly collinear pair is reported as ill-conditioned.
    var rng = SeededGenerator(seed: 9)
    let a = (0..<40).map { _ in rng.normal() }
    let b = a.map { $0 + 1e-9 * rng.normal() }
    let bad = Matrix(columns: [[Double](repeating: 1, count: 40), a, b])
    #expect(try PivotedQR(bad).conditionEstimate() > 1e6)
  }

  @Test func wellConditionedSolveWithoutRefinementIsExactToRounding() throws {
    // y = X b exactly plus a residual orthogonal to X: the solution is b.
    let n = 80, p = 5
    let x = Self.design(rows: n, columns: p, seed: 11)
    let b: [Double] = [3, -1.25, 0.5, 2, -0.75]
    var rng = SeededGenerator(seed: 12)
    let noise = (0..<n).map { _ in rng.normal() }
    // Project the noise off the columns of X so that b is the exact answer.
    let qr = try PivotedQR(x)
    var qtn = qr.applyingQTranspose(noise)
    for k in 0..<p { qtn[k] = 0 }
    let orthogonal = qr.applyingQ(qtn)
    let xb = x.multiplied(by: b)
    let y = (0..<n).map { xb[$0] + orthogonal[$0] }
    let sol = try LeastSquares.solve(x, y)
    // With unit-norm columns (what the solver's scaling amounts to) the
    // problem is below the refinement limit, so this checks the plain path.
    var unit = [Double](repeating: 0, count: n * p)
    for j in 0..<p {
      let col = (0..<n).map { x[$0, j] }
      let norm = col.reduce(0) { $0 + $1 * $1 }.squareRoot()
      for i in 0..<n { unit[j * n + i] = col[i] / norm }
    }
    #expect(try PivotedQR(Matrix(rows: n, columns: p, columnMajor: unit)).conditionEstimate()
            <= LeastSquares.refinementConditionLimit)
    for k in 0..<p {
      let est = try #require(sol.coefficients[k])
      #expect(abs(est - b[k]) <= 1e-12 * max(1, abs(b[k])), "coefficient \(k): \(est) vs \(b[k])")
    }
    for i in 0..<n { #expect(abs(sol.residuals[i] - orthogonal[i]) <= 1e-12) }
  }
}
