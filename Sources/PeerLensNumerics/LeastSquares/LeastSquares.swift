import Foundation

/// Least squares at the matrix level, the way R's `lm.fit` works: no
/// formulas, no names, just `X` and `y`.
///
/// The solve is built for accuracy first:
/// 1. **Exact column scaling.** Each column is divided by the power of two
///    nearest its 2-norm, which equilibrates the problem without any
///    rounding error.
/// 2. **Aliasing the way R reports it.** Walking the columns in order, a
///    column whose distance from the span of the columns kept so far is
///    below `aliasTolerance` × its own norm is *aliased* (R's `NA`), as in
///    R's `dqrdc2`; the rest are kept. The distances come from LAPACK
///    `dgeqrf`-style factorizations (through `PivotedQR` on prefixes).
/// 3. **Pivoted QR** (`dgeqp3`) of the kept columns.
/// 4. **Iterative refinement** of the augmented system
///    `[I X; Xᵀ 0][r; b] = [y; 0]` (Björck 1967), with the residuals of
///    each step accumulated in double-double arithmetic. This recovers the
///    digits that ill-conditioning costs (the NIST Wampler and Filip sets).
///    A well-conditioned problem (LAPACK's estimate of κ(R) at most
///    `refinementConditionLimit`) skips it: Householder QR's error bound
///    `ε(κ + κ²‖r‖/‖X‖‖b‖)` is then below 1e-11 relative, refinement would
///    change nothing a user could see, and IRLS — which solves thousands
///    of such small systems in a bootstrap — is spared its cost.
public enum LeastSquares {
  /// Above this estimated condition number (of the scaled, kept design)
  /// the solution is refined; at or below it one QR solve is used.
  public static let refinementConditionLimit = 100.0

  /// The default alias tolerance: columns nearer than this (relative) to
  /// the span of earlier ones are reported as not estimable. R's `lm` uses
  /// 1e-7, which refuses NIST's Filip problem; this smaller default keeps
  /// every column that double-double refinement can still estimate.
  public static let defaultAliasTolerance = 1e-12

  /// Solves `min ‖y − Xb‖₂`.
  ///
  /// - Parameters:
  ///   - x: the n×p design matrix.
  ///   - y: the response (length n).
  ///   - aliasTolerance: see the type's documentation.
  /// - Returns: a `LeastSquaresSolution` whose aliased coefficients are `nil`.
  /// - Throws: `LinearAlgebraError.nonFinite` for NaN or infinite input.
  ///   - details: also compute `(XᵀX)⁻¹`, leverage and the condition
  ///     number. Loops that need only coefficients (IRLS steps) pass false.
  ///   - refine: allow iterative refinement. An IRLS step whose error the
  ///     next step corrects (the steps inside θ estimation, a
  ///     leave-one-out refit) passes false and gets one QR solve.
  ///   - lowOrder: the low-order parts of `X` and `y` (`X + Xlo` and
  ///     `y + ylo` are the data as stated, in double-double), when the
  ///     caller has them. Refinement then solves the stated problem rather
  ///     than its rounding to doubles, which is what NIST's Filip needs.
  public static func solve(
    _ x: Matrix, _ y: [Double], aliasTolerance: Double = defaultAliasTolerance, details: Bool = true,
    refine allowed: Bool = true, lowOrder: (x: Matrix, y: [Double])? = nil
  ) throws(LinearAlgebraError) -> LeastSquaresSolution {
    let n = x.rows, p = x.columns
    precondition(y.count == n, "Response length \(y.count) does not match \(n) rows")
    guard x.storage.allSatisfy(\.isFinite), y.allSatisfy(\.isFinite) else { throw .nonFinite }
    if let lowOrder {
      precondition(lowOrder.x.rows == n && lowOrder.x.columns == p && lowOrder.y.count == n,
                   "Low-order parts must match X and y")
      guard lowOrder.x.storage.allSatisfy(\.isFinite), lowOrder.y.allSatisfy(\.isFinite) else { throw .nonFinite }
    }

    // 1. Exact power-of-two scaling.
    var scale = [Double](repeating: 1, count: p)
    var scaled = x
    for j in 0..<p {
      var ss = 0.0
      for i in 0..<n { ss += x[i, j] * x[i, j] }
      let norm = ss.squareRoot()
      if norm > 0 && norm.isFinite {
        scale[j] = Double(sign: .plus, exponent: norm.exponent, significand: 1)
        for i in 0..<n { scaled[i, j] = x[i, j] / scale[j] }
      }
    }

    // 2. Sequential aliasing (R's dqrdc2 semantics). A full-rank design
    //    (the usual case) is recognised from one pivoted QR and skips the
    //    column-by-column search.
    var kept: [Int] = []
    var aliased = [Bool](repeating: false, count: p)
    let screen = p <= n && p > 0 ? try PivotedQR(scaled, relativeTolerance: aliasTolerance) : nil
    let fullRank = screen?.rank == p
    for j in 0..<p {
      if fullRank { kept.append(j); continue }
      let col = scaled.column(j)
      let norm = col.reduce(0) { $0 + $1 * $1 }.squareRoot()
      if norm == 0 { aliased[j] = true; continue }
      if kept.count >= n { aliased[j] = true; continue }
      let candidate = scaled.selectingColumns(kept + [j])
      let distance = try residualNormOfLastColumn(candidate)
      if distance <= aliasTolerance * norm { aliased[j] = true } else { kept.append(j) }
    }

    // 3. Pivoted QR of the kept columns (rank is decided already).
    let a = fullRank ? scaled : scaled.selectingColumns(kept)
    // The low-order parts, scaled and selected the same way (exactly: the
    // scales are powers of two).
    let low: (a: Matrix, y: [Double])? = lowOrder.map { lo in
      var m = lo.x
      for j in 0..<p where scale[j] != 1 { for i in 0..<n { m[i, j] = lo.x[i, j] / scale[j] } }
      return (fullRank ? m : m.selectingColumns(kept), lo.y)
    }
    // A full-rank design reuses the screening factorization.
    let qr: PivotedQR
    if fullRank, let screen { qr = try screen.withRank(p) } else { qr = try PivotedQR(a, relativeTolerance: 0) }
    let r = qr.rank
    var xs = try qr.leastSquares(y)
    let refine = allowed && r > 0 && qr.conditionEstimate() > refinementConditionLimit
    var resid = refine ? residual(a, xs, y, low: low) : plainResidual(a, xs, y)

    // 4. Björck refinement of the augmented system.
    if refine {
      var previousCorrection = Double.infinity
      for _ in 0..<6 {
        // f = y − r − A x, g = −Aᵀ r, both in double-double.
        let f = augmentedResidual(a, xs, y, resid, low: low)
        let g = (0..<a.columns).map { j -> Double in
          a.storage.withUnsafeBufferPointer { ap in
            resid.withUnsafeBufferPointer { rp in
              Compensated.dot(UnsafeBufferPointer(rebasing: ap[(j * n)..<((j + 1) * n)]), rp, negate: true)
            }
          }
        }
        // Pᵀg, then Rᵀh = Pᵀg.
        let pg = (0..<r).map { g[qr.permutation[$0]] }
        let h = try qr.solveR(pg, transpose: true)
        let d = qr.applyingQTranspose(f)
        let z = try qr.solveR((0..<r).map { d[$0] - h[$0] })
        var dr = d
        for k in 0..<r { dr[k] = h[k] }
        dr = qr.applyingQ(dr)
        var dx = [Double](repeating: 0, count: a.columns)
        for k in 0..<r { dx[qr.permutation[k]] = z[k] }
        var maxRel = 0.0
        for k in 0..<xs.count {
          xs[k] += dx[k]
          if xs[k] != 0 { maxRel = max(maxRel, abs(dx[k] / xs[k])) }
        }
        for i in 0..<n { resid[i] += dr[i] }
        // Stop once corrections are at the rounding level or stop shrinking.
        if maxRel <= 2 * Double.ulpOfOne || maxRel > 0.5 * previousCorrection { break }
        previousCorrection = maxRel
      }
      // Final residuals straight from the refined coefficients.
      resid = residual(a, xs, y, low: low)
    }

    // Back to the original scale.
    var coefficients = [Double?](repeating: nil, count: p)
    for (k, j) in kept.enumerated() { coefficients[j] = xs[k] / scale[j] }

    let fitted = (0..<n).map { y[$0] - resid[$0] }
    guard details else {
      return LeastSquaresSolution(
        coefficients: coefficients, aliased: aliased, rank: r, residuals: resid, fittedValues: fitted,
        unscaledCovariance: Matrix(rows: p, columns: p, repeating: .nan), leverage: [Double](repeating: .nan, count: n),
        conditionNumber: .nan)
    }

    // (XᵀX)⁻¹ restricted to kept columns: P R⁻¹ R⁻ᵀ Pᵀ, unscaled.
    let rinv = try qr.inverseR()
    var cov = Matrix(rows: p, columns: p, repeating: .nan)
    for a1 in 0..<r {
      for b1 in 0..<r {
        var s = 0.0
        for k in max(a1, b1)..<r { s += rinv[a1, k] * rinv[b1, k] }
        let ja = kept[qr.permutation[a1]], jb = kept[qr.permutation[b1]]
        cov[ja, jb] = s / (scale[ja] * scale[jb])
      }
    }

    // With the stated data (low-order parts) on an ill-conditioned problem,
    // the diagonal from R⁻¹ in double carries the rounding of X itself
    // (about κε relative). Each diagonal element is 1/‖xₖ − P₋ₖxₖ‖², the
    // squared residual norm of column k regressed on the others, which the
    // refined solver gets from the stated data to full precision.
    if let low, refine, r == a.columns, r >= 2, r <= 30 {
      for k in 0..<r {
        let others = (0..<r).filter { $0 != k }
        let sub = try solve(
          a.selectingColumns(others), a.column(k), aliasTolerance: 0, details: false,
          lowOrder: (low.a.selectingColumns(others), low.a.column(k)))
        let ss = Compensated.dot(sub.residuals, sub.residuals)
        if ss > 0 && ss.isFinite {
          let j = kept[k]
          cov[j, j] = 1 / ss / (scale[j] * scale[j])
        }
      }
    }

    // Leverage hᵢ = ‖row i of Q₁‖².
    let q1 = qr.thinQ(columns: r)
    var leverage = [Double](repeating: 0, count: n)
    for k in 0..<r { for i in 0..<n { leverage[i] += q1[i, k] * q1[i, k] } }

    return LeastSquaresSolution(
      coefficients: coefficients, aliased: aliased, rank: r, residuals: resid, fittedValues: fitted,
      unscaledCovariance: cov, leverage: leverage, conditionNumber: qr.conditionNumber())
  }

  /// Distance of the last column from the span of the others (|Rₖₖ| of an
  /// unpivoted QR; with the last column pinned last, pivoting the others
  /// first does not change it).
  static func residualNormOfLastColumn(_ m: Matrix) throws(LinearAlgebraError) -> Double {
    let k = m.columns - 1
    if k == 0 { return m.column(0).reduce(0) { $0 + $1 * $1 }.squareRoot() }
    let qr = try PivotedQR(m.selectingColumns(Array(0..<k)), relativeTolerance: 0)
    let qtc = qr.applyingQTranspose(m.column(k))
    var ss = 0.0
    for i in qr.rank..<qtc.count { ss += qtc[i] * qtc[i] }
    return ss.squareRoot()
  }

  /// `y − A x`, each element accumulated in double-double; with low-order
  /// parts, `(y + ylo) − (A + Alo) x`.
  static func residual(_ a: Matrix, _ x: [Double], _ y: [Double], low: (a: Matrix, y: [Double])? = nil) -> [Double] {
    let n = a.rows
    let correction = low.map { lo in (0..<n).map { i in lo.y[i] - lowProduct(lo.a, x, row: i) } }
    return a.storage.withUnsafeBufferPointer { ap in
      x.withUnsafeBufferPointer { xp in
        (0..<n).map { i in
          Compensated.dot(UnsafeBufferPointer(rebasing: ap[i...]), xp, stride: n,
                          startingAt: y[i], negate: true) + (correction?[i] ?? 0)
        }
      }
    }
  }

  /// Row `i` of `Alo x`: a term far below `A x`, so working precision is enough.
  static func lowProduct(_ aLow: Matrix, _ x: [Double], row i: Int) -> Double {
    var s = 0.0
    for j in 0..<x.count { s += aLow[i, j] * x[j] }
    return s
  }

  /// `y − A x` in working precision (BLAS `dgemv`), for solutions that
  /// are not refined.
  static func plainResidual(_ a: Matrix, _ x: [Double], _ y: [Double]) -> [Double] {
    let ax = a.multiplied(by: x)
    return (0..<a.rows).map { y[$0] - ax[$0] }
  }

  /// `y − r − A x` in double-double (with low-order parts when given).
  static func augmentedResidual(_ a: Matrix, _ x: [Double], _ y: [Double], _ r: [Double],
                                low: (a: Matrix, y: [Double])? = nil) -> [Double] {
    let n = a.rows
    return a.storage.withUnsafeBufferPointer { ap in
      x.withUnsafeBufferPointer { xp in
        (0..<n).map { i in
          let (s, e) = Compensated.twoSum(y[i], -r[i])
          let dot = Compensated.dot(UnsafeBufferPointer(rebasing: ap[i...]), xp, stride: n, startingAt: s, negate: true)
          guard let low else { return dot + e }
          return dot + (e + (low.y[i] - lowProduct(low.a, x, row: i)))
        }
      }
    }
  }
}

/// The result of `LeastSquares.solve`: an immutable value.
public struct LeastSquaresSolution: Sendable {
  /// Coefficients in the original column order; `nil` where aliased.
  public let coefficients: [Double?]
  /// `true` for columns that are not estimable (R's `NA`).
  public let aliased: [Bool]
  /// The number of estimable columns.
  public let rank: Int
  public let residuals: [Double]
  public let fittedValues: [Double]
  /// `(XᵀX)⁻¹` for the estimable columns; NaN in rows and columns of
  /// aliased ones.
  public let unscaledCovariance: Matrix
  /// Diagonal of the hat matrix.
  public let leverage: [Double]
  /// 2-norm condition number of the scaled, kept design.
  public let conditionNumber: Double
}
