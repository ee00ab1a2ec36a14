import CLAPACKE

/// A Cholesky factorization `A = Uᵀ U` of a symmetric positive-definite
/// matrix (LAPACK `dpotrf`, upper triangle).
///
/// If the factorization fails it throws and must not be used, as in
/// gonum's `Cholesky.Factorize`.
public struct Cholesky: Sendable {
  /// The factor U in the upper triangle (the strict lower part is zero).
  public let upper: Matrix

  public init(_ a: Matrix) throws(LinearAlgebraError) {
    precondition(a.rows == a.columns, "Cholesky needs a square matrix")
    guard a.storage.allSatisfy(\.isFinite) else { throw .nonFinite }
    var u = a
    let n = a.rows
    if n > 0 {
      // SAFETY: u is n×n column-major, lda = n.
      let info = u.storage.withUnsafeMutableBufferPointer { p in
        LAPACKE_dpotrf(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "U")), Int32(n), p.baseAddress, Int32(n))
      }
      if info > 0 { throw .notPositiveDefinite(order: Int(info)) }
      try checkLAPACK("dpotrf", info)
    }
    for j in 0..<n { for i in (j + 1)..<max(j + 1, n) { u[i, j] = 0 } }
    self.upper = u
  }

  /// Solves `A x = b` (LAPACK `dpotrs`).
  public func solve(_ b: [Double]) throws(LinearAlgebraError) -> [Double] {
    let n = upper.rows
    precondition(b.count == n)
    var x = b
    guard n > 0 else { return x }
    // SAFETY: factor n×n (lda = n), right-hand side n×1 (ldb = n).
    let info = upper.storage.withUnsafeBufferPointer { a in
      x.withUnsafeMutableBufferPointer { xp in
        LAPACKE_dpotrs(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "U")), Int32(n), 1, a.baseAddress, Int32(n),
                       xp.baseAddress, Int32(n))
      }
    }
    try checkLAPACK("dpotrs", info)
    return x
  }

  /// `A⁻¹` (LAPACK `dpotri`), symmetrised.
  public func inverse() throws(LinearAlgebraError) -> Matrix {
    var inv = upper
    let n = upper.rows
    guard n > 0 else { return inv }
    // SAFETY: inv holds U (n×n, lda = n); dpotri overwrites its upper triangle.
    let info = inv.storage.withUnsafeMutableBufferPointer { p in
      LAPACKE_dpotri(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "U")), Int32(n), p.baseAddress, Int32(n))
    }
    if info > 0 { throw .singular }
    try checkLAPACK("dpotri", info)
    for j in 0..<n { for i in (j + 1)..<max(j + 1, n) { inv[i, j] = inv[j, i] } }
    return inv
  }

  /// `log det A = 2 Σ log Uᵢᵢ`.
  public var logDeterminant: Double {
    2 * upper.diagonal.reduce(0) { $0 + log($1) }
  }
}

import Foundation
