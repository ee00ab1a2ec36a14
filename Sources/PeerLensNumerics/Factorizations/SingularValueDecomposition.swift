import CLAPACKE

/// The singular value decomposition `A = U Σ Vᵀ` (LAPACK `dgesdd`, thin).
public struct SingularValueDecomposition: Sendable {
  /// Singular values in decreasing order.
  public let values: [Double]
  public let u: Matrix
  public let vTransposed: Matrix

  public init(_ a: Matrix) throws(LinearAlgebraError) {
    guard a.storage.allSatisfy(\.isFinite) else { throw .nonFinite }
    let m = a.rows, n = a.columns, k = min(m, n)
    var work = a
    var s = [Double](repeating: 0, count: k)
    var u = Matrix(rows: m, columns: k)
    var vt = Matrix(rows: k, columns: n)
    if k > 0 {
      // SAFETY: JOBZ = 'S': U is m×k (ldu = m), VT is k×n (ldvt = k).
      let info = work.storage.withUnsafeMutableBufferPointer { ap in
        s.withUnsafeMutableBufferPointer { sp in
          u.storage.withUnsafeMutableBufferPointer { up in
            vt.storage.withUnsafeMutableBufferPointer { vp in
              LAPACKE_dgesdd(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "S")), Int32(m), Int32(n), ap.baseAddress,
                             Int32(m), sp.baseAddress, up.baseAddress, Int32(m), vp.baseAddress, Int32(k))
            }
          }
        }
      }
      try checkLAPACK("dgesdd", info)
    }
    self.values = s
    self.u = u
    self.vTransposed = vt
  }

  /// Only the singular values (LAPACK `dgesdd` with JOBZ = 'N').
  public static func singularValues(of a: Matrix) throws(LinearAlgebraError) -> [Double] {
    guard a.storage.allSatisfy(\.isFinite) else { throw .nonFinite }
    let m = a.rows, n = a.columns, k = min(m, n)
    var work = a
    var s = [Double](repeating: 0, count: k)
    guard k > 0 else { return s }
    var dummy = [Double](repeating: 0, count: 1)
    // SAFETY: with JOBZ = 'N', U and VT are not referenced (ld = 1).
    let info = work.storage.withUnsafeMutableBufferPointer { ap in
      s.withUnsafeMutableBufferPointer { sp in
        dummy.withUnsafeMutableBufferPointer { d in
          LAPACKE_dgesdd(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "N")), Int32(m), Int32(n), ap.baseAddress,
                         Int32(m), sp.baseAddress, d.baseAddress, 1, d.baseAddress, 1)
        }
      }
    }
    try checkLAPACK("dgesdd", info)
    return s
  }
}
