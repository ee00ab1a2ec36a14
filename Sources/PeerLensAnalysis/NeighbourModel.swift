import Foundation
import PeerLensData
import PeerLensNumerics
import PeerLensStatistics
import TOMLKit

/// How model-based neighbours are found: variables, weights, transforms,
/// standardisation and metric (from `Models/neighbours.toml`, or options).
public struct NeighbourSpec: Sendable, Codable, Equatable {
  public enum Metric: String, Sendable, Codable, CaseIterable { case euclidean, mahalanobis }

  public var metric: Metric
  public var standardization: FeatureMatrix.Standardization
  public var k: Int
  /// Variable → weight; variables are used in sorted order.
  public var weights: [String: Double]
  /// Variable → "log" (more may be added).
  public var transforms: [String: String]
  /// The file the specification was read from, named in errors about its
  /// variables (they had been called a formula's); `nil` for options.
  public var source: String? = nil

  public init(variables: [String], weights: [String: Double] = [:], metric: Metric = .euclidean,
              standardization: FeatureMatrix.Standardization = .zScore, k: Int = 10, transforms: [String: String] = [:]) {
    var w: [String: Double] = [:]
    for v in variables { w[v] = weights[v] ?? 1 }
    self.weights = w
    self.metric = metric
    self.standardization = standardization
    self.k = k
    self.transforms = transforms
  }

  public var variables: [String] { weights.keys.sorted() }

  enum CodingKeys: String, CodingKey { case metric, standardization, k, weights, transforms }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    metric = try c.decodeIfPresent(Metric.self, forKey: .metric) ?? .euclidean
    standardization = try c.decodeIfPresent(FeatureMatrix.Standardization.self, forKey: .standardization) ?? .zScore
    k = try c.decodeIfPresent(Int.self, forKey: .k) ?? 10
    // As `--k` refuses it: k = 0 printed a header and no neighbours.
    guard k >= 1 else {
      throw DecodingError.dataCorruptedError(
        forKey: .k, in: c, debugDescription: "k is the number of neighbours per unit, at least 1; found \(k)")
    }
    weights = try c.decode([String: TOMLNumber].self, forKey: .weights).mapValues(\.value)
    // As `--weights` refuses them: a negative weight makes squared
    // distances negative (every distance came out empty and every unit
    // "Not close"), and weights that are all 0 make every distance 0.
    for (name, w) in weights.sorted(by: { $0.key < $1.key }) where !(w.isFinite && w >= 0) {
      throw DecodingError.dataCorruptedError(
        forKey: .weights, in: c,
        debugDescription: w.isFinite
          ? "the weight of '\(name)' is \(w); a weight is zero or more, as a negative weight gives no distance"
          : "the weight of '\(name)' is \(w); a weight is a finite number of zero or more")
    }
    guard weights.values.contains(where: { $0 > 0 }) else {
      throw DecodingError.dataCorruptedError(
        forKey: .weights, in: c,
        debugDescription: "every weight is 0, so every distance would be 0 and every unit equally close; give at least one weight above 0")
    }
    transforms = try c.decodeIfPresent([String: String].self, forKey: .transforms) ?? [:]
    // A transform of a variable the distance does not use did nothing,
    // without a word (a misspelt name, or a variable left out of [weights]).
    if let stray = transforms.keys.sorted().first(where: { weights[$0] == nil }) {
      throw DecodingError.dataCorruptedError(
        forKey: .transforms, in: c,
        debugDescription: "[transforms] names '\(stray)', which [weights] does not list, so the transform would do nothing; "
          + "list the variable under [weights] or remove its transform")
    }
  }

  public static func load(from url: URL) throws -> NeighbourSpec {
    let text: String
    do { text = try String(contentsOf: url, encoding: .utf8) } catch { throw CatalogueError.reading(url) }
    var spec = try TOMLFile.decode(NeighbourSpec.self, from: text, source: url.lastPathComponent)
    spec.source = url.lastPathComponent
    return spec
  }

  /// The units' standardised variables, with the units left out and why.
  public struct Features: Sendable {
    public let matrix: FeatureMatrix
    /// Every unit left out, in table order.
    public let excluded: [String]
    /// Of those, the ones left out for a missing value (the rest for a
    /// logged variable of 0 or below, which `notes` names).
    public let missing: [String]
    /// Plain-words notes: logged variables with values that have no
    /// logarithm, and a nearly singular covariance under Mahalanobis.
    public let notes: [String]
  }

  /// Builds the feature matrix from a table with an id column. Rows with a
  /// missing variable are left out and listed.
  public func features(table: CSVTable, idColumn: String) throws -> Features {
    let ids = try table.text(idColumn)
    var columns: [[Double?]] = []
    var notes: [String] = []
    var unlogged = Set<Int>()
    // Where the variables were named: the specification's [weights], or
    // --variables.
    let named = source.map { "\($0), [weights]" } ?? "--variables"
    for (k, v) in variables.enumerated() {
      guard table.hasColumn(v) else {
        throw FormulaError.unknownListed(variables, at: k, available: table.columnNames, option: named)
      }
      let vals: [Double?]
      do { vals = try table.values(v).map(\.number) } catch {
        throw AnalysisError.invalid("\(named): '\(v)' is not a column of numbers in \(table.source), so it cannot be a "
                                    + "distance's variable: \(error.localizedDescription)")
      }
      switch transforms[v] {
      case "log"?:
        // A value of 0 or below has no logarithm: the unit is left out,
        // and said so (it had been listed as a missing value).
        let bad = vals.indices.filter { vals[$0].map { $0 <= 0 } ?? false }
        if !bad.isEmpty {
          unlogged.formUnion(bad)
          let shown = bad.prefix(10).map { ids[$0] }.joined(separator: ", ") + (bad.count > 10 ? ", …" : "")
          notes.append("'\(v)' is taken as a logarithm ([transforms]), and \(bad.count) unit\(bad.count == 1 ? " has" : "s have") "
                       + "a value of 0 or below, which has none: left out (\(shown)).")
        }
        columns.append(vals.map { $0.flatMap { $0 > 0 ? Foundation.log($0) : nil } })
      case nil: columns.append(vals)
      case let t?: throw AnalysisError.invalid("Unknown transform '\(t)' for '\(v)' (known: log).")
      }
    }
    let isComplete = (0..<ids.count).map { i in columns.allSatisfy { $0[i] != nil } }
    let complete = (0..<ids.count).filter { isComplete[$0] }
    let left = (0..<ids.count).filter { !isComplete[$0] }
    let w = variables.map { weights[$0] ?? 1 }
    // Mahalanobis whitening would undo weights applied before it, so they
    // go in after (see `FeatureMatrix.whitened(weights:)`).
    let fm = try FeatureMatrix(ids: complete.map { ids[$0] }, variables: variables,
                               columns: columns.map { col in complete.map { col[$0]! } },
                               weights: metric == .mahalanobis ? nil : w, standardization: standardization)
    let matrix = metric == .mahalanobis ? try fm.whitened(weights: w) : fm
    if let whitening = matrix.whitening, whitening.condition > 1e6 {
      let names = whitening.weakestVariables
      let which = names.count > 1 ? "\(EnglishList.joined(names)) are nearly a combination of one another"
                                  : "the variables are nearly a combination of one another"
      notes.append("The variables' covariance is nearly singular (condition number \(String(format: "%.2e", whitening.condition))): "
                   + "\(which), and Mahalanobis distance stretches the tiny differences along that combination to a full "
                   + "standard deviation, so they can decide who is a neighbour. Leave one of them out, or use --metric euclidean.")
    }
    return Features(matrix: matrix, excluded: left.map { ids[$0] },
                    missing: left.filter { !unlogged.contains($0) }.map { ids[$0] }, notes: notes)
  }
}

/// Model-based neighbours for every unit.
public struct NeighbourRun: Sendable {
  public struct Entry: Sendable, Equatable {
    public let id: String
    public let rank: Int
    public let neighbour: String
    public let distance: Double
    public let band: ClosenessBand
  }

  public let spec: NeighbourSpec
  public let ids: [String]
  /// Per unit, its neighbours closest first.
  public let lists: [String: [Entry]]
  public let excluded: [String]
  /// Units left out for a missing value (the others are named in `notes`).
  public let missing: [String]
  /// Why units were left out, and how far to trust the distances.
  public let notes: [String]

  public init(spec: NeighbourSpec, table: CSVTable, idColumn: String) throws {
    let found = try spec.features(table: table, idColumn: idColumn)
    let features = found.matrix
    let knn = NearestNeighbours(features.matrix, ids: features.ids, k: spec.k)
    var lists: [String: [Entry]] = [:]
    for (i, id) in features.ids.enumerated() {
      lists[id] = knn.neighbours[i].enumerated().map { r, nb in
        Entry(id: id, rank: r + 1, neighbour: features.ids[nb.index], distance: nb.distance,
              band: ClosenessBand(distance: nb.distance, variables: spec.variables.count))
      }
    }
    self.spec = spec
    self.ids = features.ids
    self.lists = lists
    self.excluded = found.excluded
    self.missing = found.missing
    self.notes = found.notes
  }
}

/// How a transparent neighbour model relates to the official list.
public struct NeighbourAgreement: Sendable {
  public struct Row: Sendable, Equatable {
    public let code: String
    public let name: String
    /// Neighbours in both lists.
    public let overlap: Int
    public let jaccard: Double
    /// Spearman correlation of the ranks of the common neighbours (nil with fewer than 3).
    public let rankCorrelation: Double?
    public let model: [String]
    public let official: [String]
  }

  public let rows: [Row]

  public var meanOverlap: Double { rows.isEmpty ? .nan : Double(rows.map(\.overlap).reduce(0, +)) / Double(rows.count) }
  public var meanJaccard: Double { rows.isEmpty ? .nan : rows.map(\.jaccard).reduce(0, +) / Double(rows.count) }
  /// How many authorities share 0, 1, …, 10 neighbours.
  public var overlapDistribution: [Int] {
    var d = [Int](repeating: 0, count: 11)
    for r in rows { d[min(r.overlap, 10)] += 1 }
    return d
  }

  public init(model: NeighbourRun, official: [String: [(code: String, band: String)]], names: [String: String]) {
    var rows: [Row] = []
    for code in model.ids.sorted() {
      guard let off = official[code], let mine = model.lists[code] else { continue }
      let a = mine.map(\.neighbour), b = off.map(\.code)
      let common = a.filter { b.contains($0) }
      let union = Set(a).union(b).count
      var rho: Double? = nil
      if common.count >= 3 {
        let ra = common.map { Double(a.firstIndex(of: $0)!) }, rb = common.map { Double(b.firstIndex(of: $0)!) }
        rho = Self.spearman(ra, rb)
      }
      rows.append(Row(code: code, name: names[code] ?? code, overlap: common.count,
                      jaccard: union > 0 ? Double(common.count) / Double(union) : 0, rankCorrelation: rho,
                      model: a, official: b))
    }
    self.rows = rows
  }

  static func spearman(_ a: [Double], _ b: [Double]) -> Double {
    func ranks(_ v: [Double]) -> [Double] {
      let order = v.indices.sorted { v[$0] < v[$1] }
      var r = [Double](repeating: 0, count: v.count)
      for (k, i) in order.enumerated() { r[i] = Double(k + 1) }
      return r
    }
    let ra = ranks(a), rb = ranks(b)
    let n = Double(a.count)
    let ma = ra.reduce(0, +) / n, mb = rb.reduce(0, +) / n
    var sab = 0.0, saa = 0.0, sbb = 0.0
    for i in a.indices { sab += (ra[i] - ma) * (rb[i] - mb); saa += (ra[i] - ma) * (ra[i] - ma); sbb += (rb[i] - mb) * (rb[i] - mb) }
    return saa > 0 && sbb > 0 ? sab / (saa * sbb).squareRoot() : 0
  }
}

/// Families of units by clustering, with silhouettes and plain-word profiles.
public struct ClusterRun: Sendable {
  public enum Method: String, Sendable, CaseIterable { case kmeans, ward }

  public struct Candidate: Sendable {
    public let k: Int
    public let labels: [Int]
    public let meanSilhouette: Double
    public let silhouettes: [Double]
  }

  public let ids: [String]
  public let variables: [String]
  public let candidates: [Candidate]
  /// The k with the largest mean silhouette width.
  public let suggested: Candidate
  /// Per cluster of the suggested solution: mean standardised value of each variable.
  public let profiles: [[Double]]
  public let excluded: [String]
  /// Units left out for a missing value (the others are named in `notes`).
  public let missing: [String]
  /// Why units were left out, and how far to trust the distances.
  public let notes: [String]
  /// The numbers of clusters asked for that were left out because they are
  /// not below the number of units (a clustering of n units has at most
  /// n − 1 families with a silhouette): callers say so rather than let a
  /// range shrink without a word.
  public let outOfReach: [Int]
  /// Distinct rows among the units' standardised values: a clustering has
  /// at most this many non-empty families (five units of which four are
  /// identical gave "Family 3 (0 units)" for k = 3).
  public let distinctProfiles: Int

  /// - Parameter restarts: k-means starts; default `KMeans.restarts(forRows:)`.
  /// - Throws: `AnalysisError.clusterCountsOutOfReach` when no k asked for
  ///   is at least 2 and below the number of units.
  public init(spec: NeighbourSpec, table: CSVTable, idColumn: String, ks: [Int], method: Method, seed: UInt64 = 42,
              restarts: Int? = nil) throws {
    let found = try spec.features(table: table, idColumn: idColumn)
    let features = found.matrix
    let x = features.matrix
    let ward = method == .ward ? WardClustering(x) : nil
    let distinct = Set((0..<x.rows).map { i in (0..<x.columns).map { x[i, $0] } }).count
    var candidates: [Candidate] = []
    for k in ks where k >= 2 && k < x.rows && k <= distinct {
      let labels = ward?.labels(clusters: k) ?? KMeans(clusterCount: k, restarts: restarts ?? KMeans.restarts(forRows: x.rows), seed: seed)
        .fit(x).labels
      let s = Silhouette.widths(x, labels: labels)
      candidates.append(Candidate(k: k, labels: labels, meanSilhouette: s.reduce(0, +) / Double(s.count), silhouettes: s))
    }
    guard let best = candidates.max(by: { $0.meanSilhouette < $1.meanSilhouette || ($0.meanSilhouette == $1.meanSilhouette && $0.k > $1.k) }) else {
      throw AnalysisError.clusterCountsOutOfReach(requested: ks, units: x.rows, distinct: distinct)
    }
    var profiles = [[Double]](repeating: [Double](repeating: 0, count: x.columns), count: best.k)
    var counts = [Int](repeating: 0, count: best.k)
    for i in 0..<x.rows {
      counts[best.labels[i]] += 1
      for j in 0..<x.columns { profiles[best.labels[i]][j] += x[i, j] / (spec.weights[features.variables[j]] ?? 1).squareRoot() }
    }
    for c in 0..<best.k { for j in 0..<x.columns { profiles[c][j] /= Double(max(counts[c], 1)) } }
    self.ids = features.ids
    self.variables = features.variables
    self.candidates = candidates
    self.suggested = best
    self.profiles = profiles
    self.excluded = found.excluded
    self.missing = found.missing
    self.notes = found.notes
    self.outOfReach = ks.filter { $0 >= x.rows || $0 > distinct }
    self.distinctProfiles = distinct
  }

  /// A plain-words profile: the (up to) three variables furthest from the
  /// average, in standard deviations.
  public func describe(cluster c: Int) -> String {
    let size = suggested.labels.filter { $0 == c }.count
    let top = variables.indices.sorted { abs(profiles[c][$0]) > abs(profiles[c][$1]) }.prefix(3)
    let parts = top.map { j -> String in
      let z = profiles[c][j]
      let word = abs(z) < 0.25 ? "close to average" : (z > 0 ? "higher" : "lower")
      return "\(word) \(variables[j]) (\(String(format: "%+.1f", z)) SD)"
    }
    return "Family \(c + 1) (\(size) units): " + parts.joined(separator: ", ")
  }
}
