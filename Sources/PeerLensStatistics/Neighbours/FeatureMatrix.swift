import Foundation
import PeerLensNumerics

/// Units × variables, standardised and weighted, ready for distances.
///
/// Standardisation puts variables on one scale: z-scores (mean 0, SD 1)
/// or the robust form (median 0, MAD × 1.4826 = 1), which a few extreme
/// authorities (City of London) cannot drag. Weights multiply each
/// standardised variable by √w, so a weight of 2 counts a variable twice
/// in squared Euclidean distance.
public struct FeatureMatrix: Sendable {
  public enum Standardization: String, Sendable, CaseIterable, Codable {
    case zScore = "z-score"
    case robust
    case none
  }

  /// n × p, column-major, after standardising and weighting.
  public let matrix: Matrix
  public let ids: [String]
  public let variables: [String]
  public let centers: [Double]
  public let scales: [Double]

  public enum FeatureError: Error, LocalizedError, Equatable, Sendable {
    case constantVariable(String)
    case nonFinite(id: String, variable: String)
    case empty

    public var errorDescription: String? {
      switch self {
      case .constantVariable(let v): return "The variable '\(v)' has the same value for every unit; it cannot be standardised."
      case .nonFinite(let id, let v): return "Unit '\(id)' has no finite value for '\(v)'."
      case .empty: return "No units to compare."
      }
    }
  }

  /// - Parameters:
  ///   - columns: one array per variable, one value per unit.
  ///   - weights: per-variable weights (default 1).
  public init(ids: [String], variables: [String], columns: [[Double]], weights: [Double]? = nil,
              standardization: Standardization = .zScore) throws(FeatureError) {
    guard !ids.isEmpty else { throw .empty }
    let n = ids.count, p = variables.count
    var centers = [Double](repeating: 0, count: p), scales = [Double](repeating: 1, count: p)
    var storage = [Double](repeating: 0, count: n * p)
    for j in 0..<p {
      let col = columns[j]
      for i in 0..<n where !col[i].isFinite { throw .nonFinite(id: ids[i], variable: variables[j]) }
      switch standardization {
      case .zScore:
        let m = col.reduce(0, +) / Double(n)
        let v = col.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(max(n - 1, 1))
        centers[j] = m
        scales[j] = v.squareRoot()
      case .robust:
        let med = Quantiles.median(col)
        centers[j] = med
        scales[j] = 1.4826 * Quantiles.median(col.map { abs($0 - med) })
        if scales[j] == 0 {
          // MAD is zero for very lumpy data: fall back to the SD.
          let m = col.reduce(0, +) / Double(n)
          scales[j] = (col.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(max(n - 1, 1))).squareRoot()
        }
      case .none:
        centers[j] = 0
        scales[j] = 1
      }
      guard scales[j] > 0 else { throw .constantVariable(variables[j]) }
      let w = (weights?[j] ?? 1).squareRoot()
      for i in 0..<n { storage[j * n + i] = (col[i] - centers[j]) / scales[j] * w }
    }
    self.matrix = Matrix(rows: n, columns: p, columnMajor: storage)
    self.ids = ids
    self.variables = variables
    self.centers = centers
    self.scales = scales
  }

  init(matrix: Matrix, ids: [String], variables: [String], centers: [Double], scales: [Double]) {
    self.matrix = matrix
    self.ids = ids
    self.variables = variables
    self.centers = centers
    self.scales = scales
  }

  /// The Mahalanobis transform: rows multiplied by L⁻ᵀ where the sample
  /// covariance S = L Lᵀ (LAPACK `dpotrf`, via `Cholesky`), so Euclidean
  /// distance afterwards is Mahalanobis distance before.
  public func whitened() throws(LinearAlgebraError) -> FeatureMatrix {
    let n = matrix.rows, p = matrix.columns
    var centred = matrix
    for j in 0..<p {
      let m = (0..<n).reduce(0.0) { $0 + matrix[$1, j] } / Double(n)
      for i in 0..<n { centred[i, j] -= m }
    }
    let cov = centred.transposeMultiplied(by: centred) * (1 / Double(max(n - 1, 1)))
    let chol = try Cholesky(cov)  // S = UᵀU, U upper
    // y = x U⁻¹ for each row x: solve Uᵀ yᵀ = xᵀ.
    let uInv = try TriangularInverse.upper(chol.upper)
    let y = centred.multiplied(by: uInv)
    return FeatureMatrix(matrix: y, ids: ids, variables: variables, centers: centers, scales: scales)
  }
}

