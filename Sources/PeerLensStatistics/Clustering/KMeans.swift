import Foundation
import PeerLensNumerics

/// k-means clustering: the specification (scikit-learn's hyperparameters).
///
/// k-means++ seeding (Arthur and Vassilvitskii 2007), Lloyd iterations,
/// several restarts keeping the lowest inertia; all randomness comes from
/// `seed`, so the same data and seed give the same clusters.
public struct KMeans: Sendable {
  public var clusterCount: Int
  public var restarts: Int
  public var maxIterations: Int
  public var tolerance: Double
  public var seed: UInt64

  public init(clusterCount: Int, restarts: Int = 10, maxIterations: Int = 300, tolerance: Double = 1e-4,
              seed: UInt64 = 42) {
    self.clusterCount = clusterCount
    self.restarts = restarts
    self.maxIterations = maxIterations
    self.tolerance = tolerance
    self.seed = seed
  }

  /// Clusters the rows of `x`.
  public func fit(_ x: Matrix) -> KMeansFit {
    let n = x.rows, p = x.columns
    let k = min(clusterCount, n)
    var rows = [[Double]](repeating: [], count: n)
    for i in 0..<n { rows[i] = x.row(i) }
    // Tolerance relative to the data's variance, as scikit-learn does.
    var totalVar = 0.0
    for j in 0..<p {
      let m = (0..<n).reduce(0.0) { $0 + rows[$1][j] } / Double(n)
      totalVar += (0..<n).reduce(0.0) { $0 + (rows[$1][j] - m) * (rows[$1][j] - m) } / Double(n)
    }
    let tol = tolerance * totalVar / Double(max(p, 1))
    var rng = SeededGenerator(seed: seed)
    var best: KMeansFit? = nil
    for _ in 0..<max(1, restarts) {
      var centers = Self.plusPlus(rows, k: k, rng: &rng)
      var labels = [Int](repeating: 0, count: n)
      var iterations = 0
      var converged = false
      while iterations < maxIterations {
        iterations += 1
        for i in 0..<n { labels[i] = Self.nearest(rows[i], centers).index }
        var sums = [[Double]](repeating: [Double](repeating: 0, count: p), count: k)
        var counts = [Int](repeating: 0, count: k)
        for i in 0..<n { counts[labels[i]] += 1; for j in 0..<p { sums[labels[i]][j] += rows[i][j] } }
        var shift = 0.0
        for c in 0..<k {
          guard counts[c] > 0 else { continue }  // keep an empty cluster's centre where it was
          let newCenter = sums[c].map { $0 / Double(counts[c]) }
          shift += zip(newCenter, centers[c]).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
          centers[c] = newCenter
        }
        if shift <= tol { converged = true; break }
      }
      for i in 0..<n { labels[i] = Self.nearest(rows[i], centers).index }
      let inertia = (0..<n).reduce(0.0) { $0 + Self.squaredDistance(rows[$1], centers[labels[$1]]) }
      if best == nil || inertia < best!.inertia - 1e-12 {
        best = KMeansFit(centers: centers, labels: labels, inertia: inertia, iterations: iterations, converged: converged)
      }
    }
    return best!.canonicalised()
  }

  static func squaredDistance(_ a: [Double], _ b: [Double]) -> Double {
    var s = 0.0
    for j in 0..<a.count { let d = a[j] - b[j]; s += d * d }
    return s
  }

  static func nearest(_ x: [Double], _ centers: [[Double]]) -> (index: Int, distance: Double) {
    var best = 0, bestD = Double.infinity
    for (c, center) in centers.enumerated() {
      let d = squaredDistance(x, center)
      if d < bestD { bestD = d; best = c }
    }
    return (best, bestD)
  }

  /// k-means++: the first centre uniformly, each next with probability
  /// proportional to squared distance from the nearest centre so far.
  static func plusPlus(_ rows: [[Double]], k: Int, rng: inout SeededGenerator) -> [[Double]] {
    let n = rows.count
    var centers = [rows[Int(rng.uniform() * Double(n)) % n]]
    var d2 = rows.map { squaredDistance($0, centers[0]) }
    while centers.count < k {
      let total = d2.reduce(0, +)
      var pick = n - 1
      if total > 0 {
        var target = rng.uniform() * total
        for i in 0..<n { target -= d2[i]; if target <= 0 { pick = i; break } }
      } else {
        pick = Int(rng.uniform() * Double(n)) % n
      }
      centers.append(rows[pick])
      for i in 0..<n { d2[i] = min(d2[i], squaredDistance(rows[i], rows[pick])) }
    }
    return centers
  }
}

/// A fitted k-means clustering: an immutable value.
public struct KMeansFit: Sendable {
  public let centers: [[Double]]
  /// Cluster of each row, numbered by first appearance (row 0 is in cluster 0).
  public let labels: [Int]
  /// Within-cluster sum of squares.
  public let inertia: Double
  public let iterations: Int
  public let converged: Bool

  /// Renumbers clusters by first appearance so labels do not depend on
  /// the seeding order.
  func canonicalised() -> KMeansFit {
    var map: [Int: Int] = [:]
    for l in labels where map[l] == nil { map[l] = map.count }
    for c in 0..<centers.count where map[c] == nil { map[c] = map.count }
    var newCenters = centers
    for (old, new) in map { newCenters[new] = centers[old] }
    return KMeansFit(centers: newCenters, labels: labels.map { map[$0]! }, inertia: inertia, iterations: iterations,
                     converged: converged)
  }
}
