import Foundation
import PeerLensNumerics

extension ModelFrame {
  /// The low-order parts of the design and the response: for each cell,
  /// the stated decimal value (in double-double) minus the double the
  /// frame holds. Least squares uses them to solve the problem the data
  /// state rather than its rounding (see `LeastSquares.solve`).
  ///
  /// Columns that are a numeric variable, a power of one (`I(x^k)`) or the
  /// intercept are carried exactly; any other column (a log, a product, a
  /// factor level) gets a zero low part, which is the ordinary
  /// double-precision answer for that column. `nil` when no cell has a
  /// low part, so callers skip the extra work.
  public func lowOrderParts(table: CSVTable) -> (x: Matrix, y: [Double])? {
    let n = design.rows, p = design.columns
    var parsed: [String: [DoubleDouble?]] = [:]
    func column(_ name: String) -> [DoubleDouble?]? {
      if let c = parsed[name] { return c }
      guard let cells = try? table.text(name) else { return nil }
      let c = rowIndices.map { DoubleDouble(decimal: cells[$0]) }
      parsed[name] = c
      return c
    }
    var any = false
    var lowX = Matrix(rows: n, columns: p, repeating: 0)
    for (j, name) in design.columnNames.enumerated() {
      let exact: [DoubleDouble?]?
      if let values = column(name) {
        exact = values
      } else if let (base, k) = Self.power(name), let values = column(base) {
        exact = values.map { $0?.power(k) }
      } else {
        continue
      }
      guard let exact else { continue }
      for i in 0..<n {
        guard let v = exact[i] else { continue }
        let lo = (v - DoubleDouble(design.matrix[i, j])).hi
        if lo != 0 { any = true }
        lowX[i, j] = lo
      }
    }
    var lowY = [Double](repeating: 0, count: n)
    if let label = responseLabel, case .values(let y)? = response, let values = column(label) {
      for i in 0..<n {
        guard let v = values[i] else { continue }
        lowY[i] = (v - DoubleDouble(y[i])).hi
        if lowY[i] != 0 { any = true }
      }
    }
    return any ? (lowX, lowY) : nil
  }

  /// `I(name^k)` with a small non-negative integer `k`.
  static func power(_ column: String) -> (String, Int)? {
    guard column.hasPrefix("I("), column.hasSuffix(")") else { return nil }
    let inner = column.dropFirst(2).dropLast()
    let parts = inner.split(separator: "^", omittingEmptySubsequences: false)
    guard parts.count == 2, let k = Int(parts[1].trimmingCharacters(in: .whitespaces)), (0...64).contains(k) else {
      return nil
    }
    return (parts[0].trimmingCharacters(in: .whitespaces), k)
  }
}
