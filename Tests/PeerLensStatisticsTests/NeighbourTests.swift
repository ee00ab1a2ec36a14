import Foundation
import Testing
import PeerLensNumerics
import PeerLensStatistics

@Suite struct NeighbourTests {
  static func randomMatrix(_ n: Int, _ p: Int, seed: UInt64) -> Matrix {
    var rng = SeededGenerator(seed: seed)
    return Matrix(rows: n, columns: p, columnMajor: (0..<(n * p)).map { _ in rng.normal() })
  }

  /// The k smallest distances by a naive all-pairs search, ties by id.
  static func naive(_ x: Matrix, ids: [String], k: Int) -> [[(Int, Double)]] {
    (0..<x.rows).map { i in
      var all: [(Int, Double)] = []
      for j in 0..<x.rows where j != i {
        var s = 0.0
        for q in 0..<x.columns { let d = x[i, q] - x[j, q]; s += d * d }
        all.append((j, s.squareRoot()))
      }
      all.sort { $0.1 != $1.1 ? $0.1 < $1.1 : ids[$0.0] < ids[$1.0] }
      return Array(all.prefix(k))
    }
  }

  /// Both methods equal a naive all-pairs search; small GEMM blocks so the
  /// blocking itself is exercised, and enough units for a deep tree.
  @Test(arguments: [NearestNeighbours.Method.kdTree, .bruteForce])
  func distancesAndOrderEqualANaiveSearch(method: NearestNeighbours.Method) {
    let x = Self.randomMatrix(700, 5, seed: 3)
    let ids = (0..<700).map { String(format: "U%04d", (7 * $0) % 700) }  // id order ≠ index order
    let knn = NearestNeighbours(x, ids: ids, k: 7, method: method, rowBlock: 32, columnBlock: 50)
    let want = Self.naive(x, ids: ids, k: 7)
    for i in 0..<700 {
      let got = knn.neighbours[i]
      #expect(got.map(\.index) == want[i].map(\.0), "unit \(i)")
      for (g, w) in zip(got, want[i]) { #expect(abs(g.distance - w.1) <= 1e-13 * max(1, w.1)) }
    }
  }

  /// Many exact duplicates and ties on a grid (where pruning by "no farther
  /// than the k-th" matters), in a dimension above the tree's default.
  @Test(arguments: [NearestNeighbours.Method.kdTree, .bruteForce, .automatic])
  func duplicatesAndGridTiesEqualANaiveSearch(method: NearestNeighbours.Method) {
    var rng = SeededGenerator(seed: 5)
    let n = 400
    var grid = [Double](repeating: 0, count: n * 3)
    for i in 0..<n { for j in 0..<3 { grid[j * n + i] = Double(Int(rng.uniform() * 4)) } }
    let x = Matrix(rows: n, columns: 3, columnMajor: grid)
    let ids = (0..<n).map { String(format: "G%03d", (13 * $0) % n) }
    let knn = NearestNeighbours(x, ids: ids, k: 10, method: method)
    let want = Self.naive(x, ids: ids, k: 10)
    for i in 0..<n { #expect(knn.neighbours[i].map(\.index) == want[i].map(\.0), "unit \(i)") }

    let wide = Self.randomMatrix(200, 20, seed: 8)
    let wideIDs = (0..<200).map { String(format: "W%03d", $0) }
    let wideWant = Self.naive(wide, ids: wideIDs, k: 5)
    let wideGot = NearestNeighbours(wide, ids: wideIDs, k: 5, method: method)
    for i in 0..<200 { #expect(wideGot.neighbours[i].map(\.index) == wideWant[i].map(\.0)) }
  }

  @Test(arguments: NearestNeighbours.Method.allCases)
  func tiesAreBrokenByID(method: NearestNeighbours.Method) {
    // Unit 0 at the origin; units 1–4 all at distance 1; ids chosen so id order differs from index order.
    let pts: [[Double]] = [[0, 0], [1, 0], [0, 1], [-1, 0], [0, -1], [5, 5]]
    let x = Matrix(rowArrays: pts)
    let ids = ["z", "d", "b", "c", "a", "e"]
    let knn = NearestNeighbours(x, ids: ids, k: 3, method: method)
    #expect(knn.neighbours[0].map { ids[$0.index] } == ["a", "b", "c"])
  }

  @Test func mahalanobisEqualsTheQuadraticForm() throws {
    let x = Self.randomMatrix(50, 3, seed: 11)
    let fm = try FeatureMatrix(ids: (0..<50).map(String.init), variables: ["a", "b", "c"],
                               columns: (0..<3).map { x.column($0) }, standardization: .none)
    let w = try fm.whitened()
    // Sample covariance and its inverse.
    var centred = x
    for j in 0..<3 { let m = x.column(j).reduce(0, +) / 50; for i in 0..<50 { centred[i, j] -= m } }
    let cov = centred.transposeMultiplied(by: centred) * (1.0 / 49)
    let inv = try Cholesky(cov).inverse()
    for (i, j) in [(0, 1), (5, 17), (30, 49)] {
      let d = (0..<3).map { x[i, $0] - x[j, $0] }
      var q = 0.0
      for a in 0..<3 { for b in 0..<3 { q += d[a] * inv[a, b] * d[b] } }
      var e = 0.0
      for c in 0..<3 { let t = w.matrix[i, c] - w.matrix[j, c]; e += t * t }
      #expect(abs(q - e) < 1e-10 * q)
    }
  }

  /// The whitening is the symmetric S^(-1/2): whitened data have identity
  /// covariance, the transform is symmetric, and weights scale each
  /// whitened coordinate by √w (so d² = Δᵀ S^(-1/2) W S^(-1/2) Δ).
  @Test func weightedMahalanobisWeighsTheSymmetricWhitening() throws {
    let x = Self.randomMatrix(60, 3, seed: 23)
    let fm = try FeatureMatrix(ids: (0..<60).map(String.init), variables: ["a", "b", "c"],
                               columns: (0..<3).map { x.column($0) }, standardization: .none)
    let plain = try fm.whitened()
    let cov = plain.matrix.transposeMultiplied(by: plain.matrix) * (1.0 / 59)
    for a in 0..<3 { for b in 0..<3 { #expect(abs(cov[a, b] - (a == b ? 1 : 0)) < 1e-10) } }
    // Recover the transform T from X_c T = Y by least squares; it must be symmetric.
    var centred = x
    for j in 0..<3 { let m = x.column(j).reduce(0, +) / 60; for i in 0..<60 { centred[i, j] -= m } }
    let gramInverse = try Cholesky(centred.transposeMultiplied(by: centred)).inverse()
    let t = gramInverse.multiplied(by: centred.transposeMultiplied(by: plain.matrix))
    for a in 0..<3 { for b in 0..<3 { #expect(abs(t[a, b] - t[b, a]) < 1e-9 * (abs(t[a, b]) + 1)) } }
    let weighted = try fm.whitened(weights: [10, 1, 0.25])
    for i in 0..<60 {
      #expect(abs(weighted.matrix[i, 0] - 10.0.squareRoot() * plain.matrix[i, 0]) < 1e-12)
      #expect(abs(weighted.matrix[i, 1] - plain.matrix[i, 1]) < 1e-12)
      #expect(abs(weighted.matrix[i, 2] - 0.5 * plain.matrix[i, 2]) < 1e-12)
    }
  }

  @Test func kMeansRecoversSeparableClusters() {
    var rng = SeededGenerator(seed: 5)
    var rows: [[Double]] = []
    let centres: [[Double]] = [[0, 0], [10, 0], [0, 10], [10, 10]]
    for c in centres { for _ in 0..<25 { rows.append([c[0] + rng.normal(), c[1] + rng.normal()]) } }
    let fit = KMeans(clusterCount: 4, seed: 9).fit(Matrix(rowArrays: rows))
    for block in 0..<4 {
      let labels = Set(fit.labels[(block * 25)..<((block + 1) * 25)])
      #expect(labels.count == 1, "block \(block) split over \(labels)")
    }
    #expect(Set(fit.labels).count == 4)
    // Deterministic given the seed.
    #expect(KMeans(clusterCount: 4, seed: 9).fit(Matrix(rowArrays: rows)).labels == fit.labels)
    let s = Silhouette.widths(Matrix(rowArrays: rows), labels: fit.labels)
    #expect(s.reduce(0, +) / Double(s.count) > 0.8)
  }

  /// Hamerly's bounds skip distance computations, never change an
  /// assignment: from the same seeds it gives exactly Lloyd's labels,
  /// centres, inertia and iteration counts — on overlapping random data
  /// (many near-ties) and on well-separated clusters.
  @Test(arguments: [(4, 2), (8, 5), (12, 3)])
  func hamerlyGivesLloydsAssignments(clusters: Int, seed: UInt64) {
    let x = Self.randomMatrix(3000, 4, seed: seed)
    var rng = SeededGenerator(seed: seed + 100)
    var rows: [[Double]] = []
    for c in 0..<clusters { for _ in 0..<150 { rows.append([Double(c % 4) * 6 + rng.normal(), Double(c / 4) * 6 + rng.normal()]) } }
    for data in [x, Matrix(rowArrays: rows)] {
      let lloyd = KMeans(clusterCount: clusters, restarts: 4, seed: seed, algorithm: .lloyd).fit(data)
      let hamerly = KMeans(clusterCount: clusters, restarts: 4, seed: seed, algorithm: .hamerly).fit(data)
      #expect(hamerly.labels == lloyd.labels)
      #expect(hamerly.centers == lloyd.centers)
      #expect(hamerly.inertia == lloyd.inertia)
      #expect(hamerly.iterations == lloyd.iterations)
    }
  }

  /// Many rows (several parallel chunks): a converged fit is a Lloyd fixed
  /// point — every row at its nearest centre, every centre the mean of its
  /// rows — and the inertia is the sum of those squared distances.
  @Test func kMeansFitIsALloydFixedPointAcrossChunks() {
    let n = 5 * 2048 + 17, p = 3
    let x = Self.randomMatrix(n, p, seed: 21)
    let fit = KMeans(clusterCount: 6, restarts: 2, seed: 3).fit(x)
    #expect(fit.converged && fit.centers.count == 6)
    var inertia = 0.0
    var sums = [[Double]](repeating: [Double](repeating: 0, count: p), count: 6)
    var counts = [Int](repeating: 0, count: 6)
    for i in 0..<n {
      let d = fit.centers.map { c in (0..<p).reduce(0.0) { $0 + (x[i, $1] - c[$1]) * (x[i, $1] - c[$1]) } }
      let nearest = d.indices.min { d[$0] < d[$1] }!
      #expect(d[fit.labels[i]] == d[nearest], "row \(i) is not at its nearest centre")
      inertia += d[fit.labels[i]]
      counts[fit.labels[i]] += 1
      for j in 0..<p { sums[fit.labels[i]][j] += x[i, j] }
    }
    #expect(abs(inertia - fit.inertia) <= 1e-9 * inertia)
    // Converged within scikit-learn's tolerance: centres are within it of their means.
    for c in 0..<6 {
      for j in 0..<p { #expect(abs(sums[c][j] / Double(counts[c]) - fit.centers[c][j]) < 1e-2) }
    }
  }

  /// Ward via Lance–Williams against a naive search over cluster centroids.
  @Test func wardHeightsEqualANaiveImplementation() {
    let x = Self.randomMatrix(12, 3, seed: 21)
    let ward = WardClustering(x)
    var clusters: [[Int]] = (0..<12).map { [$0] }
    var naiveHeights: [Double] = []
    func centroid(_ c: [Int]) -> [Double] { (0..<3).map { q in c.reduce(0.0) { $0 + x[$1, q] } / Double(c.count) } }
    while clusters.count > 1 {
      var best = (0, 1, Double.infinity)
      for a in 0..<clusters.count {
        for b in (a + 1)..<clusters.count {
          let ca = centroid(clusters[a]), cb = centroid(clusters[b])
          let na = Double(clusters[a].count), nb = Double(clusters[b].count)
          let d2 = zip(ca, cb).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
          let delta = na * nb / (na + nb) * d2
          if delta < best.2 { best = (a, b, delta) }
        }
      }
      naiveHeights.append((2 * best.2).squareRoot())
      clusters[best.0] += clusters[best.1]
      clusters.remove(at: best.1)
    }
    #expect(ward.merges.count == 11)
    for (w, n) in zip(ward.merges.map(\.height), naiveHeights) { #expect(abs(w - n) < 1e-10 * max(1, n)) }
    #expect(Set(ward.labels(clusters: 3)).count == 3)
  }

  @Test func closenessBandsFollowTheDocumentedCutOffs() {
    #expect(ClosenessBand(distance: 0.4, variables: 4) == .extremelyClose)  // rms 0.2
    #expect(ClosenessBand(distance: 0.9, variables: 4) == .veryClose)
    #expect(ClosenessBand(distance: 1.2, variables: 4) == .close)
    #expect(ClosenessBand(distance: 1.9, variables: 4) == .somewhatClose)
    #expect(ClosenessBand(distance: 2.5, variables: 4) == .notClose)
  }

  @Test func constantVariableIsAnError() {
    #expect(throws: FeatureMatrix.FeatureError.constantVariable("k")) {
      try FeatureMatrix(ids: ["a", "b"], variables: ["k"], columns: [[1, 1]])
    }
    // One unit alone is said to be one unit, not a constant variable.
    #expect(throws: FeatureMatrix.FeatureError.oneUnit("a")) {
      try FeatureMatrix(ids: ["a"], variables: ["k", "m"], columns: [[1], [2]])
    }
  }

  /// Standardising is scale-free: a variable of values near 1e160 (whose
  /// squares overflowed, so it was divided by infinity and dropped unsaid)
  /// or near 1e-170 (whose squares underflowed, so it was called constant)
  /// gives the same standardised column as the same numbers near 1.
  @Test func standardisingIsScaleFreeAtTheEndsOfDoubleRange() throws {
    let base: [Double] = [1, 2, 3, -1, 0.5]
    let ids = ["A", "B", "C", "D", "E"]
    let plain = try FeatureMatrix(ids: ids, variables: ["a"], columns: [base])
    for scale in [1e160, 1e-170, 1e-310] {
      let scaled = try FeatureMatrix(ids: ids, variables: ["a"], columns: [base.map { $0 * scale }])
      for i in 0..<5 {
        #expect(abs(scaled.matrix[i, 0] - plain.matrix[i, 0]) < 1e-9, "scale \(scale), row \(i)")
      }
    }
    #expect(throws: FeatureMatrix.FeatureError.outOfRange(variable: "a", value: 1.7e308)) {
      try FeatureMatrix(ids: ["A", "B", "C"], variables: ["a"], columns: [[1.7e308, 1.7e308, 1]])
    }
  }
}
