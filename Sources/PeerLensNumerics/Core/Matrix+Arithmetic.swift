import CLAPACKE

// MARK: - Products through BLAS

extension Matrix {
  /// The product `self × other`, computed by BLAS `dgemm`.
  public func multiplied(by other: Matrix) -> Matrix {
    precondition(columns == other.rows, "Inner dimensions differ: \(rows)×\(columns) by \(other.rows)×\(other.columns)")
    var out = Matrix(rows: rows, columns: other.columns)
    guard rows > 0, other.columns > 0, columns > 0 else { return out }
    // SAFETY: all three buffers are column-major with the leading dimensions
    // passed, and live for the duration of the call.
    storage.withUnsafeBufferPointer { a in
      other.storage.withUnsafeBufferPointer { b in
        out.storage.withUnsafeMutableBufferPointer { c in
          cblas_dgemm(
            CblasColMajor, CblasNoTrans, CblasNoTrans,
            Int32(rows), Int32(other.columns), Int32(columns),
            1.0, a.baseAddress, Int32(max(1, rows)),
            b.baseAddress, Int32(max(1, other.rows)),
            0.0, c.baseAddress, Int32(max(1, rows)))
        }
      }
    }
    return out
  }

  /// The product `selfᵀ × other`, without forming the transpose.
  public func transposeMultiplied(by other: Matrix) -> Matrix {
    precondition(rows == other.rows, "Row counts differ: \(rows) and \(other.rows)")
    var out = Matrix(rows: columns, columns: other.columns)
    guard rows > 0, columns > 0, other.columns > 0 else { return out }
    // SAFETY: as in `multiplied(by:)`; A is read transposed.
    storage.withUnsafeBufferPointer { a in
      other.storage.withUnsafeBufferPointer { b in
        out.storage.withUnsafeMutableBufferPointer { c in
          cblas_dgemm(
            CblasColMajor, CblasTrans, CblasNoTrans,
            Int32(columns), Int32(other.columns), Int32(rows),
            1.0, a.baseAddress, Int32(max(1, rows)),
            b.baseAddress, Int32(max(1, other.rows)),
            0.0, c.baseAddress, Int32(max(1, columns)))
        }
      }
    }
    return out
  }

  /// The matrix–vector product `self × x`, computed by BLAS `dgemv`.
  public func multiplied(by x: [Double]) -> [Double] {
    precondition(columns == x.count, "Vector length \(x.count) does not match \(columns) columns")
    var y = [Double](repeating: 0, count: rows)
    guard rows > 0, columns > 0 else { return y }
    // SAFETY: column-major A with leading dimension `rows`; x and y sized to fit.
    storage.withUnsafeBufferPointer { a in
      x.withUnsafeBufferPointer { xp in
        y.withUnsafeMutableBufferPointer { yp in
          cblas_dgemv(
            CblasColMajor, CblasNoTrans, Int32(rows), Int32(columns), 1.0,
            a.baseAddress, Int32(max(1, rows)), xp.baseAddress, 1, 0.0, yp.baseAddress, 1)
        }
      }
    }
    return y
  }

  /// The product `selfᵀ × x`.
  public func transposeMultiplied(by x: [Double]) -> [Double] {
    precondition(rows == x.count, "Vector length \(x.count) does not match \(rows) rows")
    var y = [Double](repeating: 0, count: columns)
    guard rows > 0, columns > 0 else { return y }
    // SAFETY: as in `multiplied(by:)`, reading A transposed.
    storage.withUnsafeBufferPointer { a in
      x.withUnsafeBufferPointer { xp in
        y.withUnsafeMutableBufferPointer { yp in
          cblas_dgemv(
            CblasColMajor, CblasTrans, Int32(rows), Int32(columns), 1.0,
            a.baseAddress, Int32(max(1, rows)), xp.baseAddress, 1, 0.0, yp.baseAddress, 1)
        }
      }
    }
    return y
  }

  /// Every element multiplied by `factor`.
  public static func * (lhs: Matrix, factor: Double) -> Matrix {
    Matrix(rows: lhs.rows, columns: lhs.columns, columnMajor: lhs.storage.map { $0 * factor })
  }
}
