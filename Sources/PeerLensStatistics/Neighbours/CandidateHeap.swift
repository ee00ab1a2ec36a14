/// The k nearest candidates so far under the order (distance, rank): a
/// bounded max-heap whose root is the current k-th. Shared by both
/// nearest-neighbour methods (the k-d tree and blocked GEMM).
struct CandidateHeap {
  let capacity: Int
  private var distance: [Double] = []
  private var rank: [Int] = []
  private var index: [Int] = []

  init(capacity: Int) {
    self.capacity = capacity
    distance.reserveCapacity(capacity); rank.reserveCapacity(capacity); index.reserveCapacity(capacity)
  }

  var isFull: Bool { distance.count == capacity }
  var kthDistance: Double { distance.isEmpty ? .infinity : distance[0] }

  mutating func removeAll() {
    distance.removeAll(keepingCapacity: true); rank.removeAll(keepingCapacity: true); index.removeAll(keepingCapacity: true)
  }

  @inline(__always)
  private func greater(_ a: Int, _ b: Int) -> Bool {
    distance[a] != distance[b] ? distance[a] > distance[b] : rank[a] > rank[b]
  }

  private mutating func swap(_ a: Int, _ b: Int) {
    distance.swapAt(a, b); rank.swapAt(a, b); index.swapAt(a, b)
  }

  @inline(__always)
  mutating func offer(_ d: Double, _ i: Int, rank r: Int) {
    if distance.count < capacity {
      distance.append(d); rank.append(r); index.append(i)
      var c = distance.count - 1
      while c > 0 {
        let parent = (c - 1) / 2
        guard greater(c, parent) else { break }
        swap(c, parent)
        c = parent
      }
      return
    }
    guard capacity > 0, d < distance[0] || (d == distance[0] && r < rank[0]) else { return }
    distance[0] = d; rank[0] = r; index[0] = i
    var c = 0
    while true {
      let l = 2 * c + 1, rr = l + 1
      var largest = c
      if l < capacity && greater(l, largest) { largest = l }
      if rr < capacity && greater(rr, largest) { largest = rr }
      if largest == c { break }
      swap(c, largest)
      c = largest
    }
  }

  /// The candidates, nearest first (ties by rank).
  func sorted() -> [(index: Int, squaredDistance: Double)] {
    (0..<distance.count)
      .sorted { distance[$0] != distance[$1] ? distance[$0] < distance[$1] : rank[$0] < rank[$1] }
      .map { (index[$0], distance[$0]) }
  }
}
