import Dispatch
import Foundation
import PeerLensData
import PeerLensNumerics
import PeerLensStatistics

/// Everything computed once per indicator for a national run: values at
/// every level, funnel positions before context for every period, the
/// contextual model for the latest period, SPC for each authority's
/// series, and the median of each authority's official neighbours.
/// Every report reads these; none recomputes them.
public struct IndicatorBench: Sendable {
  public struct FunnelPosition: Sendable, Equatable {
    public let z: Double
    public let flag: FunnelPlot.Flag
    /// Where the point lies beyond a limit line that its exact chance
    /// tail does not reach (`IndicatorFunnel.position`): that tail and the
    /// line's own flag, so the pack can say why the flag is not the
    /// line's. Nil otherwise.
    ///
    /// A reference, nil for nearly every position: a run holds about
    /// 120,000 positions and a few dozen are overruled.
    public var overruled: Overruled? = nil

    public init(z: Double, flag: FunnelPlot.Flag, overruled: (tail: Double, line: FunnelPlot.Flag)? = nil) {
      self.z = z
      self.flag = flag
      self.overruled = overruled.map { Overruled(tail: $0.tail, line: $0.line) }
    }

    public final class Overruled: Sendable, Equatable {
      public let tail: Double
      public let line: FunnelPlot.Flag
      init(tail: Double, line: FunnelPlot.Flag) { (self.tail, self.line) = (tail, line) }
      public static func == (a: Overruled, b: Overruled) -> Bool { a.tail == b.tail && a.line == b.line }
    }
  }

  public let indicator: Indicator
  /// Sorted periods with any authority value.
  public let periods: [TimePeriod]
  public let latest: TimePeriod?
  /// Authority code → period → value.
  public let local: [String: [TimePeriod: IndicatorValue]]
  public let england: [TimePeriod: IndicatorValue]
  /// Region code (E12…, E13…) → period → value.
  public let regions: [String: [TimePeriod: IndicatorValue]]
  /// Period → authority → position against the England target (before context).
  public let funnel: [TimePeriod: [String: FunnelPosition]]
  /// φ of the latest period's funnel.
  public let funnelPhi: Double?
  /// The contextual model for the latest period, if the indicator has one.
  public let model: ContextModelRun?
  public let modelError: String?
  /// The contextual model over every year with an authority random
  /// intercept (issue 17.6), where the indicator has five or more years
  /// and a negative binomial or binomial specification, and the run was
  /// asked for it (`NationalRun.withMultiYearModels`).
  public var multiYear: MultiYearContextModel? = nil
  /// Authority → SPC chart over `periods`.
  public let spc: [String: XmRChart]
  /// Authority → period → its official neighbours summarised as the DfE
  /// dashboard (median) and LAIT (mean) do, from published values.
  public let neighbourSummary: [String: [TimePeriod: NeighbourSummary]]
  /// Period → authority → LAIT rank among all authorities (1 = best by
  /// polarity, ties share the lowest rank; empty without polarity).
  public let rank: [TimePeriod: [String: Int]]
  /// Period → authority → LAIT quartile band (empty without polarity).
  public let quartileBand: [TimePeriod: [String: QuartileBand]]
  /// Joint returns (issue 22.3): authority → period → the joint row's
  /// code (`E09000021 / E09000027`) where the authority's figure is one
  /// return submitted with others. Each authority shows the joint figure;
  /// ranks, bands, neighbour summaries and distributions count it once.
  public var jointReturns: [String: [TimePeriod: String]] = [:]

  /// The joint row an authority's figure belongs to in a period, if any.
  public func jointReturn(_ code: String, _ period: TimePeriod) -> String? { jointReturns[code]?[period] }

  /// The codes of a joint return other than `code` ("with Richmond upon Thames").
  public func jointPartners(_ code: String, _ period: TimePeriod) -> [String] {
    guard let joint = jointReturn(code, period) else { return [] }
    return joint.split(separator: "/").map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0 != code }
  }

  /// Whether an authority's figure is counted in summaries for a period:
  /// of a joint return only the first authority counts, so the return
  /// counts once.
  public func countsInSummaries(_ code: String, _ period: TimePeriod) -> Bool { firstOfJoint(code, period) == code }

  /// `codes` with each joint return kept once (under its first authority).
  public func countedOnce(_ codes: [String], _ period: TimePeriod) -> [String] {
    codes.filter { countsInSummaries($0, period) || !codes.contains(firstOfJoint($0, period)) }
  }

  /// The first authority showing the joint return `code` belongs to
  /// (itself otherwise): the one the return is counted under.
  public func firstOfJoint(_ code: String, _ period: TimePeriod) -> String {
    Self.firstOfJoint(code, period, jointReturns)
  }

  static func firstOfJoint(_ code: String, _ period: TimePeriod, _ joint: [String: [TimePeriod: String]]) -> String {
    guard let j = joint[code]?[period] else { return code }
    return j.split(separator: "/").map { $0.trimmingCharacters(in: .whitespaces) }.first { joint[$0]?[period] == j } ?? code
  }

  /// The DfE dashboard's neighbour median for an authority and period:
  /// the median of its official neighbours' published values, rounded
  /// half-up at the published precision.
  public func neighbourMedian(_ code: String, _ period: TimePeriod) -> Double? {
    neighbourSummary[code]?[period]?.median
  }

  /// An authority's value as DfE publishes it (`Indicator.publishedFigure`),
  /// the figure official tools summarise.
  public func publishedFigure(_ code: String, _ period: TimePeriod) -> Double? {
    local[code]?[period].flatMap(indicator.publishedFigure)
  }

  public func value(_ code: String, _ period: TimePeriod) -> IndicatorValue? { local[code]?[period] }

  public var direction: XmRChart.Direction {
    XmRChart.Direction(rawValue: indicator.polarity.rawValue) ?? .noJudgement
  }
}

/// A national run: the shared computation behind every pack.
public struct NationalRun: Sendable {
  public let mirror: DataMirror
  public let catalogue: IndicatorCatalogue
  public let registry: AuthorityRegistry
  public let context: ContextTable
  /// Current authorities, sorted by code.
  public let authorities: [Authority]
  /// Official neighbours mapped to current codes.
  public let officialNeighbours: [String: [(code: String, band: String)]]
  /// The official list's file name.
  public let officialSource: String
  /// The official list as readers know it, with its year
  /// ("DfE statistical neighbours, 2025 model").
  public let officialLabel: String
  /// The official list's year ("2025").
  public let officialRelease: String
  /// What in a list named with `--neighbours` cannot be what DfE meant
  /// (`OfficialNeighbourList.problems`): said in the packs' notes.
  public var officialListProblems: [String] = []
  /// The year asked for (`packs --year`), or nil for each indicator's latest.
  public var requestedYear: String? = nil

  /// What the pages' headers say the data is: each indicator's latest, or
  /// the year asked for (each indicator's latest up to it).
  public var dataLabel: String {
    guard let y = requestedYear?.trimmingCharacters(in: .whitespaces), !y.isEmpty else { return "latest data for each indicator" }
    return "data for \(y) (each indicator's latest up to then)"
  }
  public let modelNeighbours: NeighbourRun?
  public let neighbourSpec: NeighbourSpec?
  public private(set) var indicators: [IndicatorBench]
  /// Data files read, with SHA-256 checksums (provenance).
  public let files: [(name: String, sha256: String)]
  public let modelSpecFiles: [String]
  /// The `Models/` folder the run read.
  public let modelsFolder: URL

  /// The run with the contextual model also fitted over every year, with
  /// an authority random intercept (issue 17.6), for each indicator with
  /// five or more years and a negative binomial or binomial model that
  /// converges; the packs then say whether a difference is persistent.
  ///
  /// Why an option: these fits take about a minute for the whole run on
  /// two cores (some indicators span thirteen years), against seconds for
  /// everything else.
  /// - Parameter only: the indicators to fit (default: all).
  public func withMultiYearModels(context: ContextTable, only ids: Set<String>? = nil) -> NationalRun {
    var copy = self
    let candidates = indicators.indices.filter { k in
      let b = indicators[k]
      guard ids?.contains(b.indicator.id) ?? true, let spec = b.model?.spec else { return false }
      return [.negativeBinomial, .binomial, .quasibinomial].contains(spec.family)
    }
    let box = MultiYearBox(count: indicators.count)
    DispatchQueue.concurrentPerform(iterations: candidates.count) { c in
      let b = indicators[candidates[c]]
      guard let spec = b.model?.spec else { return }
      let values = b.local.values.flatMap { $0.values }
      let okPeriods = Set(values.filter { $0.status == .ok }.map(\.period))
      guard okPeriods.count >= MultiYearContextModel.minimumYears,
            let m = try? MultiYearContextModel.fit(spec: spec, indicator: b.indicator, values: values, context: context),
            m.fit.converged else { return }
      box.set(candidates[c], m)
    }
    for k in indicators.indices { copy.indicators[k].multiYear = box.values[k] }
    return copy
  }

  private final class MultiYearBox: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [MultiYearContextModel?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ k: Int, _ m: MultiYearContextModel) { lock.lock(); values[k] = m; lock.unlock() }
  }

  /// Computes the run.
  ///
  /// - Parameters:
  ///   - models: the `Models/` folder (context specs in `context/`, `neighbours.toml`).
  ///   - neighboursFile: an official list in either DfE layout (default:
  ///     the mirror's 2025 list; `DataMirror.officialNeighboursURL` resolves `--neighbours`).
  ///   - period: the period for "latest" (default: each indicator's latest).
  ///   - progress: called with a message per step.
  public static func compute(mirror: DataMirror, catalogue: IndicatorCatalogue, models: URL,
                             neighboursFile: URL? = nil, period: String? = nil,
                             progress: (String) -> Void = { _ in }) throws -> NationalRun {
    let registry = try mirror.registry()
    let context = try mirror.context()
    let authorities = registry.current
    let neighboursURL = try neighboursFile ?? mirror.officialNeighboursURL()
    let list = try OfficialNeighbourList.load(from: neighboursURL)
    let official = list.mapped(to: registry)
    // A list from elsewhere is named by its file, not credited to DfE.
    let builtIn = OfficialNeighbourList.builtIn.contains {
      mirror.url($0.path).standardizedFileURL.path == neighboursURL.standardizedFileURL.path
    }
    let officialLabel = builtIn ? list.label
      : "statistical neighbours from a list given with --neighbours, in DfE's \(list.layout == .dfe2025 ? "2025" : "2021") layout"
    let neighbourSpecURL = models.appendingPathComponent("neighbours.toml")
    var neighbourSpec: NeighbourSpec? = nil
    var modelNeighbours: NeighbourRun? = nil
    if FileManager.default.fileExists(atPath: neighbourSpecURL.path) {
      let spec = try NeighbourSpec.load(from: neighbourSpecURL)
      neighbourSpec = spec
      modelNeighbours = try NeighbourRun(spec: spec, table: context.table, idColumn: "new_la_code")
    }
    let specs = try ContextModelSpec.loadAll(in: models.appendingPathComponent("context"))
    var specByIndicator: [String: ContextModelSpec] = [:]
    for (_, s) in specs { specByIndicator[s.indicator] = s }
    let engine = ContextEngine(mirror: mirror, catalogue: catalogue)
    let calculator = IndicatorCalculator(mirror: mirror)

    // Indicators are independent: computed on all cores, each result kept
    // at its catalogue index, so the run is the same on any core count. The
    // first error in catalogue order is the one reported.
    let indicators = catalogue.indicators
    let specByID = specByIndicator
    mirror.preload(indicators.flatMap(\.files))
    // The provenance digests, one file per task, go to the same cores
    // after the indicators: hashing 40 MB one file after another was a
    // noticeable part of the run, and hashed in a pool of their own they
    // waited for the last indicator to finish while a core sat idle.
    let digestList = Result {
      try mirror.eesFileNames().map { ("dfe/" + $0, mirror.url("dfe/" + $0)) }
        + ["context/la_context.csv", "lookups/la_codes.csv"].map { ($0, mirror.url($0)) }
        + [("neighbours/" + list.source, neighboursURL)]
    }
    let digested: [(String, URL)] = (try? digestList.get()) ?? []
    let digests = IndexedResults<String>(count: digested.count)
    let benches = try withoutActuallyEscaping(progress) { progress in
      let results = IndexedResults<IndicatorBench>(count: indicators.count) { done, n in
        progress("[\(done)/\(indicators.count)] \(indicators[n].id)")
      }
      DispatchQueue.concurrentPerform(iterations: indicators.count + digested.count) { n in
        guard n < indicators.count else {
          let k = n - indicators.count
          digests.set(k, Result { try DataSnapshot.sha256(fileAt: digested[k].1) })
          return
        }
        let ind = indicators[n]
        results.set(n, Result {
          let values = try calculator.values(ind)
          return try bench(ind, values: values, spec: specByID[ind.id], engine: engine,
                           official: official, period: period, registry: registry)
        })
      }
      return try results.values()
    }
    _ = try digestList.get()
    let files = try zip(digested.map(\.0), digests.values()).map { ($0, $1) }
    var run = NationalRun(
      mirror: mirror, catalogue: catalogue, registry: registry, context: context, authorities: authorities,
      officialNeighbours: official, officialSource: list.source, officialLabel: officialLabel,
      officialRelease: list.release, modelNeighbours: modelNeighbours,
      neighbourSpec: neighbourSpec, indicators: benches, files: files,
      modelSpecFiles: specs.map { "context/" + $0.0.lastPathComponent } + (neighbourSpec == nil ? [] : ["neighbours.toml"]),
      modelsFolder: models)
    run.officialListProblems = list.problems(registry: registry)
    run.requestedYear = period
    return run
  }

  /// The latest period with national coverage: the last whose
  /// local-authority values number at least a quarter of the best-covered
  /// period's. A stray row (one authority dated 9999, or an early partial
  /// release) must not become the "latest year" of every pack.
  static func latestWithCoverage(_ values: [IndicatorValue], periods: [TimePeriod]) -> TimePeriod? {
    var counts: [TimePeriod: Int] = [:]
    for v in values where v.level == .localAuthority && v.status == .ok { counts[v.period, default: 0] += 1 }
    let best = counts.values.max() ?? 0
    return periods.last { (counts[$0] ?? 0) * 4 >= best } ?? periods.last
  }

  /// `values` with the counts taken off every authority's row whose
  /// counts contradict its own published figure by more than rounding or
  /// a known cause explains (`PublishedAgreement.Cause.revision`, what
  /// `data check` reports as an error); its published figure stays.
  ///
  /// Why: one such row (a count typed as 32000 for 32) put an authority
  /// far outside every funnel, widened the over-dispersion for all the
  /// others and took the context model's skill away, so every pack
  /// changed; and the authority's own figure, shown as published, sat
  /// beside a funnel flag computed from the other number.
  static func inconsistentCounts(_ values: [IndicatorValue], indicator: Indicator,
                                 registry: AuthorityRegistry?) -> [IndicatorValue] {
    let revised = Set(PublishedAgreement.compare(values, indicator: indicator, registry: registry).flatMap { a in
      a.differences.filter { $0.level == .localAuthority && $0.cause == .revision }.map { "\($0.areaCode)\u{1F}\(a.period.code)" }
    })
    guard !revised.isEmpty else { return values }
    return values.map { v in
      guard v.level == .localAuthority, revised.contains("\(v.areaCode)\u{1F}\(v.period.code)") else { return v }
      return v.withoutCounts()
    }
  }

  static func bench(_ ind: Indicator, values: [IndicatorValue], spec: ContextModelSpec?, engine: ContextEngine,
                    official: [String: [(code: String, band: String)]], period: String?,
                    registry: AuthorityRegistry? = nil) throws -> IndicatorBench {
    var local: [String: [TimePeriod: IndicatorValue]] = [:]
    var england: [TimePeriod: IndicatorValue] = [:]
    var regions: [String: [TimePeriod: IndicatorValue]] = [:]
    // A joint return (two authorities, one workforce return) becomes each
    // authority's figure, marked as joint; an authority's own row wins.
    var joint: [String: [TimePeriod: String]] = [:]
    for v in values {
      switch v.level {
      case .localAuthority:
        let members = v.jointMembers
        if members.isEmpty {
          local[v.areaCode, default: [:]][v.period] = v
          joint[v.areaCode]?[v.period] = nil
        } else {
          for m in members where local[m.code]?[v.period] == nil || joint[m.code]?[v.period] != nil {
            local[m.code, default: [:]][v.period] = v.forArea(code: m.code, oldCode: m.oldCode, name: m.name)
            joint[m.code, default: [:]][v.period] = v.areaCode
          }
        }
      case .national: england[v.period] = v
      case .regional: regions[v.areaCode, default: [:]][v.period] = v
      }
    }
    let periods = Array(Set(values.filter { $0.level == .localAuthority && $0.status == .ok }.map(\.period))).sorted()
    /// A joint return's figures under its first authority's code.
    func firstOf(_ code: String, _ p: TimePeriod) -> String { IndicatorBench.firstOfJoint(code, p, joint) }
    /// Counted once: only the first authority of a joint return.
    func counts(_ code: String, _ p: TimePeriod) -> Bool { firstOf(code, p) == code }
    var latest = latestWithCoverage(values, periods: periods)
    if let period {
      let code = period.replacingOccurrences(of: "/", with: "")
      latest = TimePeriod.named(code, among: periods) ?? periods.last { $0.endYear <= Int(code.prefix(4)) ?? 0 }
    }
    // Counts that contradict their own published figure (a revision, a
    // typing slip: `inconsistentCounts`) are left out of the funnels and
    // the model; the pack shows the published figure and says why.
    let counted = inconsistentCounts(values, indicator: ind, registry: registry)
    // Funnels before context, every period.
    var funnel: [TimePeriod: [String: IndicatorBench.FunnelPosition]] = [:]
    var phi: Double? = nil
    if ind.hasCounts {
      for p in periods {
        guard let f = IndicatorFunnel(values: counted.filter { $0.period == p }, indicator: ind,
                                      target: england[p]?.value) else { continue }
        let (rows, fp) = (f.rows, f.plot)
        var m: [String: IndicatorBench.FunnelPosition] = [:]
        for (k, v) in rows.enumerated() {
          let pos = f.position(k)
          // The joint return is one point in the funnel, shown for each of its authorities.
          let members = v.jointMembers
          for code in members.isEmpty ? [v.areaCode] : members.map(\.code) where members.isEmpty || joint[code]?[p] == v.areaCode {
            m[code] = .init(z: pos.z, flag: pos.flag, overruled: pos.overruled)
          }
        }
        funnel[p] = m
        if p == latest { phi = fp.phi }
      }
    }
    // Contextual model for the latest period.
    var model: ContextModelRun? = nil
    var modelError: String? = nil
    if let spec, let latest {
      do { model = try engine.run(spec: spec, period: latest.code, values: counted) } catch {
        modelError = error.localizedDescription
      }
    }
    // SPC per authority over the indicator's periods.
    var spc: [String: XmRChart] = [:]
    let direction = XmRChart.Direction(rawValue: ind.polarity.rawValue) ?? .noJudgement
    for (code, series) in local {
      let vals = periods.map { p -> Double? in
        guard let v = series[p], v.status == .ok else { return nil }
        return v.value
      }
      spc[code] = XmRChart(values: vals, direction: direction)
    }
    // Official neighbours summarised on the published figures, as the DfE
    // dashboard (median) and LAIT (mean) do; LAIT ranks and quartile bands
    // among all authorities, also on published figures.
    var summary: [String: [TimePeriod: NeighbourSummary]] = [:]
    var rank: [TimePeriod: [String: Int]] = [:]
    var bands: [TimePeriod: [String: QuartileBand]] = [:]
    for p in periods {
      // Each figure once: a joint return under its first authority.
      var figures: [String: Double] = [:]
      for (code, series) in local where counts(code, p) {
        if let v = series[p], let f = ind.publishedFigure(v) { figures[code] = f }
      }
      for (code, list) in official {
        var seen = Set<String>()
        let vals = list.compactMap { n -> Double?? in
          let key = firstOf(n.code, p)
          return seen.insert(key).inserted ? .some(figures[key]) : nil
        }
        if let s = NeighbourSummary(publishedValues: vals, decimals: ind.decimals, rounding: ind.rounding) {
          summary[code, default: [:]][p] = s
        }
      }
      var r = PolarityRank.ranks(figures, polarity: ind.polarity)
      var b = QuartileBand.bands(figures, polarity: ind.polarity)
      for (code, byPeriod) in joint where byPeriod[p] != nil && !counts(code, p) {
        r[code] = r[firstOf(code, p)]
        b[code] = b[firstOf(code, p)]
      }
      rank[p] = r
      bands[p] = b
    }
    return IndicatorBench(indicator: ind, periods: periods, latest: latest, local: local, england: england,
                          regions: regions, funnel: funnel, funnelPhi: phi, model: model, modelError: modelError,
                          spc: spc, neighbourSummary: summary, rank: rank, quartileBand: bands, jointReturns: joint)
  }
}
