import PeerLensNumerics

/// A model matrix with its column names and the term each column belongs
/// to (R's `assign` attribute).
///
/// Built by the data layer's `ModelFrame` from a formula, or directly from
/// a matrix, so statistics code never needs to know about formulas (as
/// R's `lm.fit` does not).
public struct DesignMatrix: Sendable {
  public let matrix: Matrix
  /// One name per column, as R names them (`(Intercept)`, `x`, `I(x^2)`,
  /// `tensionM`, `woolB:tensionM`).
  public let columnNames: [String]
  /// For each column, the index into `termLabels` (0 is the intercept
  /// when there is one).
  public let assign: [Int]
  /// Term labels; `termLabels[0] == "(Intercept)"` when `hasIntercept`.
  public let termLabels: [String]
  public let hasIntercept: Bool

  public init(matrix: Matrix, columnNames: [String], assign: [Int]? = nil, termLabels: [String]? = nil,
              hasIntercept: Bool) {
    precondition(columnNames.count == matrix.columns, "One name per column")
    self.matrix = matrix
    self.columnNames = columnNames
    self.assign = assign ?? Array(0..<matrix.columns)
    self.termLabels = termLabels ?? columnNames
    self.hasIntercept = hasIntercept
  }

  /// A design with an intercept column followed by the given columns.
  public static func withIntercept(_ columns: [[Double]], names: [String], rows: Int? = nil) -> DesignMatrix {
    let n = rows ?? columns.first?.count ?? 0
    let all = [[Double](repeating: 1, count: n)] + columns
    return DesignMatrix(matrix: Matrix(columns: all), columnNames: ["(Intercept)"] + names, hasIntercept: true)
  }

  public var rows: Int { matrix.rows }
  public var columns: Int { matrix.columns }

  /// Magnitudes a column's values can have for a fit to be computed in
  /// double precision: a coefficient's variance needs the squares of the
  /// column's values (or of their reciprocals), which overflow or underflow
  /// beyond about 1e154. Outside this range the solver saw a column of
  /// zeros or infinities and called it aliased, a wrong answer given
  /// quietly; the fit is refused instead, with the fix (rescale).
  public static let representableMagnitudes: ClosedRange<Double> = 1e-150...1e150

  /// The first column (name, and the value furthest from the range) whose
  /// largest magnitude lies outside `representableMagnitudes`; a column of
  /// zeros is left to the aliasing rules.
  public var columnOutsideRepresentableRange: (name: String, value: Double, row: Int)? {
    for j in 0..<columns {
      var largest = 0.0, value = 0.0, at = 0
      for i in 0..<rows where abs(matrix[i, j]) > largest {
        largest = abs(matrix[i, j])
        value = matrix[i, j]
        at = i
      }
      if largest > 0 && largest.isFinite && !Self.representableMagnitudes.contains(largest) {
        return (columnNames[j], value, at)
      }
    }
    return nil
  }

  /// The design restricted to some rows (for dropping zero weights or
  /// leave-one-out refits).
  public func selectingRows(_ rows: [Int]) -> DesignMatrix {
    DesignMatrix(matrix: matrix.selectingRows(rows), columnNames: columnNames, assign: assign,
                 termLabels: termLabels, hasIntercept: hasIntercept)
  }
}
