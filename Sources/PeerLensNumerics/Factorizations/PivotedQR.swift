import CLAPACKE

/// A column-pivoted Householder QR factorization `A P = Q R` (LAPACK `dgeqp3`).
///
/// Built once and queried: solves, `Qᵀb`, `Qb`, `R⁻¹`, the thin `Q` and the
/// numerical rank all reuse the same factors. The pivoting puts the columns
/// in order of decreasing remaining norm, so `|R₀₀| ≥ |R₁₁| ≥ …` and the
/// numerical rank is the number of diagonal entries above
/// `tolerance × |R₀₀|`.
///
/// ```swift
/// let qr = try PivotedQR(x)
/// let beta = try qr.leastSquares(y)
/// ```
public struct PivotedQR: Sendable {
  /// The compact output of `dgeqp3`: R on and above the diagonal, the
  /// Householder vectors below it.
  public let factors: Matrix
  /// Householder scalars.
  public let tau: [Double]
  /// `permutation[k]` is the original column now at position `k` (0-based;
  /// LAPACK's pivots are 1-based and are converted here).
  public let permutation: [Int]
  /// Numerical rank at the tolerance given.
  public let rank: Int

  public var rows: Int { factors.rows }
  public var columns: Int { factors.columns }

  /// Factorizes `a`.
  ///
  /// - Parameter relativeTolerance: a diagonal entry of R counts towards the
  ///   rank when `|Rₖₖ| > relativeTolerance × |R₀₀|`. The default is LAPACK's
  ///   customary `max(m, n) × ε`.
  /// - Throws: `LinearAlgebraError.nonFinite` for NaN or infinite input,
  ///   `.lapack` if the routine reports an argument error.
  public init(_ a: Matrix, relativeTolerance: Double? = nil) throws(LinearAlgebraError) {
    guard a.storage.allSatisfy(\.isFinite) else { throw .nonFinite }
    let m = a.rows, n = a.columns
    var work = a
    var jpvt = [Int32](repeating: 0, count: n)
    var tau = [Double](repeating: 0, count: min(m, n))
    var info: Int32 = 0
    if m > 0 && n > 0 {
      // SAFETY: `work` is m×n column-major with lda = m; jpvt has n entries
      // (0 = free column), tau has min(m, n) (LAPACK dgeqp3 specification).
      info = work.storage.withUnsafeMutableBufferPointer { w in
        jpvt.withUnsafeMutableBufferPointer { p in
          tau.withUnsafeMutableBufferPointer { t in
            LAPACKE_dgeqp3(LAPACK_COL_MAJOR, Int32(m), Int32(n), w.baseAddress, Int32(max(1, m)),
                           p.baseAddress, t.baseAddress)
          }
        }
      }
    }
    try checkLAPACK("dgeqp3", info)
    self.factors = work
    self.tau = tau
    self.permutation = jpvt.map { Int($0) - 1 }
    let tol = relativeTolerance ?? (Double(max(m, n)) * Double.ulpOfOne)
    let k = min(m, n)
    let r00 = k > 0 ? abs(work[0, 0]) : 0
    var r = 0
    while r < k && abs(work[r, r]) > tol * r00 && r00 > 0 { r += 1 }
    self.rank = r
  }

  private init(factors: Matrix, tau: [Double], permutation: [Int], rank: Int) {
    self.factors = factors
    self.tau = tau
    self.permutation = permutation
    self.rank = rank
  }

  /// The same factorization with the rank set by the caller (who has
  /// decided it by another criterion).
  public func withRank(_ r: Int) throws(LinearAlgebraError) -> PivotedQR {
    precondition(r <= min(rows, columns))
    return PivotedQR(factors: factors, tau: tau, permutation: permutation, rank: r)
  }

  // MARK: - Applying Q

  /// `Qᵀ b` for a vector of length `rows` (LAPACK `dormqr`).
  public func applyingQTranspose(_ b: [Double]) -> [Double] { applyQ(b, transpose: true) }

  /// `Q b` for a vector of length `rows`.
  public func applyingQ(_ b: [Double]) -> [Double] { applyQ(b, transpose: false) }

  private func applyQ(_ b: [Double], transpose: Bool) -> [Double] {
    precondition(b.count == rows, "Vector length \(b.count) does not match \(rows) rows")
    var c = b
    let k = tau.count
    guard k > 0 else { return c }
    // SAFETY: A holds k reflectors in its first k columns (lda = m); C is
    // m×1 with ldc = m. LAPACKE allocates the workspace.
    let info = factors.storage.withUnsafeBufferPointer { a in
      tau.withUnsafeBufferPointer { t in
        c.withUnsafeMutableBufferPointer { cp in
          LAPACKE_dormqr(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "L")),
                         Int8(UInt8(ascii: transpose ? "T" : "N")),
                         Int32(rows), 1, Int32(k), a.baseAddress, Int32(rows),
                         t.baseAddress, cp.baseAddress, Int32(rows))
        }
      }
    }
    precondition(info == 0, "dormqr rejected its arguments (info \(info))")
    return c
  }

  /// The first `count` columns of Q, explicitly (LAPACK `dorgqr`).
  public func thinQ(columns count: Int? = nil) -> Matrix {
    let k = count ?? rank
    precondition(k <= tau.count)
    var q = factors.selectingColumns(Array(0..<k))
    guard k > 0 else { return q }
    // SAFETY: q is m×k with the first k reflectors; tau has ≥ k entries.
    let info = q.storage.withUnsafeMutableBufferPointer { a in
      tau.withUnsafeBufferPointer { t in
        LAPACKE_dorgqr(LAPACK_COL_MAJOR, Int32(rows), Int32(k), Int32(k), a.baseAddress,
                       Int32(rows), t.baseAddress)
      }
    }
    precondition(info == 0, "dorgqr rejected its arguments (info \(info))")
    return q
  }

  // MARK: - Triangular solves with the leading r×r block of R

  /// Solves `R₁₁ z = b` (or `R₁₁ᵀ z = b`) for the leading `rank × rank`
  /// block (LAPACK `dtrtrs`).
  public func solveR(_ b: [Double], transpose: Bool = false) throws(LinearAlgebraError) -> [Double] {
    let r = rank
    precondition(b.count == r)
    var x = b
    guard r > 0 else { return x }
    // SAFETY: the leading r×r upper triangle of `factors` (lda = m) is R₁₁.
    let info = factors.storage.withUnsafeBufferPointer { a in
      x.withUnsafeMutableBufferPointer { xp in
        LAPACKE_dtrtrs(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "U")),
                       Int8(UInt8(ascii: transpose ? "T" : "N")), Int8(UInt8(ascii: "N")),
                       Int32(r), 1, a.baseAddress, Int32(rows), xp.baseAddress, Int32(r))
      }
    }
    if info > 0 { throw .singular }
    try checkLAPACK("dtrtrs", info)
    return x
  }

  /// `R₁₁⁻¹` for the leading `rank × rank` block (LAPACK `dtrtri`).
  public func inverseR() throws(LinearAlgebraError) -> Matrix {
    let r = rank
    var inv = Matrix(rows: r, columns: r)
    for j in 0..<r { for i in 0...j { inv[i, j] = factors[i, j] } }
    guard r > 0 else { return inv }
    // SAFETY: `inv` is r×r upper triangular, lda = r.
    let info = inv.storage.withUnsafeMutableBufferPointer { a in
      LAPACKE_dtrtri(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "U")), Int8(UInt8(ascii: "N")),
                     Int32(r), a.baseAddress, Int32(r))
    }
    if info > 0 { throw .singular }
    try checkLAPACK("dtrtri", info)
    return inv
  }

  /// The upper-triangular factor's leading `rank × rank` block.
  public var r: Matrix {
    var out = Matrix(rows: rank, columns: rank)
    for j in 0..<rank { for i in 0...j { out[i, j] = factors[i, j] } }
    return out
  }

  /// The basic least-squares solution for the first `rank` pivoted
  /// columns; coefficients of columns beyond the rank are zero.
  public func leastSquares(_ y: [Double]) throws(LinearAlgebraError) -> [Double] {
    let qty = applyingQTranspose(y)
    let z = try solveR(Array(qty[0..<rank]))
    var beta = [Double](repeating: 0, count: columns)
    for k in 0..<rank { beta[permutation[k]] = z[k] }
    return beta
  }

  /// LAPACK's estimate (`dtrcon`, 1-norm) of the condition number of the
  /// leading `rank × rank` block of R: O(r²), so cheap enough to decide
  /// per solve whether iterative refinement is worth its cost.
  public func conditionEstimate() -> Double {
    let r = rank
    guard r > 0 else { return .infinity }
    var rcond = 0.0
    // SAFETY: the leading r×r upper triangle of `factors` (lda = m) is R₁₁.
    let info = factors.storage.withUnsafeBufferPointer { a in
      LAPACKE_dtrcon(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "1")), Int8(UInt8(ascii: "U")),
                     Int8(UInt8(ascii: "N")), Int32(r), a.baseAddress, Int32(rows), &rcond)
    }
    return info == 0 && rcond > 0 ? 1 / rcond : .infinity
  }

  /// An estimate of the 2-norm condition number of `R₁₁` (ratio of extreme
  /// singular values of R, from LAPACK `dgesdd` on the small factor).
  public func conditionNumber() -> Double {
    guard rank > 0, let s = try? SingularValueDecomposition.singularValues(of: r) else { return .infinity }
    guard let last = s.last, last > 0 else { return .infinity }
    return s[0] / last
  }
}
