import Foundation
import PeerLens

/// How much work a run does.
enum BenchSize: String {
  case smoke, quick, full

  var reps: Int { self == .full ? 5 : (self == .quick ? 3 : 1) }
  var selectionIndicators: Int { self == .full ? 25 : (self == .quick ? 5 : 2) }
  var bootstrapResamples: Int { self == .full ? 1000 : (self == .quick ? 200 : 10) }
  var smallAreas: Int? { self == .smoke ? 2000 : nil }
}

/// The candidate context variables for all-subsets selection (12, complete for all 153 authorities).
let selectionCandidates = [
  "imd19_avg_score", "imd19_prop_lsoa_most_dep10", "imd19_extent", "income19_avg_score", "employment19_avg_score",
  "pct_white_british", "pct_asian", "pct_black", "pct_mixed", "pct_hh_overcrowded_bedrooms", "pct_hh_social_rented",
  "pct_hh_in_rural_lsoa_ruc21",
]

let smallAreaVariables = [
  "imd25_score", "imd25_income_score", "imd25_employment_score", "imd25_education_score", "imd25_health_score",
  "pct_hh_overcrowded", "pct_hh_social_rented", "pct_hh_private_rented",
]

struct Bench {
  let mirror: DataMirror
  let work: URL
  let size: BenchSize
  let models: URL

  func catalogue() throws -> IndicatorCatalogue {
    try IndicatorCatalogue.load(from: models.appendingPathComponent("indicators.toml"))
  }

  func write(_ name: String, _ text: String) throws {
    try text.write(to: work.appendingPathComponent(name), atomically: true, encoding: .utf8)
  }

  // MARK: - Inputs shared with the peers

  /// Writes every workload's input so peers read exactly what PeerLens reads.
  func prepare() throws {
    // 1. Selection: one CSV per indicator, y then the 12 candidates.
    let engine = ContextEngine(mirror: mirror, catalogue: try catalogue())
    let context = try mirror.context()
    var list: [String] = []
    for ind in try catalogue().indicators where ind.hasCounts {
      guard list.count < size.selectionIndicators else { break }
      let values = try IndicatorCalculator(mirror: mirror).values(ind)
      let ds = try ContextDataset.build(indicator: ind, values: values, context: context)
      var rows: [String] = ["y," + selectionCandidates.joined(separator: ",")]
      let cols = try selectionCandidates.map { try context.numeric($0) }
      for code in ds.codes {
        guard let v = ds.values[code], v.status == .ok, let y = v.value else { continue }
        rows.append(([y] + cols.map { $0[code]! }).map { "\($0)" }.joined(separator: ","))
      }
      guard rows.count > 100 else { continue }
      try write("selection_\(ind.id).csv", rows.joined(separator: "\n") + "\n")
      list.append(ind.id)
    }
    _ = engine
    try write("selection_indicators.txt", list.joined(separator: "\n") + "\n")
    // 2. Negative binomial: children in care 2025 with four context variables, and bootstrap indices.
    let cla = try catalogue().indicator(id: "cla_rate")!
    let ds = try ContextDataset.build(indicator: cla, values: IndicatorCalculator(mirror: mirror).values(cla), context: context)
    let nbVars = ["imd19_avg_score", "pct_ethnic_minority_excl_white_minorities", "pct_hh_overcrowded_bedrooms",
                  "pct_hh_in_rural_lsoa_ruc21"]
    let nbCols = try nbVars.map { try context.numeric($0) }
    var nbRows = ["count,population," + nbVars.joined(separator: ",")]
    for code in ds.codes {
      guard let v = ds.values[code], v.status == .ok, let x = v.numerator, let n = v.denominator else { continue }
      nbRows.append(([x, n] + nbCols.map { $0[code]! }).map { "\($0)" }.joined(separator: ","))
    }
    try write("nb.csv", nbRows.joined(separator: "\n") + "\n")
    let n = nbRows.count - 1
    var rng = SeededGenerator(seed: 2025)
    var boot: [String] = []
    for _ in 0..<size.bootstrapResamples {
      boot.append((0..<n).map { _ in String(Int(rng.uniform() * Double(n))) }.joined(separator: ","))
    }
    try write("nb_bootstrap.csv", boot.joined(separator: "\n") + "\n")
    // 3. Small areas: standardised variables (one row per LSOA).
    let x = try smallAreas()
    var lines: [String] = []
    lines.reserveCapacity(x.rows + 1)
    lines.append(smallAreaVariables.joined(separator: ","))
    for i in 0..<x.rows { lines.append((0..<x.columns).map { "\(x[i, $0])" }.joined(separator: ",")) }
    try write("lsoa.csv", lines.joined(separator: "\n") + "\n")
  }

  func smallAreas() throws -> Matrix {
    let t = try CSVReader.read(contentsOf: mirror.url("context/lsoa_context.csv"))
    let spec = NeighbourSpec(variables: smallAreaVariables)
    var fm = try spec.features(table: t, idColumn: "lsoa21_code").matrix
    if let m = size.smallAreas, m < fm.matrix.rows {
      fm = try FeatureMatrix(ids: Array(fm.ids.prefix(m)), variables: fm.variables,
                             columns: (0..<fm.matrix.columns).map { Array(fm.matrix.column($0).prefix(m)) },
                             standardization: .none)
    }
    return fm.matrix
  }

  func readMatrix(_ name: String) throws -> (header: [String], rows: [[Double]]) {
    let t = try CSVReader.read(contentsOf: work.appendingPathComponent(name))
    let cols = try t.columnNames.map { try t.values($0).map { $0.number ?? .nan } }
    return (t.columnNames, (0..<t.rowCount).map { i in cols.map { $0[i] } })
  }

  // MARK: - Timing

  func run(_ name: String, reps: Int) throws -> String {
    if name == "pack_on_demand" { return try packOnDemand() }
    if name == "rank_bootstrap" { return try rankBootstrap(reps: reps) }
    var times: [Double] = []
    var output = ""
    // Peak memory after the first repetition is what one run takes (a user
    // runs the national run once per process); the peak over all of them
    // adds the heap fragmentation of repeating it in one process.
    var firstRSS = 0.0
    for _ in 0..<max(1, reps) {
      let t0 = DispatchTime.now().uptimeNanoseconds
      output = try workload(name)
      times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
      if times.count == 1 { firstRSS = Self.peakRSSMiB() }
    }
    times.sort()
    let median = times[times.count / 2]
    return "{\"workload\": \"\(name)\", \"seconds\": \(median), \"reps\": \(times.count), \"peak_rss_mb\": \(firstRSS), "
      + "\"peak_rss_mb_all_reps\": \(Self.peakRSSMiB()), \"output\": \"\(output)\"}"
  }

  /// The process's peak resident memory so far, in MiB.
  static func peakRSSMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
  }

  func workload(_ name: String) throws -> String {
    switch name {
    case "selection": return try selection()
    case "nb_bootstrap": return try nbBootstrap()
    case "nb_bootstrap_1core": return try nbBootstrap(parallel: false)
    case "poisson_fits": return try poissonFits()
    case "knn": return try knn()
    case "kmeans": return try kmeans()
    case "ingest": return try ingest()
    case "packs": return try packs()
    case "dgemm": return try dgemm()
    default: throw DataError.invalid("unknown workload '\(name)'")
    }
  }
}
