import Foundation
import PeerLensNumerics

/// Ward's hierarchical clustering (R's `hclust(method = "ward.D2")`) for
/// authority-sized data.
///
/// Merges, at each step, the two clusters whose union least increases the
/// within-cluster sum of squares, ΔESS = |A||B|/(|A|+|B|) ‖c_A − c_B‖²,
/// maintained with the Lance–Williams update on squared distances. The
/// merge height is √(2 ΔESS), which is what `ward.D2` reports on
/// Euclidean distances.
///
/// - Complexity: O(n³) time, O(n²) memory: for a few hundred units.
public struct WardClustering: Sendable {
  public struct Merge: Sendable, Equatable {
    /// Cluster ids merged: 0..<n are units, n + s the cluster made at step s.
    public let left: Int
    public let right: Int
    public let height: Double
    public let size: Int
  }

  public let merges: [Merge]
  public let count: Int

  public init(_ x: Matrix) {
    let n = x.rows
    count = n
    guard n > 1 else { merges = []; return }
    // d[i][j]: the Lance–Williams "distance" 2ΔESS for singletons = ‖xi − xj‖².
    var d = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
    for i in 0..<n {
      for j in (i + 1)..<n {
        var s = 0.0
        for q in 0..<x.columns { let t = x[i, q] - x[j, q]; s += t * t }
        d[i][j] = s; d[j][i] = s
      }
    }
    var active = Array(0..<n)
    var size = [Int](repeating: 1, count: n)
    var id = Array(0..<n)  // cluster id held in each slot
    var merges: [Merge] = []
    for step in 0..<(n - 1) {
      var bi = -1, bj = -1, best = Double.infinity
      for a in 0..<active.count {
        for b in (a + 1)..<active.count {
          let i = active[a], j = active[b]
          if d[i][j] < best { best = d[i][j]; bi = i; bj = j }
        }
      }
      let ni = Double(size[bi]), nj = Double(size[bj])
      // Lance–Williams for Ward on squared distances.
      for k in active where k != bi && k != bj {
        let nk = Double(size[k])
        let v = ((ni + nk) * d[bi][k] + (nj + nk) * d[bj][k] - nk * d[bi][bj]) / (ni + nj + nk)
        d[bi][k] = v; d[k][bi] = v
      }
      let (l, r) = (min(id[bi], id[bj]), max(id[bi], id[bj]))
      merges.append(Merge(left: l, right: r, height: best.squareRoot(), size: size[bi] + size[bj]))
      size[bi] += size[bj]
      id[bi] = n + step
      active.removeAll { $0 == bj }
    }
    self.merges = merges
  }

  /// Cluster labels when the tree is cut into `k` clusters, numbered by
  /// first appearance.
  public func labels(clusters k: Int) -> [Int] {
    var parent = Array(0..<(count + merges.count))
    func find(_ a: Int) -> Int {
      var a = a
      while parent[a] != a { parent[a] = parent[parent[a]]; a = parent[a] }
      return a
    }
    for (s, m) in merges.prefix(max(0, count - k)).enumerated() {
      parent[find(m.left)] = count + s
      parent[find(m.right)] = count + s
    }
    var map: [Int: Int] = [:]
    return (0..<count).map { i in
      let root = find(i)
      if map[root] == nil { map[root] = map.count }
      return map[root]!
    }
  }
}

/// Silhouette widths (Rousseeuw 1987): for each unit,
/// s = (b − a)/max(a, b) with a the mean distance to its own cluster and b
/// the smallest mean distance to another cluster; 0 for singletons.
public enum Silhouette {
  public static func widths(_ x: Matrix, labels: [Int]) -> [Double] {
    let n = x.rows
    let k = (labels.max() ?? 0) + 1
    var dist = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
    for i in 0..<n {
      for j in (i + 1)..<n {
        var s = 0.0
        for q in 0..<x.columns { let t = x[i, q] - x[j, q]; s += t * t }
        dist[i][j] = s.squareRoot(); dist[j][i] = dist[i][j]
      }
    }
    let sizes = (0..<k).map { c in labels.filter { $0 == c }.count }
    return (0..<n).map { i in
      var sums = [Double](repeating: 0, count: k)
      for j in 0..<n where j != i { sums[labels[j]] += dist[i][j] }
      let own = labels[i]
      guard sizes[own] > 1 else { return 0 }
      let a = sums[own] / Double(sizes[own] - 1)
      var b = Double.infinity
      for c in 0..<k where c != own && sizes[c] > 0 { b = min(b, sums[c] / Double(sizes[c])) }
      guard b.isFinite else { return 0 }
      return (b - a) / max(a, b)
    }
  }
}
