import CLAPACKE

/// The eigen-decomposition `A = V Λ Vᵀ` of a symmetric matrix (LAPACK
/// `dsyevr`), eigenvalues in ascending order.
public struct SymmetricEigen: Sendable {
  public let values: [Double]
  /// Eigenvectors as columns, in the order of `values`.
  public let vectors: Matrix

  public init(_ a: Matrix) throws(LinearAlgebraError) {
    precondition(a.rows == a.columns, "Eigen-decomposition needs a square matrix")
    guard a.storage.allSatisfy(\.isFinite) else { throw .nonFinite }
    let n = a.rows
    var work = a
    var w = [Double](repeating: 0, count: n)
    var z = Matrix(rows: n, columns: n)
    var isuppz = [Int32](repeating: 0, count: 2 * max(1, n))
    var found: Int32 = 0
    if n > 0 {
      // SAFETY: a, z are n×n column-major with lda = ldz = n; w has n
      // entries; isuppz has 2n (LAPACK dsyevr, RANGE = 'A').
      let info = work.storage.withUnsafeMutableBufferPointer { ap in
        w.withUnsafeMutableBufferPointer { wp in
          z.storage.withUnsafeMutableBufferPointer { zp in
            isuppz.withUnsafeMutableBufferPointer { sp in
              LAPACKE_dsyevr(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "V")), Int8(UInt8(ascii: "A")),
                             Int8(UInt8(ascii: "U")), Int32(n), ap.baseAddress, Int32(n), 0, 0, 0, 0,
                             0, &found, wp.baseAddress, zp.baseAddress, Int32(n), sp.baseAddress)
            }
          }
        }
      }
      try checkLAPACK("dsyevr", info)
    }
    self.values = w
    self.vectors = z
  }
}
