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

  /// The Mahalanobis transform, with per-variable weights applied after it.
  ///
  /// Rows are multiplied by S^(-1/2), the symmetric inverse square root of
  /// the sample covariance S = V Λ Vᵀ (LAPACK `dsyevr`, via
  /// `SymmetricEigen`), so Euclidean distance afterwards is Mahalanobis
  /// distance before. Of all whitening transforms this one keeps each new
  /// coordinate closest to its own variable (it is the "ZCA" whitening),
  /// which is what lets a weight still mean "this variable counts w
  /// times": column j is then multiplied by √wⱼ, giving
  /// d² = Δᵀ S^(-1/2) W S^(-1/2) Δ. Weights applied before whitening
  /// would be undone by it (the covariance scales with them), so they are
  /// taken here, and `self` should be unweighted.
  public func whitened(weights: [Double]? = nil) throws(LinearAlgebraError) -> FeatureMatrix {
    let n = matrix.rows, p = matrix.columns
    var centred = matrix
    for j in 0..<p {
      let m = (0..<n).reduce(0.0) { $0 + matrix[$1, j] } / Double(n)
      for i in 0..<n { centred[i, j] -= m }
    }
    let cov = centred.transposeMultiplied(by: centred) * (1 / Double(max(n - 1, 1)))
    let eigen = try SymmetricEigen(cov)
    // A (near-)zero eigenvalue means a variable is a combination of the
    // others: no Mahalanobis distance exists.
    let largest = eigen.values.last ?? 0
    guard let smallest = eigen.values.first, smallest > largest * 1e-12, smallest > 0 else { throw .singular }
    var root = Matrix(rows: p, columns: p)  // S^(-1/2) = V Λ^(-1/2) Vᵀ
    for a in 0..<p {
      for b in 0..<p {
        var t = 0.0
        for k in 0..<p { t += eigen.vectors[a, k] * eigen.vectors[b, k] / eigen.values[k].squareRoot() }
        root[a, b] = t
      }
    }
    var y = centred.multiplied(by: root)
    if let weights {
      for j in 0..<p {
        let w = weights[j].squareRoot()
        for i in 0..<n { y[i, j] *= w }
      }
    }
    return FeatureMatrix(matrix: y, ids: ids, variables: variables, centers: centers, scales: scales)
  }
}
