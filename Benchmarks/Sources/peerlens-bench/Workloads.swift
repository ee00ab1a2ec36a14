import Foundation
import PeerLens

extension Bench {
  /// All subsets of 12 candidates, with LOO-CV, for each prepared indicator.
  func selection() throws -> String {
    let ids = try String(contentsOf: work.appendingPathComponent("selection_indicators.txt"), encoding: .utf8)
      .split(separator: "\n").map(String.init)
    var out = ["indicator,best_variables,best_aic,best_loo_mse,subsets"]
    for id in ids {
      let (_, rows) = try readMatrix("selection_\(id).csv")
      let y = rows.map { $0[0] }
      let n = rows.count, k = selectionCandidates.count
      var storage = [Double](repeating: 0, count: n * k)
      for j in 0..<k { for i in 0..<n { storage[j * n + i] = rows[i][j + 1] } }
      let sel = try AllSubsetsSelection(candidates: Matrix(rows: n, columns: k, columnMajor: storage),
                                        names: selectionCandidates, response: y)
      let best = sel.models[0]
      out.append("\(id),\(best.variables.map { selectionCandidates[$0] }.joined(separator: ";")),\(best.aic),\(best.looMSE),\(sel.models.count)")
    }
    try write("out_selection_peerlens.csv", out.joined(separator: "\n") + "\n")
    return "out_selection_peerlens.csv"
  }

  static func nbDesign(_ rows: [[Double]], _ index: [Int]? = nil) -> (DesignMatrix, [Double], [Double]) {
    let use = index ?? Array(rows.indices)
    let cols = (2..<rows[0].count).map { j in use.map { rows[$0][j] } }
    let design = DesignMatrix.withIntercept(cols, names: ["imd", "eth", "overcrowd", "rural"], rows: use.count)
    return (design, use.map { rows[$0][0] }, use.map { log(rows[$0][1]) })
  }

  /// Negative binomial (θ by ML) on each bootstrap resample: through
  /// `CaseBootstrap` (all cores, what `peerlens fit --bootstrap` does), or
  /// as a plain loop on one core (`parallel: false`), for the record.
  func nbBootstrap(parallel: Bool = true) throws -> String {
    let (_, rows) = try readMatrix("nb.csv")
    let text = try String(contentsOf: work.appendingPathComponent("nb_bootstrap.csv"), encoding: .utf8)
    let resamples = text.split(separator: "\n").map { $0.split(separator: ",").map { Int($0)! } }
    var out = ["resample,intercept,imd,eth,overcrowd,rural,theta"]
    let model = NegativeBinomialModel(tolerance: 1e-8)
    let (d0, y0, o0) = Bench.nbDesign(rows)
    let full = try model.fit(d0, response: y0, offset: o0)
    out.append("full," + (full.coefficients.map { "\($0!)" } + ["\(full.theta!)"]).joined(separator: ","))
    let statistic: @Sendable ([Int]) throws -> [Double] = { idx in
      let (d, y, o) = Bench.nbDesign(rows, idx)
      let fit = try model.fit(d, response: y, offset: o)
      return fit.coefficients.map { $0 ?? .nan } + [fit.theta ?? .nan]
    }
    let draws = parallel ? CaseBootstrap(resamples: resamples).run(statistic) : resamples.map { try? statistic($0) }
    for (r, v) in draws.enumerated() {
      out.append("\(r)," + (v ?? [Double](repeating: .nan, count: 6)).map { "\($0)" }.joined(separator: ","))
    }
    let name = parallel ? "out_nb_peerlens.csv" : "out_nb_peerlens_1core.csv"
    try write(name, out.joined(separator: "\n") + "\n")
    return name
  }

  /// 200 Poisson fits of the children-in-care model (a GLM fit loop).
  func poissonFits() throws -> String {
    let (_, rows) = try readMatrix("nb.csv")
    let (d, y, o) = Bench.nbDesign(rows)
    var last: GLMFit? = nil
    for _ in 0..<200 { last = try GeneralizedLinearModel(family: .poisson).fit(d, response: .values(y), offset: o) }
    try write("out_poisson_peerlens.csv", "intercept,imd,eth,overcrowd,rural\n" + last!.coefficients.map { "\($0!)" }.joined(separator: ",") + "\n")
    return "out_poisson_peerlens.csv"
  }

  /// Exact 10 nearest neighbours of every small area.
  func knn() throws -> String {
    let x = try smallAreaMatrixFromWork()
    let ids = (0..<x.rows).map { String(format: "%06d", $0) }
    let nn = NearestNeighbours(x, ids: ids, k: 10)
    var out = ""
    out.reserveCapacity(x.rows * 80)
    for list in nn.neighbours { out += list.map { String($0.index) }.joined(separator: ",") + "\n" }
    try write("out_knn_peerlens.csv", out)
    return "out_knn_peerlens.csv"
  }

  func smallAreaMatrixFromWork() throws -> Matrix {
    let (_, rows) = try readMatrix("lsoa.csv")
    let n = rows.count, p = rows[0].count
    var storage = [Double](repeating: 0, count: n * p)
    for j in 0..<p { for i in 0..<n { storage[j * n + i] = rows[i][j] } }
    return Matrix(rows: n, columns: p, columnMajor: storage)
  }

  /// k-means, k = 8, 10 restarts, on the small areas.
  func kmeans() throws -> String {
    let x = try smallAreaMatrixFromWork()
    let fit = KMeans(clusterCount: 8, restarts: 10, seed: 1).fit(x)
    try write("out_kmeans_peerlens.csv", "inertia\n\(fit.inertia)\n")
    return "out_kmeans_peerlens.csv"
  }

  /// Reads and parses every file of the mirror, one file per core, as the
  /// product does (`DataMirror.preload`).
  func ingest() throws -> String {
    let names = try mirror.eesFileNames()
    let counts = IndexedResults<Int>(count: names.count)
    DispatchQueue.concurrentPerform(iterations: names.count) { k in
      counts.set(k, Result {
        let t = try CSVReader.read(contentsOf: mirror.url("dfe/" + names[k]), source: names[k])
        if t.hasColumn("time_period") { _ = try EESFile(table: t) }
        return t.rowCount
      })
    }
    let rows = try counts.values().reduce(0, +)
    try write("out_ingest_peerlens.csv", "rows\n\(rows)\n")
    return "out_ingest_peerlens.csv"
  }

  /// The full national pack run (HTML, CSV, JSON) into the work folder.
  /// The output names the time of each phase: computing the run, making
  /// the pack builder (rank intervals, breakdown tables), writing the files.
  func packs() throws -> String {
    func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
    let t0 = now()
    let run = try NationalRun.compute(mirror: mirror, catalogue: catalogue(), models: models)
    let t1 = now()
    let templates = try TemplateSet(folder: models.deletingLastPathComponent().appendingPathComponent("Reports"))
    let out = work.appendingPathComponent("packs")
    let writer = PackWriter(run: run, templates: templates, output: out, formats: [.html, .csv, .json, .xlsx], software: "PeerLens bench")
    let t2 = now()
    let s = try writer.write(authorities: run.authorities.map(\.code), regions: run.registry.regions.map(\.code), everything: true)
    let t3 = now()
    return "\(s.authorityPacks) packs; run \(String(format: "%.1f", t1 - t0)) s, builder \(String(format: "%.1f", t2 - t1)) s, "
      + "writing \(String(format: "%.1f", t3 - t2)) s"
  }

  /// One authority's pack page rendered on demand, as the explorer's
  /// `/pack/<code>.html` does: the national run and the page renderer are
  /// made once (the explorer does so when it starts; not timed), then each
  /// of 40 authorities' pages is rendered and timed on its own. `seconds` is
  /// the median page; the output gives the median and the slowest.
  func packOnDemand() throws -> String {
    let run = try NationalRun.compute(mirror: mirror, catalogue: catalogue(), models: models)
    let templates = try TemplateSet(folder: models.deletingLastPathComponent().appendingPathComponent("Reports"))
    let pages = PackPageRenderer(run: run, templates: templates, software: "PeerLens bench")
    let codes = run.authorities.map(\.code)
    let count = size == .smoke ? 5 : 40
    var times: [Double] = []
    var bytes = 0
    for k in 0..<count {
      let code = codes[(k * 37) % codes.count]  // spread over the list
      let t0 = DispatchTime.now().uptimeNanoseconds
      bytes += try pages.authorityPage(code: code).utf8.count
      times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
    }
    times.sort()
    let median = times[times.count / 2], slowest = times[times.count - 1]
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return "{\"workload\": \"pack_on_demand\", \"seconds\": \(median), \"reps\": \(count), \"slowest_seconds\": \(slowest), "
      + "\"peak_rss_mb\": \(Double(usage.ru_maxrss) / 1024), \"output\": \"\(count) pages, \(bytes / count) bytes each on average\"}"
  }

  /// Rank intervals by parametric bootstrap with a refit per resample
  /// (issue 17.4) for every indicator that has them, the loop the packs
  /// run. The national run is computed first, untimed; it also writes each
  /// indicator's model frame (response, size, offset, design columns) for
  /// the R peer, which runs the same loop with `MASS::glm.nb` and `glm`.
  func rankBootstrap(reps: Int) throws -> String {
    let run = try NationalRun.compute(mirror: mirror, catalogue: catalogue(), models: models)
    var boots: [(id: String, higher: Bool, boot: ModelRankBootstrap)] = []
    var list = ["id,kind,higher,resamples"]
    for bench in run.indicators {
      guard let boot = RankUncertainty.modelBootstrap(bench) else { continue }
      let higher = bench.indicator.polarity == .higherIsBetter
      boots.append((bench.indicator.id, higher, boot))
      list.append("\(bench.indicator.id),\(boot.kind.rawValue),\(higher ? 1 : 0),\(size.bootstrapResamples)")
      let x = boot.frame.design.matrix
      var lines = ["y,size,offset," + (0..<x.columns).map { "x\($0)" }.joined(separator: ",")]
      for i in 0..<x.rows {
        let offset = boot.frame.offset?[i] ?? 0
        lines.append(([boot.observed[i], boot.size[i], offset] + (0..<x.columns).map { x[i, $0] }).map { "\($0)" }
          .joined(separator: ","))
      }
      try write("rank_\(bench.indicator.id).csv", lines.joined(separator: "\n") + "\n")
    }
    try write("rank_indicators.csv", list.joined(separator: "\n") + "\n")
    var times: [Double] = []
    var out: [String] = []
    for _ in 0..<max(1, reps) {
      out = ["indicator,row,lower,upper"]
      let t0 = DispatchTime.now().uptimeNanoseconds
      for b in boots {
        let r = b.boot.intervals(higherIsBetter: b.higher, resamples: size.bootstrapResamples)
        for (i, iv) in r.enumerated() { out.append("\(b.id),\(i),\(iv.lower),\(iv.upper)") }
      }
      times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
    }
    try write("out_rank_peerlens.csv", out.joined(separator: "\n") + "\n")
    times.sort()
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return "{\"workload\": \"rank_bootstrap\", \"seconds\": \(times[times.count / 2]), \"reps\": \(times.count), "
      + "\"peak_rss_mb\": \(Double(usage.ru_maxrss) / 1024), \"output\": \"\(boots.count) indicators, "
      + "\(size.bootstrapResamples) resamples each\"}"
  }

  /// DGEMM throughput of this machine's BLAS.
  func dgemm() throws -> String {
    let n = size == .smoke ? 300 : 2000
    var rng = SeededGenerator(seed: 1)
    let a = Matrix(rows: n, columns: n, columnMajor: (0..<(n * n)).map { _ in rng.uniform() })
    let b = Matrix(rows: n, columns: n, columnMajor: (0..<(n * n)).map { _ in rng.uniform() })
    let t0 = DispatchTime.now().uptimeNanoseconds
    let c = a.multiplied(by: b)
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
    precondition(c[0, 0].isFinite)
    return String(format: "%.2f GFLOP/s", 2 * pow(Double(n), 3) / seconds / 1e9)
  }
}
