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
  /// Set by `whitened(weights:)`: how close the covariance came to singular.
  public let whitening: Whitening?

  /// The covariance behind a Mahalanobis transform: its condition number
  /// (largest over smallest eigenvalue) and the variables that load on its
  /// smallest eigenvalue's direction. A large condition means some
  /// variables are nearly a combination of the others, and whitening
  /// stretches the tiny differences along that combination to a full
  /// standard deviation; callers say so and name the variables.
  public struct Whitening: Sendable, Equatable {
    public let condition: Double
    /// Variables whose loading on the weakest direction is at least a
    /// fifth of the largest loading, largest first.
    public let weakestVariables: [String]
  }

  public enum FeatureError: Error, LocalizedError, Equatable, Sendable {
    case constantVariable(String)
    case nonFinite(id: String, variable: String)
    case empty
    /// One unit alone: nothing to be a neighbour of, nor to standardise against.
    case oneUnit(String)
    /// The covariance is singular to working precision: no Mahalanobis
    /// distance exists.
    case collinear(variables: [String], condition: Double)
    /// Values so large that their mean or spread is past double range.
    case outOfRange(variable: String, value: Double)

    public var errorDescription: String? {
      switch self {
      case .outOfRange(let v, let x):
        return "The variable '\(v)' holds the value \(x), too large to standardise (its mean or spread is past double "
          + "range): rescale the column before finding neighbours."
      case .constantVariable(let v): return "The variable '\(v)' has the same value for every unit; it cannot be standardised."
      case .nonFinite(let id, let v): return "Unit '\(id)' has no finite value for '\(v)'."
      case .empty: return "No units to compare."
      case .oneUnit(let id):
        return "Only one unit ('\(id)') has values for every variable: neighbours need at least two units to compare."
      case .collinear(let v, let c):
        let which = v.count > 1
          ? "the variables \(EnglishList.joined(v)) are (nearly) an exact combination of one another"
          : "the variables are (nearly) an exact combination of one another"
        return "Mahalanobis distance needs the variables' covariance to be invertible, and it is singular "
          + "(condition number \(c.isFinite ? String(format: "%.2e", c) : "infinite")): \(which). "
          + "Leave one of them out, or use --metric euclidean."
      }
    }
  }

  /// - Parameters:
  ///   - columns: one array per variable, one value per unit.
  ///   - weights: per-variable weights (default 1).
  public init(ids: [String], variables: [String], columns: [[Double]], weights: [Double]? = nil,
              standardization: Standardization = .zScore) throws(FeatureError) {
    guard !ids.isEmpty else { throw .empty }
    // With one unit every variable is constant, which is what was said ("the
    // same value for every unit"), pointing at the variable, not the count.
    guard ids.count > 1 || variables.isEmpty else { throw .oneUnit(ids[0]) }
    let n = ids.count, p = variables.count
    var centers = [Double](repeating: 0, count: p), scales = [Double](repeating: 1, count: p)
    var storage = [Double](repeating: 0, count: n * p)
    for j in 0..<p {
      let col = columns[j]
      for i in 0..<n where !col[i].isFinite { throw .nonFinite(id: ids[i], variable: variables[j]) }
      switch standardization {
      case .zScore:
        let m = col.reduce(0, +) / Double(n)
        centers[j] = m
        scales[j] = Self.standardDeviation(col, mean: m)
      case .robust:
        let med = Quantiles.median(col)
        centers[j] = med
        scales[j] = 1.4826 * Quantiles.median(col.map { abs($0 - med) })
        if scales[j] == 0 {
          // MAD is zero for very lumpy data: fall back to the SD.
          scales[j] = Self.standardDeviation(col, mean: col.reduce(0, +) / Double(n))
        }
      case .none:
        centers[j] = 0
        scales[j] = 1
      }
      guard centers[j].isFinite, scales[j].isFinite else {
        throw .outOfRange(variable: variables[j], value: col.max { abs($0) < abs($1) } ?? .infinity)
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
    self.whitening = nil
  }

  /// The sample standard deviation about `m`, with the deviations divided
  /// by the largest first: their squares overflowed for values of 1e160
  /// (the variable was then divided by infinity and dropped unsaid) and
  /// underflowed to zero for values of 1e-170 (called constant).
  static func standardDeviation(_ col: [Double], mean m: Double) -> Double {
    let largest = col.reduce(0) { max($0, abs($1 - m)) }
    guard largest > 0, largest.isFinite else { return largest }
    // Where the squares are safely inside double range, the plain sum (the
    // same bits as before, so every neighbour list is unchanged).
    if largest > 1e-140 && largest < 1e140 {
      return (col.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(max(col.count - 1, 1))).squareRoot()
    }
    let sum = col.reduce(0) { let d = ($1 - m) / largest; return $0 + d * d }
    return largest * (sum / Double(max(col.count - 1, 1))).squareRoot()
  }

  init(matrix: Matrix, ids: [String], variables: [String], centers: [Double], scales: [Double], whitening: Whitening?) {
    self.matrix = matrix
    self.ids = ids
    self.variables = variables
    self.centers = centers
    self.scales = scales
    self.whitening = whitening
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
  public func whitened(weights: [Double]? = nil) throws -> FeatureMatrix {
    let n = matrix.rows, p = matrix.columns
    var centred = matrix
    for j in 0..<p {
      let m = (0..<n).reduce(0.0) { $0 + matrix[$1, j] } / Double(n)
      for i in 0..<n { centred[i, j] -= m }
    }
    let cov = centred.transposeMultiplied(by: centred) * (1 / Double(max(n - 1, 1)))
    let eigen = try SymmetricEigen(cov)
    // Eigenvalues come in ascending order; the first one's vector is the
    // combination of variables the data hardly varies along.
    let largest = eigen.values.last ?? 0, smallest = eigen.values.first ?? 0
    let condition = smallest > 0 ? largest / smallest : .infinity
    let loadings = (0..<p).map { abs(eigen.vectors[$0, 0]) }
    let top = loadings.max() ?? 0
    let weakest = (0..<p).filter { loadings[$0] >= top / 5 }.sorted { loadings[$0] > loadings[$1] }.map { variables[$0] }
    // A (near-)zero eigenvalue: no Mahalanobis distance exists.
    guard condition < 1e12 else { throw FeatureError.collinear(variables: weakest, condition: condition) }
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
    return FeatureMatrix(matrix: y, ids: ids, variables: variables, centers: centers, scales: scales,
                         whitening: Whitening(condition: condition, weakestVariables: weakest))
  }
}
