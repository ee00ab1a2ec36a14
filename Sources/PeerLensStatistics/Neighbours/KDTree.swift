import Dispatch
import Foundation
import PeerLensNumerics

/// A k-d tree over the rows of a matrix, for exact nearest-neighbour search
/// in a few dimensions (Friedman, Bentley and Finkel 1977).
///
/// Each node splits its points at the median of its widest coordinate and
/// keeps its bounding box; a search visits the nearer child first and skips
/// any node whose box is farther than the current k-th candidate. Nothing
/// is approximated: the answer is the brute-force answer, with distances
/// computed directly as Σ(xᵢ − yᵢ)² (no cancellation) and ties ordered by
/// a caller-given rank, so results are deterministic.
///
/// In the 8 dimensions of the small-area table a query touches a few
/// hundred points instead of all 33,755; in many dimensions boxes stop
/// pruning and the brute-force GEMM path of `NearestNeighbours` is better.
struct KDTree {
  let dimensions: Int
  /// Row-major points in tree order (each leaf's points contiguous).
  let points: [Double]
  /// `order[t]` is the original row of the point at tree position t.
  let order: [Int]
  /// Nodes in depth-first order; children of node `i` are `left[i]`, `right[i]` (−1 at leaves).
  let start: [Int], end: [Int], left: [Int], right: [Int]
  /// Bounding boxes, `dimensions` values per node.
  let lower: [Double], upper: [Double]

  static let leafSize = 16

  init(_ x: Matrix) {
    let n = x.rows, p = x.columns
    dimensions = p
    var order = Array(0..<n)
    var start: [Int] = [], end: [Int] = [], left: [Int] = [], right: [Int] = []
    var lower: [Double] = [], upper: [Double] = []
    let data = x.storage  // column-major: coordinate j of row i at j·n + i

    /// Builds the node for order[s..<e] and returns its index.
    func build(_ s: Int, _ e: Int) -> Int {
      let node = start.count
      start.append(s); end.append(e); left.append(-1); right.append(-1)
      var widest = 0, widestSpread = -1.0
      for j in 0..<p {
        var lo = Double.infinity, hi = -Double.infinity
        for t in s..<e { let v = data[j * n + order[t]]; lo = min(lo, v); hi = max(hi, v) }
        lower.append(lo); upper.append(hi)
        if hi - lo > widestSpread { widestSpread = hi - lo; widest = j }
      }
      guard e - s > Self.leafSize, widestSpread > 0 else { return node }
      // Median split on the widest coordinate (ties by row, so the build is deterministic).
      let mid = (s + e) / 2
      order[s..<e].sort { a, b in
        let va = data[widest * n + a], vb = data[widest * n + b]
        return va != vb ? va < vb : a < b
      }
      let l = build(s, mid)
      let r = build(mid, e)
      left[node] = l
      right[node] = r
      return node
    }
    _ = build(0, n)
    var points = [Double](repeating: 0, count: n * p)
    for t in 0..<n { for j in 0..<p { points[t * p + j] = data[j * n + order[t]] } }
    self.points = points
    self.order = order
    self.start = start; self.end = end; self.left = left; self.right = right
    self.lower = lower; self.upper = upper
  }

  /// The `k` nearest other points of every point, nearest first, ties by
  /// `rank` (smaller first). Queries run in tree order on all cores.
  func allNearest(k: Int, rank: [Int]) -> [[(index: Int, squaredDistance: Double)]] {
    let n = order.count, p = dimensions
    var result = [[(index: Int, squaredDistance: Double)]](repeating: [], count: n)
    let chunk = 512
    let chunks = (n + chunk - 1) / chunk
    result.withUnsafeMutableBufferPointer { out in
      nonisolated(unsafe) let outBase = out.baseAddress!
      points.withUnsafeBufferPointer { pts in
        lower.withUnsafeBufferPointer { lo in
          upper.withUnsafeBufferPointer { hi in
            nonisolated(unsafe) let pointBase = pts.baseAddress!
            nonisolated(unsafe) let lowerBase = lo.baseAddress!, upperBase = hi.baseAddress!
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
              var heap = CandidateHeap(capacity: k)
              var stack: [(node: Int, bound: Double)] = []
              for t in (c * chunk)..<min(n, (c + 1) * chunk) {
                heap.removeAll()
                let q = pointBase + t * p
                let self_ = order[t]
                stack.removeAll(keepingCapacity: true)
                stack.append((0, 0))
                while let (node, bound) = stack.popLast() {
                  if heap.isFull && bound > heap.kthDistance { continue }
                  if left[node] < 0 {
                    for u in start[node]..<end[node] where order[u] != self_ {
                      let y = pointBase + u * p
                      var s = 0.0
                      for j in 0..<p { let d = q[j] - y[j]; s += d * d }
                      heap.offer(s, order[u], rank: rank[order[u]])
                    }
                    continue
                  }
                  let a = left[node], b = right[node]
                  let da = Self.boxDistance(q, lowerBase + a * p, upperBase + a * p, p)
                  let db = Self.boxDistance(q, lowerBase + b * p, upperBase + b * p, p)
                  // Push the farther child first so the nearer is searched first.
                  if da <= db { stack.append((b, db)); stack.append((a, da)) } else { stack.append((a, da)); stack.append((b, db)) }
                }
                outBase[self_] = heap.sorted()
              }
            }
          }
        }
      }
    }
    return result
  }

  /// Squared distance from a point to a box (0 inside).
  @inline(__always)
  static func boxDistance(_ q: UnsafePointer<Double>, _ lo: UnsafePointer<Double>, _ hi: UnsafePointer<Double>,
                          _ p: Int) -> Double {
    var s = 0.0
    for j in 0..<p {
      let d = max(0, lo[j] - q[j], q[j] - hi[j])
      s += d * d
    }
    return s
  }
}
