import CLAPACKE
import Dispatch
import Foundation
import PeerLensNumerics

/// Exact k-nearest neighbours for every unit, at any scale.
///
/// Two exact methods, chosen by dimension unless the caller says:
/// - **k-d tree** (`KDTree`) for up to 16 variables: bounding-box pruning
///   means each query looks at a few hundred units, not all of them.
/// - **Blocked GEMM** (below) for more variables, where boxes stop pruning.
/// Both return the same neighbours: the k smallest distances, ties broken
/// by id.
///
/// In the GEMM method, squared distances come from ‖x‖² + ‖y‖² − 2xyᵀ, with the cross
/// products computed a block at a time by BLAS `dgemm`, so memory stays at
/// one block (never an n × n matrix). Each row keeps a bounded max-heap of
/// its best candidates; blocks of rows run on all cores (OpenBLAS itself
/// single-threaded meanwhile). The GEMM identity loses digits to
/// cancellation, so the survivors' distances are recomputed directly and
/// the final order is by (distance, id): ties are broken by id,
/// deterministically.
///
/// - Complexity: O(n² p) flops, O(n k + block²) memory.
public struct NearestNeighbours: Sendable {
  public struct Neighbour: Sendable, Equatable {
    public let index: Int
    public let distance: Double
  }

  /// How the search is done; every method gives the same answer.
  public enum Method: String, Sendable, CaseIterable {
    /// A k-d tree up to `kdTreeDimensionLimit` variables, GEMM above.
    case automatic
    case kdTree
    case bruteForce
  }

  /// Up to this many variables `.automatic` uses the k-d tree.
  public static let kdTreeDimensionLimit = 16

  public let k: Int
  /// For each unit, its k nearest other units, closest first.
  public let neighbours: [[Neighbour]]

  /// Finds the k nearest neighbours of every row of `x` among the other rows.
  public init(_ x: Matrix, ids: [String], k: Int, method: Method = .automatic, rowBlock: Int = 256,
              columnBlock: Int = 4096) {
    let n = x.rows, p = x.columns
    let k = min(k, max(n - 1, 0))
    self.k = k
    guard n > 1, k > 0 else { neighbours = [[Neighbour]](repeating: [], count: n); return }
    // Rank of each unit in id order: ties in distance go to the smaller id.
    let rank = Self.idRanks(ids)
    let useTree = method == .kdTree || (method == .automatic && p <= Self.kdTreeDimensionLimit)
    if useTree {
      neighbours = KDTree(x).allNearest(k: k, rank: rank).map { list in
        list.map { Neighbour(index: $0.index, distance: $0.squaredDistance.squareRoot()) }
      }
      return
    }
    // Row-major copy: each unit's p values contiguous.
    var rowMajor = [Double](repeating: 0, count: n * p)
    for j in 0..<p { for i in 0..<n { rowMajor[i * p + j] = x[i, j] } }
    let norms = (0..<n).map { i in (0..<p).reduce(0.0) { $0 + rowMajor[i * p + $1] * rowMajor[i * p + $1] } }
    let keep = k + 4  // a little slack so recomputed distances decide near-ties
    let maxNorm = norms.max() ?? 0
    // |GEMM d² − exact d²| ≤ c·(p + 2)·ε·(‖x‖² + ‖y‖²); c = 16 for margin.
    let roundingBound = 16 * Double(p + 2) * Double.ulpOfOne

    let blocks = (n + rowBlock - 1) / rowBlock
    var result = [[Neighbour]](repeating: [], count: n)
    let previousThreads = openblas_get_num_threads()
    openblas_set_num_threads(1)
    defer { openblas_set_num_threads(previousThreads) }
    rowMajor.withUnsafeBufferPointer { data in
      let base = data.baseAddress!
      nonisolated(unsafe) let dataBase = base
      result.withUnsafeMutableBufferPointer { out in
        nonisolated(unsafe) let outBase = out.baseAddress!
        DispatchQueue.concurrentPerform(iterations: blocks) { b in
          let r0 = b * rowBlock, r1 = min(n, r0 + rowBlock)
          let rows = r1 - r0
          // One bounded heap of candidates per row (the same heap the k-d
          // tree uses), ordered by GEMM distance and then id rank.
          var heaps = (0..<rows).map { _ in CandidateHeap(capacity: keep) }
          var cross = [Double](repeating: 0, count: rows * columnBlock)
          var c0 = 0
          while c0 < n {
            let c1 = min(n, c0 + columnBlock), cols = c1 - c0
            // cross (rows × cols, row-major) = X[r0..<r1] · X[c0..<c1]ᵀ
            cross.withUnsafeMutableBufferPointer { cp in
              cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(cols), Int32(p), 1.0,
                          dataBase + r0 * p, Int32(p), dataBase + c0 * p, Int32(p), 0.0, cp.baseAddress, Int32(cols))
            }
            cross.withUnsafeBufferPointer { cp in
              norms.withUnsafeBufferPointer { np in
                for r in 0..<rows {
                  let i = r0 + r
                  let ni = np[i]
                  var cutoff = heaps[r].isFull ? heaps[r].kthDistance : .infinity
                  let rowBase = r * cols
                  for c in 0..<cols {
                    let j = c0 + c
                    let d2 = ni + np[j] - 2 * cp[rowBase + c]
                    if d2 <= cutoff && j != i {
                      heaps[r].offer(d2, j, rank: rank[j])
                      cutoff = heaps[r].isFull ? heaps[r].kthDistance : .infinity
                    }
                  }
                }
              }
            }
            c0 = c1
          }
          for r in 0..<rows {
            let i = r0 + r
            func exact(_ j: Int) -> (index: Int, squared: Double) {
              var s = 0.0
              for q in 0..<p { let d = dataBase[i * p + q] - dataBase[j * p + q]; s += d * d }
              return (j, s)
            }
            var cands = heaps[r].sorted().map { exact($0.index) }
            cands.sort { $0.squared != $1.squared ? $0.squared < $1.squared : rank[$0.index] < rank[$1.index] }
            // Units left out had a GEMM distance at least the heap's cut-off.
            // If the exact k-th distance is clearly below it (by more than
            // the GEMM rounding bound), nothing left out can come before it;
            // otherwise (many ties) this unit is searched exhaustively.
            if heaps[r].isFull {
              let gemmCutoff = heaps[r].kthDistance
              let slack = roundingBound * (norms[i] + maxNorm)
              if !(cands[k - 1].squared < gemmCutoff - slack) {
                cands = (0..<n).filter { $0 != i }.map(exact)
                cands.sort { $0.squared != $1.squared ? $0.squared < $1.squared : rank[$0.index] < rank[$1.index] }
              }
            }
            outBase[i] = cands.prefix(k).map { Neighbour(index: $0.index, distance: $0.squared.squareRoot()) }
          }
        }
      }
    }
    self.neighbours = result
  }

  static func idRanks(_ ids: [String]) -> [Int] {
    var rank = [Int](repeating: 0, count: ids.count)
    for (r, i) in ids.indices.sorted(by: { ids[$0] != ids[$1] ? ids[$0] < ids[$1] : $0 < $1 }).enumerated() { rank[i] = r }
    return rank
  }
}

/// Closeness bands in the style of the official list.
///
/// The DfE does not publish how its bands are cut. PeerLens bands by the
/// root-mean-square difference per variable, in standard deviations:
/// d/√p < 0.25 extremely close, < 0.5 very close, < 0.75 close, < 1
/// somewhat close, otherwise not close.
public enum ClosenessBand: String, Sendable, CaseIterable, Codable {
  case extremelyClose = "Extremely close"
  case veryClose = "Very close"
  case close = "Close"
  case somewhatClose = "Somewhat close"
  case notClose = "Not close"

  public init(distance: Double, variables: Int) {
    let rms = distance / Double(max(variables, 1)).squareRoot()
    switch rms {
    case ..<0.25: self = .extremelyClose
    case ..<0.5: self = .veryClose
    case ..<0.75: self = .close
    case ..<1: self = .somewhatClose
    default: self = .notClose
    }
  }
}
