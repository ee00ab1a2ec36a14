import Dispatch
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

  /// Rows per work unit in the assignment step. Fixed (not tied to the
  /// number of cores) so that partial sums are combined in the same order
  /// on every machine and results are identical everywhere.
  static let chunkRows = 2048

  /// Clusters the rows of `x`.
  public func fit(_ x: Matrix) -> KMeansFit {
    let n = x.rows, p = x.columns
    let k = min(clusterCount, n)
    guard n > 0, k > 0 else {
      return KMeansFit(centers: [], labels: [Int](repeating: 0, count: n), inertia: 0, iterations: 0, converged: true)
    }
    // Row-major copy: each row's p values contiguous.
    var data = [Double](repeating: 0, count: n * p)
    for j in 0..<p { for i in 0..<n { data[i * p + j] = x[i, j] } }
    // Tolerance relative to the data's variance, as scikit-learn does.
    var totalVar = 0.0
    for j in 0..<p {
      let column = x.column(j)
      let m = column.reduce(0, +) / Double(n)
      totalVar += column.reduce(0.0) { $0 + ($1 - m) * ($1 - m) } / Double(n)
    }
    let tol = tolerance * totalVar / Double(max(p, 1))
    var rng = SeededGenerator(seed: seed)
    var best: KMeansFit? = nil
    for _ in 0..<max(1, restarts) {
      var centers = Self.plusPlus(data, rows: n, columns: p, k: k, rng: &rng)
      var step = Self.assign(data, rows: n, columns: p, centers: centers, k: k)
      var iterations = 0
      var converged = false
      while iterations < maxIterations {
        iterations += 1
        var shift = 0.0
        for c in 0..<k {
          guard step.counts[c] > 0 else { continue }  // keep an empty cluster's centre where it was
          for j in 0..<p {
            let updated = step.sums[c * p + j] / Double(step.counts[c])
            shift += (updated - centers[c * p + j]) * (updated - centers[c * p + j])
            centers[c * p + j] = updated
          }
        }
        step = Self.assign(data, rows: n, columns: p, centers: centers, k: k)
        if shift <= tol { converged = true; break }
      }
      if best == nil || step.inertia < best!.inertia - 1e-12 {
        let rowsOfCenters = (0..<k).map { Array(centers[($0 * p)..<(($0 + 1) * p)]) }
        best = KMeansFit(centers: rowsOfCenters, labels: step.labels, inertia: step.inertia, iterations: iterations,
                         converged: converged)
      }
    }
    return best!.canonicalised()
  }

  /// One assignment pass: each row's nearest centre (ties to the lower
  /// index), with the per-cluster sums and counts for the next update and
  /// the inertia — in parallel over fixed chunks, combined in chunk order.
  static func assign(_ data: [Double], rows n: Int, columns p: Int, centers: [Double], k: Int)
    -> (labels: [Int], sums: [Double], counts: [Int], inertia: Double) {
    let chunks = (n + chunkRows - 1) / chunkRows
    var labels = [Int](repeating: 0, count: n)
    var partialSums = [Double](repeating: 0, count: chunks * k * p)
    var partialCounts = [Int](repeating: 0, count: chunks * k)
    var partialInertia = [Double](repeating: 0, count: chunks)
    data.withUnsafeBufferPointer { dp in
      centers.withUnsafeBufferPointer { cp in
        labels.withUnsafeMutableBufferPointer { lp in
          partialSums.withUnsafeMutableBufferPointer { sp in
            partialCounts.withUnsafeMutableBufferPointer { np in
              partialInertia.withUnsafeMutableBufferPointer { ip in
                nonisolated(unsafe) let (d, c, l, s, cnt, inr) =
                  (dp.baseAddress!, cp.baseAddress!, lp.baseAddress!, sp.baseAddress!, np.baseAddress!, ip.baseAddress!)
                DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                  var inertia = 0.0
                  for i in (chunk * chunkRows)..<min(n, (chunk + 1) * chunkRows) {
                    let row = d + i * p
                    var bestC = 0, bestD = Double.infinity
                    for cc in 0..<k {
                      let center = c + cc * p
                      var dist = 0.0
                      for j in 0..<p { let t = row[j] - center[j]; dist += t * t }
                      if dist < bestD { bestD = dist; bestC = cc }
                    }
                    l[i] = bestC
                    inertia += bestD
                    cnt[chunk * k + bestC] += 1
                    let sum = s + (chunk * k + bestC) * p
                    for j in 0..<p { sum[j] += row[j] }
                  }
                  inr[chunk] = inertia
                }
              }
            }
          }
        }
      }
    }
    var sums = [Double](repeating: 0, count: k * p)
    var counts = [Int](repeating: 0, count: k)
    var inertia = 0.0
    for chunk in 0..<chunks {
      for t in 0..<(k * p) { sums[t] += partialSums[chunk * k * p + t] }
      for c in 0..<k { counts[c] += partialCounts[chunk * k + c] }
      inertia += partialInertia[chunk]
    }
    return (labels, sums, counts, inertia)
  }

  static func squaredDistance(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ p: Int) -> Double {
    var s = 0.0
    for j in 0..<p { let d = a[j] - b[j]; s += d * d }
    return s
  }

  /// k-means++: the first centre uniformly, each next with probability
  /// proportional to squared distance from the nearest centre so far.
  /// Returns k centres, row-major.
  static func plusPlus(_ data: [Double], rows n: Int, columns p: Int, k: Int, rng: inout SeededGenerator) -> [Double] {
    data.withUnsafeBufferPointer { dp in
      let d = dp.baseAddress!
      var picks = [Int(rng.uniform() * Double(n)) % n]
      var d2 = (0..<n).map { squaredDistance(d + $0 * p, d + picks[0] * p, p) }
      while picks.count < k {
        let total = d2.reduce(0, +)
        var pick = n - 1
        if total > 0 {
          var target = rng.uniform() * total
          for i in 0..<n { target -= d2[i]; if target <= 0 { pick = i; break } }
        } else {
          pick = Int(rng.uniform() * Double(n)) % n
        }
        picks.append(pick)
        for i in 0..<n { d2[i] = min(d2[i], squaredDistance(d + i * p, d + pick * p, p)) }
      }
      return picks.flatMap { Array(dp[($0 * p)..<(($0 + 1) * p)]) }
    }
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
