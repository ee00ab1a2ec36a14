import CLAPACKE

/// Inverse of a triangular matrix (LAPACK `dtrtri`).
public enum TriangularInverse {
  /// The inverse of the upper triangle of `u` (the strict lower part is ignored).
  public static func upper(_ u: Matrix) throws(LinearAlgebraError) -> Matrix {
    precondition(u.rows == u.columns)
    let n = u.rows
    var inv = Matrix(rows: n, columns: n)
    for j in 0..<n { for i in 0...j { inv[i, j] = u[i, j] } }
    guard n > 0 else { return inv }
    // SAFETY: inv is n×n upper triangular, lda = n.
    let info = inv.storage.withUnsafeMutableBufferPointer { a in
      LAPACKE_dtrtri(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "U")), Int8(UInt8(ascii: "N")), Int32(n), a.baseAddress, Int32(n))
    }
    if info > 0 { throw .singular }
    try checkLAPACK("dtrtri", info)
    return inv
  }
}
