/// A dense matrix of `Double` stored in **column-major** order.
///
/// Column-major is the layout LAPACK and BLAS expect, so a `Matrix` can be
/// handed to a factorization without copying or transposing. Element
/// `(i, j)` lives at `storage[i + j * rows]`; this is the only place the
/// layout is stated, and every other type relies on it.
///
/// `Matrix` is a value type: copies are independent (Swift arrays give
/// copy-on-write), so a fitted model can keep its design matrix without
/// fear of later mutation.
public struct Matrix: Sendable, Equatable {
  public let rows: Int
  public let columns: Int
  /// Elements in column-major order.
  public internal(set) var storage: [Double]

  /// A matrix of the given shape filled with `value`.
  public init(rows: Int, columns: Int, repeating value: Double = 0) {
    precondition(rows >= 0 && columns >= 0, "Matrix dimensions must be non-negative")
    self.rows = rows
    self.columns = columns
    self.storage = Array(repeating: value, count: rows * columns)
  }

  /// A matrix over existing column-major storage.
  public init(rows: Int, columns: Int, columnMajor storage: [Double]) {
    precondition(storage.count == rows * columns, "Storage size does not match the shape")
    self.rows = rows
    self.columns = columns
    self.storage = storage
  }

  /// A matrix whose columns are the given arrays (all of one length).
  public init(columns columnArrays: [[Double]]) {
    let n = columnArrays.first?.count ?? 0
    precondition(columnArrays.allSatisfy { $0.count == n }, "Columns differ in length")
    self.rows = n
    self.columns = columnArrays.count
    self.storage = columnArrays.flatMap { $0 }
  }

  /// A matrix from rows given as nested arrays (convenient in tests).
  public init(rowArrays: [[Double]]) {
    let m = rowArrays.count
    let n = rowArrays.first?.count ?? 0
    precondition(rowArrays.allSatisfy { $0.count == n }, "Rows differ in length")
    var storage = [Double](repeating: 0, count: m * n)
    for i in 0..<m { for j in 0..<n { storage[i + j * m] = rowArrays[i][j] } }
    self.init(rows: m, columns: n, columnMajor: storage)
  }

  /// The identity matrix of order `n`.
  public static func identity(_ n: Int) -> Matrix {
    var m = Matrix(rows: n, columns: n)
    for i in 0..<n { m[i, i] = 1 }
    return m
  }

  public subscript(row: Int, column: Int) -> Double {
    get { storage[row + column * rows] }
    set { storage[row + column * rows] = newValue }
  }

  /// A copy of column `j`.
  public func column(_ j: Int) -> [Double] {
    Array(storage[(j * rows)..<((j + 1) * rows)])
  }

  /// A copy of row `i`.
  public func row(_ i: Int) -> [Double] {
    (0..<columns).map { self[i, $0] }
  }

  /// The diagonal elements.
  public var diagonal: [Double] {
    (0..<min(rows, columns)).map { self[$0, $0] }
  }

  /// The transpose.
  public var transposed: Matrix {
    var t = Matrix(rows: columns, columns: rows)
    for j in 0..<columns { for i in 0..<rows { t[j, i] = self[i, j] } }
    return t
  }

  /// The sub-matrix made of the given columns, in the given order.
  public func selectingColumns(_ indices: [Int]) -> Matrix {
    var out = [Double]()
    out.reserveCapacity(rows * indices.count)
    for j in indices { out.append(contentsOf: storage[(j * rows)..<((j + 1) * rows)]) }
    return Matrix(rows: rows, columns: indices.count, columnMajor: out)
  }

  /// The sub-matrix made of the given rows, in the given order.
  public func selectingRows(_ indices: [Int]) -> Matrix {
    var m = Matrix(rows: indices.count, columns: columns)
    for j in 0..<columns {
      for (r, i) in indices.enumerated() { m[r, j] = self[i, j] }
    }
    return m
  }
}
