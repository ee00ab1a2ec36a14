import Foundation
import PeerLensAnalysis
import PeerLensData
import PeerLensNumerics
import PeerLensStatistics

/// Builds pack models from a national run: the one place that turns shared
/// numbers into what a pack says.
public struct PackBuilder: Sendable {
  public let run: NationalRun
  public let software: String
  /// Breakdown tables read once for all packs.
  let breakdownTables: [BreakdownTable]
  /// "Since the last release" lines by authority code (from the store of releases).
  public let changes: [String: [String]]
  /// What the changes were compared against (the note where there are none).
  public let changesBasis: ChangesBasis
  /// Population by ethnic group for the care ethnicity comparison (nil when unreadable).
  let ethnicPopulation: CareEthnicityDisproportionality.Population?
  /// Census 2021 (all ages) by ethnic group, for the workforce comparison:
  /// social workers are adults, so a children's file never replaces it.
  let censusPopulation: CareEthnicityDisproportionality.Population?
  /// Ofsted ILACS leadership judgements (nil when the file is absent).
  let leadershipJudgements: LeadershipJudgements?
  /// Social workers by ethnic group and role (nil when the file is absent).
  let workforceEthnicityTable: WorkforceEthnicity.Table?
  /// 95% rank intervals by indicator and authority, computed once for all
  /// packs and values.csv (seeded, so the same in both).
  public let rankIntervals: [String: [String: (lower: Int, upper: Int)]]
  /// Each indicator's lowest and highest authority value in its latest
  /// period (the overview's range, and the test for an interval too wide
  /// to say anything), found once per indicator rather than once per
  /// authority and indicator.
  let latestRange: [String: (min: Double, max: Double)]
  /// Each indicator's authority values in its latest period, gathered
  /// once: the check of a value against its published figure
  /// (`sourceInconsistency`) looks at all of them, for every authority.
  let latestValues: [String: [IndicatorValue]]
  /// Each indicator's authorities whose latest value differs from DfE's
  /// published figure by a revision, by area code: the comparison looks at
  /// every authority's value, so it is made once per indicator rather than
  /// once per pack.
  let latestRevisions: [String: [String: PublishedAgreement.Difference]]
  /// How many shown contextual models use each context column (the
  /// meeting summary's context facts): the same for every authority.
  let contextUses: [String: Int]
  /// Each model formula's context in words (`ContextWords.context`), once
  /// per formula rather than once per authority and indicator.
  let contextWords: [String: String?]
  /// The data files' origins, releases and periods by path (provenance):
  /// the same for every pack.
  let dataSources: [String: DataSource]

  public init(run: NationalRun, software: String, changes: [String: [String]] = [:], changesBasis: ChangesBasis = .noStore) {
    self.run = run
    self.software = software
    self.changes = changes
    self.changesBasis = changesBasis
    // The rank bootstrap keeps both cores busy for about a second; the
    // tables below are read from their files meanwhile, where before the
    // bootstrap waited for them with one core idle.
    let ranking = DispatchGroup(), ranked = RankIntervalsBox()
    DispatchQueue.global().async(group: ranking) { ranked.value = RankUncertainty.intervals(run.indicators) }
    let specs = (try? BreakdownSpec.loadAll(from: run.modelsFolder.appendingPathComponent("breakdowns.toml"))) ?? []
    self.breakdownTables = specs.compactMap { try? BreakdownTable($0, mirror: run.mirror, registry: run.registry) }
    self.ethnicPopulation = try? CareEthnicityDisproportionality.loadPopulation(mirror: run.mirror, registry: run.registry)
    self.censusPopulation = ethnicPopulation?.source == .censusAllAges ? ethnicPopulation
      : try? CareEthnicityDisproportionality.loadCensusPopulation(mirror: run.mirror, registry: run.registry)
    self.leadershipJudgements = try? LeadershipJudgements.load(mirror: run.mirror, registry: run.registry)
    self.workforceEthnicityTable = (try? WorkforceEthnicity.loadTable(mirror: run.mirror, registry: run.registry)) ?? nil
    var ranges: [String: (min: Double, max: Double)] = [:]
    var latestValues: [String: [IndicatorValue]] = [:]
    var revisions: [String: [String: PublishedAgreement.Difference]] = [:]
    for bench in run.indicators {
      guard let p = bench.latest else { continue }
      if let r = Self.valueRange(bench, period: p) { ranges[bench.indicator.id] = r }
      let values = bench.local.values.compactMap { $0[p] }
      latestValues[bench.indicator.id] = values
      revisions[bench.indicator.id] = Self.revisions(among: values, indicator: bench.indicator, registry: run.registry)
    }
    self.latestRange = ranges
    self.latestValues = latestValues
    self.latestRevisions = revisions
    let formulas = run.indicators.compactMap { $0.model }.filter(\.showsExpectation).map(\.spec.formula)
    self.contextWords = Dictionary(run.indicators.compactMap { $0.model?.spec.formula }.map { ($0, ContextWords.context(of: $0)) },
                                   uniquingKeysWith: { a, _ in a })
    self.contextUses = Dictionary(Self.contextLabels.map { column, _ in (column, formulas.filter { $0.contains(column) }.count) },
                                  uniquingKeysWith: { a, _ in a })
    self.dataSources = Dictionary(((try? DataSource.list(run.mirror)) ?? []).map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
    ranking.wait()
    self.rankIntervals = ranked.value
  }

  /// Where the rank intervals computed beside the tables' reading arrive.
  private final class RankIntervalsBox: @unchecked Sendable {
    var value: [String: [String: (lower: Int, upper: Int)]] = [:]
  }

  /// Friendly labels for the context columns a pack shows.
  static let contextLabels: [(String, String)] = [
    ("imd19_avg_score", "Deprivation: IMD 2019 average score"),
    ("imd19_prop_lsoa_most_dep10", "Share of neighbourhoods in England's most deprived 10%"),
    ("income19_avg_score", "Income deprivation score"),
    ("idaci19_avg_score", "Income deprivation affecting children (IDACI 2019)"),
    ("pct_ethnic_minority_excl_white_minorities", "% residents in Asian, Black, Mixed or other ethnic groups"),
    ("pct_white_british", "% residents White British"),
    ("pct_hh_overcrowded_bedrooms", "% households overcrowded"),
    ("pct_hh_social_rented", "% households socially rented"),
    ("pct_hh_private_rented", "% households privately rented"),
    ("pct_hh_in_rural_lsoa_ruc21", "% households in rural neighbourhoods"),
    ("pop_0_17_mid2024", "Children aged 0 to 17 (mid-2024)"),
  ]

  func names() -> [String: String] {
    var out: [String: String] = [:]
    for a in run.registry.authorities { out[a.code] = a.name }
    return out
  }

  // MARK: - Authority pack

  public func authorityPack(code: String) throws -> AuthorityPack {
    guard let authority = run.registry.authority(code: code), authority.isCurrent else {
      throw DataError.unknownArea(code)
    }
    let names = self.names()
    var sections: [IndicatorSection] = []
    var standOuts: [StandOut] = []
    for bench in run.indicators {
      let s = section(bench, code: code)
      sections.append(s)
      standOuts += self.standOuts(bench, code: code)
    }
    let overview = run.catalogue.frameworks.compactMap { fw -> FrameworkGroup? in
      let rows = run.indicators.filter { $0.indicator.framework == fw.id }.map { overviewRow($0, code: code) }
      return rows.isEmpty ? nil : FrameworkGroup(id: fw.id, title: fw.heading, rows: rows)
    }
    let official = (run.officialNeighbours[code] ?? []).enumerated().map { k, n in
      NeighbourRef(rank: k + 1, code: n.code, name: names[n.code] ?? n.code, band: n.band)
    }
    let model = (run.modelNeighbours?.lists[code] ?? []).map {
      NeighbourRef(rank: $0.rank, code: $0.neighbour, name: names[$0.neighbour] ?? $0.neighbour, band: $0.band.rawValue)
    }
    let suppressed = sections.filter { $0.status == MissingReason.suppressed.rawValue }.map { "\($0.title) (\($0.period))" }
    var suppressionNotes: [String] = []
    if !suppressed.isEmpty {
      suppressionNotes.append("Suppressed to protect confidentiality (small counts), shown as 'suppressed' and never estimated: " + suppressed.joined(separator: "; ") + ".")
    }
    let regionName = run.registry.regionName(code: authority.regionCode) ?? authority.regionName
    // Every prompt behind a section's stand-out statement is kept.
    let topPrompts = standOuts.sorted { a, b in a.salience != b.salience ? a.salience > b.salience : a.prompt < b.prompt }
      .map(\.prompt)
    let context = contextRows(code: code)
    let breakdownList = breakdowns(code: code)
    let prov = provenance(extraNotes: suppressionNotes)
    var pack = AuthorityPack(
      code: code, oldCode: authority.oldCode, name: authority.name, region: regionName, regionCode: authority.regionCode,
      overview: overview, context: context, officialNeighbours: official, modelNeighbours: model,
      indicators: sections, breakdowns: breakdownList, prompts: topPrompts, changes: changes[code] ?? [], provenance: prov,
      careEthnicity: careEthnicity(code: code), leadership: leadership(code: code),
      workforceEthnicity: workforceEthnicity(code: code))
    if pack.changes.isEmpty { pack.changesNote = changesBasis.noChangeNote }
    pack.summary = meetingSummary(name: authority.name, region: regionName, sections: sections, standOuts: standOuts,
                                  context: context)
    return pack
  }

  func provenance(extraNotes: [String]) -> Provenance {
    var caveats = [
      "These figures describe data in context; they are not a measure of performance and set no targets.",
      "Rates per 10,000 that DfE does not publish alongside the count use the ONS mid-year estimate of children aged 0 to 17 for the previous calendar year.",
      "Regional and national counts are published rounded to the nearest 10; where a rate computed from rounded counts differs from DfE's published rate, the published rate is shown.",
      "Joint returns: where authorities submit one return (Kingston upon Thames with Richmond upon Thames, and North with West Northamptonshire, for the social work workforce), each authority's pack shows the joint figure, labelled as such. The joint figure is counted once in ranks, quartile bands, neighbour medians and averages, and regional and national distributions; it has no expected value given context, as no one authority's context describes it.",
      "Statistical neighbours: 'official' are \(run.officialLabel) (\(run.officialSource)), each number read as the authority it meant in \(run.officialRelease) and mapped to current authorities across boundary changes; 'model' are PeerLens's transparent neighbours from Models/neighbours.toml. Neighbour medians are of the official neighbours' published values, as the DfE dashboard computes them.",
      "Funnel limits show how far from England's figure a value can sit by chance, given how many children it rests on, widened because authorities differ more than chance alone would give. Methods: each indicator's funnel_limits in Models/indicators.toml: exact negative-binomial limits for rates and beta-binomial limits for proportions of children (over-dispersion fitted by maximum likelihood), and the additive random-effects adjustment (Spiegelhalter 2005) for workforce figures, scores and absence, with the between-authority variance τ² by REML (each indicator's funnel_tau2; FunnelPlotR's DerSimonian–Laird on winsorised z-scores left about three times the expected number of authorities outside the 95% limit on these figures). Absence is counted in pupils, not half-day sessions, because one pupil who is often away misses many sessions: each authority counts as its effective number of pupils, pupils × (κ + 1), with κ fitted each year to England's share of pupils missing at least half their sessions (pupil_clustering). Attainment 8 is a mean of pupils' scores: chance varies an authority's mean of n pupils with variance σ²/n, σ being the spread of one pupil's score, fitted to how far authorities' means spread at each cohort size (pupil_sd\(Self.pupilSpreadRange(run.catalogue.indicators))). Additive limits are normal approximations, poor for a figure on a few children or full-time equivalents: such a figure is called outside a limit only where, by chance alone (binomial or Poisson, exactly), a figure at least as far from England's on its side is as rare as the limit says (not for absence, whose limits count pupils, nor for scores). Contextual expectations come from the models in Models/context; the prediction intervals of count and proportion models reflect chance and over-dispersion, not the uncertainty of the fitted coefficients; those of linear models (figures that are not counts of children) include it.\(Self.weightedModelsNote(run.indicators)) Quartile bands are LAIT's: R type-7 quartiles of the published values.",
    ]
    if !run.officialListProblems.isEmpty {
      let shown = run.officialListProblems.prefix(5).joined(separator: " ")
      let more = run.officialListProblems.count > 5 ? " (and \(run.officialListProblems.count - 5) more)" : ""
      caveats.append("The neighbour list \(run.officialSource) is not as DfE publishes its lists, so some neighbour medians rest on fewer than ten neighbours or none: \(shown)\(more)")
    }
    if let numbering = Phrases.frameworkNumbering(run.catalogue.frameworks) { caveats.append(numbering) }
    caveats += run.catalogue.notComputable.map { "Not computable from the data: \($0.title). \($0.reason)" }
    // Each file with its origin, release and periods, as `data sources`
    // lists them; the periods as the rest of the pack writes them
    // ("2018/19–2024/25", not DfE's codes "201819–202425").
    let files = run.files.map { f -> FileRef in
      let s = dataSources[f.name]
      return FileRef(name: f.name, sha256: f.sha256, origin: s?.origin, release: s?.release,
                     periods: s?.periods.map { $0.map { TimePeriod(code: $0)?.label ?? $0 }.joined(separator: "–") })
    }
    return Provenance(software: software, files: files,
                      models: run.modelSpecFiles, officialNeighbours: run.officialNeighboursDescription,
                      caveats: caveats, suppressionNotes: extraNotes, officialNeighboursRelease: run.officialRelease)
  }

  /// The methods caveat's sentence on models weighted by their pupils'
  /// chance variance (`sampling_variance`), naming them from the run so
  /// that it follows the model files; empty when there are none.
  static func weightedModelsNote(_ indicators: [IndicatorBench]) -> String {
    let ids = indicators.filter { $0.model?.randomEffects != nil }.map(\.indicator.id).sorted()
    guard !ids.isEmpty else { return "" }
    return " The models of mean scores (\(ids.joined(separator: ", "))) weight each authority by 1/(τ² + σ²/n), n its "
      + "pupils and τ² the spread between authorities that context leaves (REML), so that a small cohort's interval is "
      + "wider and a large one's narrower (sampling_variance in each model); the weighted residuals' scale widens the "
      + "intervals where it exceeds 1, as Knapp and Hartung's ad hoc rule does."
  }

  /// The catalogue's pupils' spreads as the methods caveat quotes them
  /// (": 19 to 27.5 points"), read from `pupil_sd` so that a re-fitted σ
  /// cannot leave the pack's text behind; empty when no indicator has one.
  static func pupilSpreadRange(_ indicators: [Indicator]) -> String {
    let spreads = indicators.compactMap(\.pupilSD)
    guard let low = spreads.min(), let high = spreads.max() else { return "" }
    let text = { (v: Double) in v.rounded() == v ? String(Int(v)) : String(format: "%.1f", v) }
    return low == high ? ": \(text(low)) points" : ": \(text(low)) to \(text(high)) points"
  }

  func overviewRow(_ bench: IndicatorBench, code: String) -> OverviewRow {
    let ind = bench.indicator
    guard let p = bench.latest else {
      return OverviewRow(indicatorID: ind.id, title: ind.shortTitle ?? ind.title, polarity: ind.polarity.rawValue,
                         unit: ind.unit.rawValue, period: "", value: nil, display: "no data", status: "not_available",
                         england: nil, region: nil, neighbourMedian: nil, neighbourMin: nil, neighbourMax: nil,
                         allMin: nil, allMax: nil, funnelFlag: nil, contextPosition: nil)
    }
    let v = bench.value(code, p)
    let range = latestRange[ind.id]
    let regionCode = run.registry.authority(code: code)?.regionCode ?? ""
    let position = bench.model.flatMap { $0.showsExpectation ? $0 : nil }?.authorities.first { $0.code == code }
      .flatMap { $0.expected == nil ? nil : $0.position }
    return OverviewRow(
      indicatorID: ind.id, title: ind.shortTitle ?? ind.title, polarity: ind.polarity.rawValue, unit: ind.unit.rawValue,
      period: p.label, value: v?.status == .ok ? v?.value : nil,
      display: (v?.status == .ok ? NumberFormat.value(v?.value, ind) : (v?.status.words ?? "not published"))
        + (v != nil && bench.jointReturn(code, p) != nil ? " (joint return)" : ""),
      status: v?.status.code ?? "not_available", england: bench.england[p]?.value,
      region: bench.regions[regionCode]?[p]?.value, neighbourMedian: bench.neighbourMedian(code, p),
      neighbourMin: bench.neighbourSummary[code]?[p]?.minimum, neighbourMax: bench.neighbourSummary[code]?[p]?.maximum,
      allMin: range?.min, allMax: range?.max, funnelFlag: bench.funnel[p]?[code]?.flag.rawValue, contextPosition: position)
  }

  /// The "inconsistent at source" note for a value whose count and
  /// denominator contradict its own published figure by more than rounding
  /// (or a known cause) explains, else `nil`.
  ///
  /// `all` is every authority's value for the period: whether counts are
  /// published rounded (FTEs) is judged over them all, as `data agreement` does.
  /// - Parameter revisions: `revisions(among: all, …)`, when already known.
  static func sourceInconsistency(_ v: IndicatorValue?, among all: [IndicatorValue], indicator ind: Indicator,
                                  registry: AuthorityRegistry?,
                                  revisions: [String: PublishedAgreement.Difference]? = nil) -> String? {
    guard let v, v.status == .ok, v.level == .localAuthority, let n = v.numerator, let d = v.denominator,
          let published = v.published else { return nil }
    let known = all.contains { $0.areaCode == v.areaCode && $0.period == v.period }
      ? revisions ?? Self.revisions(among: all, indicator: ind, registry: registry)
      : Self.revisions(among: all + [v], indicator: ind, registry: registry)
    guard let diff = known[v.areaCode] else { return nil }
    return Phrases.inconsistentAtSource(published: NumberFormat.value(published, ind),
                                        count: NumberFormat.plain(n, decimals: n == n.rounded() ? 0 : 1),
                                        denominator: NumberFormat.plain(d, decimals: d == d.rounded() ? 0 : 1),
                                        computed: NumberFormat.value(diff.computedRounded, ind))
  }

  /// The values among `values` that differ from their published figures
  /// by a revision (the first such difference for each area code).
  static func revisions(among values: [IndicatorValue], indicator: Indicator,
                        registry: AuthorityRegistry?) -> [String: PublishedAgreement.Difference] {
    let differences = PublishedAgreement.compare(values, indicator: indicator, registry: registry).flatMap(\.differences)
    return Dictionary(differences.filter { $0.cause == .revision }.map { ($0.areaCode, $0) }, uniquingKeysWith: { a, _ in a })
  }

  func section(_ bench: IndicatorBench, code: String) -> IndicatorSection {
    let ind = bench.indicator
    let p = bench.latest
    let v = p.flatMap { bench.value(code, $0) }
    let regionCode = run.registry.authority(code: code)?.regionCode ?? ""
    // Interval for the value: Wilson for percentages, Fingertips crude-rate
    // rule otherwise; none for pounds (no funnel: not counts of children).
    // Counted as chance counts them: an absence rate in pupils, not sessions.
    var lower: Double? = nil, upper: Double? = nil, method: String? = nil
    if let v, v.status == .ok, let (x, n) = v.chanceCounts(ind), n > 0, !v.fromPublished, ind.unit != .ratio,
       ind.unit != .score, ind.hasFunnel {
      if ind.unit == .percentage, x <= n, let r = try? SmallNumberInterval.compute(.wilson, count: x, denominator: n, multiplier: 100) {
        (lower, upper, method) = (r.lower, r.upper, ind.pupilClustering == nil ? "Wilson score, 95%"
          : "Wilson score, 95%, on its effective number of pupils")
      } else if ind.unit == .ratePer10000, let r = try? SmallNumberInterval.crudeRate(count: x, denominator: n, multiplier: 10_000) {
        (lower, upper, method) = (r.lower, r.upper, r.method == .byar ? "Byar's approximation, 95%" : "exact Poisson, 95%")
      }
    }
    let chart = bench.spc[code]
    let trend = TrendPoint.series(bench, code: code, regionCode: regionCode) { bench.neighbourMedian(code, $0) }
    // Context earns its place only with out-of-sample skill (issue 24.1).
    let expectation = bench.model.flatMap { $0.showsExpectation ? $0 : nil }?.authorities.first { $0.code == code }
    let noSkill = bench.model.map { !$0.showsExpectation } ?? false
    let funnel = p.flatMap { bench.funnel[$0]?[code] }
    let periodLabel = p?.label ?? ""
    let inconsistency = p == nil ? nil
      : Self.sourceInconsistency(v, among: latestValues[ind.id] ?? [], indicator: ind, registry: run.registry,
                                 revisions: latestRevisions[ind.id])
    var sentence: String
    if let v, v.status != .ok {
      sentence = Phrases.missing(v.status, period: periodLabel)
    } else if v == nil {
      sentence = "No value is published for this authority for \(periodLabel)."
    } else if let e = expectation, e.expected != nil, let s = Phrases.position(e.position) {
      sentence = s
      // An interval that spans most of what authorities show says little:
      // "within the expected range" is then not a finding (issue 17.3).
      if e.position == "within", let l = e.predictionLower95, let u = e.predictionUpper95, let p,
         let spread = p == bench.latest ? latestRange[ind.id].map({ $0.max - $0.min }) : Self.observedRange(bench, period: p),
         spread > 0, (u - l) >= 0.8 * spread {
        sentence = Phrases.wideContextInterval
      }
      if let f = Phrases.funnel(funnel?.flag.rawValue) { sentence += " " + f }
      if let o = funnel?.overruled { sentence += " " + Phrases.chanceTail(o.tail, line: o.line) }
      // Pounds have no funnel: say why rather than leave the comparison out.
      if !ind.hasFunnel, let reason = ind.funnelLimitsReason { sentence += " No funnel limits before context. " + reason }
    } else if let f = Phrases.funnel(funnel?.flag.rawValue) {
      sentence = f
      if let o = funnel?.overruled { sentence += " " + Phrases.chanceTail(o.tail, line: o.line) }
    } else if inconsistency != nil {
      // The note below says why this authority has no limits or expectation.
      sentence = ""
    } else {
      sentence = ind.hasFunnel ? "No comparison limits are available for this indicator."
        : "No funnel limits. " + (ind.funnelLimitsReason ?? "")
    }
    if v?.status == .ok, let m = bench.model {
      if noSkill {
        sentence += " " + Phrases.noContextSkill
      } else if m.weakContext, expectation?.expected != nil {
        sentence += " " + Phrases.weakContextSkill(m.contextSkill ?? 0)
      }
    }
    if let note = inconsistency { sentence = (sentence + " " + note).trimmingCharacters(in: .whitespaces) }
    // A joint return (issue 22.3): the figure is the authorities' together.
    let partners = p.map { bench.jointPartners(code, $0).map { run.registry.authority(code: $0)?.name ?? $0 } } ?? []
    let joint: String? = partners.isEmpty ? nil : "joint return with " + Phrases.list(partners)
    if let joint, v != nil { sentence = Phrases.jointReturn(joint) + " " + sentence }
    let last = trend.last
    let spcNote = last.flatMap { Phrases.spc($0.spcFlags, variation: $0.variation) }
      ?? (chart?.current?.hasLimits == false && bench.periods.count < XmRChart.minimumForLimits
          ? "Fewer than 12 periods: shown as a run chart without process limits." : nil)
    // Read outside the closure: inside it, Swift 6.3's release optimiser
    // (CopyPropagation) crashed on this struct's optional property.
    let weightedByPupils = bench.model?.randomEffects != nil
    let beyondChance = bench.model?.randomEffects?.shareBeyondChanceExplained
    let modelNote = bench.model.map { m in
      // Worked out once per formula (a national run writes a note per authority and indicator).
      Phrases.modelNote(family: m.spec.family,
                        context: contextWords[m.spec.formula] ?? ContextWords.context(of: m.spec.formula),
                        explained: m.model.pseudoRSquared, skill: m.contextSkill,
                        weightedByPupils: weightedByPupils, beyondChance: beyondChance)
    } ?? bench.modelError.map { "No contextual model for this period: \($0)" }
      ?? ind.modelReason.map { "No contextual model. " + $0 }
    var section = IndicatorSection(
      id: ind.id, anchor: Self.anchor(ind.id), title: ind.title,
      framework: ind.framework, description: ind.description, caveats: ind.caveats, polarity: ind.polarity.rawValue,
      unit: ind.unit.rawValue, decimals: ind.decimals, period: periodLabel, value: v?.status == .ok ? v?.value : nil,
      numerator: v?.status == .ok ? v?.numerator : nil, denominator: v?.denominator,
      status: v?.status.code ?? "not_available", intervalLower: lower, intervalUpper: upper, intervalMethod: method,
      england: p.flatMap { bench.england[$0]?.value }, region: p.flatMap { bench.regions[regionCode]?[$0]?.value },
      neighbourMedian: p.flatMap { bench.neighbourMedian(code, $0) }, trend: trend,
      expected: expectation?.expected, predictionLower: expectation?.predictionLower95,
      predictionUpper: expectation?.predictionUpper95, predictionLower998: expectation?.predictionLower998,
      predictionUpper998: expectation?.predictionUpper998, ratio: expectation?.ratio,
      contextPosition: expectation?.expected == nil ? nil : expectation?.position, funnelFlag: funnel?.flag.rawValue,
      zScore: funnel?.z, sentence: sentence, spcNote: spcNote, modelNote: modelNote)
    if ind.isPublishedByDfE, let v, v.status == .ok { section.publishedValue = v.published }
    if v?.status == .ok, ind.unit == .ratePer10000 || ind.unit == .percentage {
      section.smallNumbersNote = ind.pupilClustering != nil
        ? v?.pupils.flatMap(Phrases.smallNumbers(pupils:))
        : Phrases.smallNumbers(numerator: v?.numerator, denominator: v?.denominator,
                               counts: ind.countNoun, denominatorCounts: ind.denominatorNoun)
    }
    section.jointReturn = joint
    // Only where the pack shows an expectation: where context does not
    // predict the indicator, "expected given context" says nothing.
    if bench.model?.showsExpectation == true, let m = bench.multiYear, let a = m.authorities.first(where: { $0.code == code }),
       a.years >= 2,
       let first = m.periods.first, let last = m.periods.last {
      section.persistenceNote = Phrases.persistence(a.reading, from: first.label, to: last.label)
    }
    if let p {
      // Region and England as DfE publishes them; marked where derived here.
      if let e = bench.england[p], e.status == .ok { section.englandDerived = ind.isDerived(e) }
      if let r = bench.regions[regionCode]?[p], r.status == .ok { section.regionDerived = ind.isDerived(r) }
      // Inner and Outer London boroughs also see London as a whole.
      if regionCode == "E13000001" || regionCode == "E13000002", let london = bench.regions["E12000007"]?[p],
         london.status == .ok {
        section.widerRegionName = run.registry.regionName(code: "E12000007") ?? "London"
        section.widerRegion = london.value
        section.widerRegionDerived = ind.isDerived(london)
      }
      if let sn = bench.neighbourSummary[code]?[p] {
        section.neighbourCount = sn.count
        section.neighbourMean = sn.mean
        section.neighbourNote = Phrases.neighbourMedianNote(count: sn.count, leftOut: sn.leftOut)
        section.neighbourBrief = Phrases.neighbourMedianBrief(count: sn.count, leftOut: sn.leftOut)
      }
      section.rank = bench.rank[p]?[code]
      if let rank = section.rank, let iv = rankIntervals[ind.id]?[code] {
        let ranked = (bench.rank[p] ?? [:]).keys.filter { bench.countsInSummaries($0, p) }.count
        section.rankLower = iv.lower
        section.rankUpper = iv.upper
        section.rankNote = Phrases.rankInterval(rank: rank, lower: iv.lower, upper: iv.upper, of: ranked)
      }
      if let band = bench.quartileBand[p]?[code] {
        section.quartileBand = band.rawValue
        // A joint return is one figure among the authorities banded.
        let banded = (bench.quartileBand[p] ?? [:]).keys.filter { bench.countsInSummaries($0, p) }.count
        section.quartileBandNote = Phrases.quartileBandNote(polarity: ind.polarity, authorities: banded)
        section.quartileBandBrief = Phrases.quartileBandBrief(polarity: ind.polarity)
      }
    }
    return section
  }

  /// What stands out for the authority on one indicator: the statements
  /// its section makes, each with its learning prompt's question.
  func standOuts(_ bench: IndicatorBench, code: String) -> [StandOut] {
    let ind = bench.indicator
    let title = ind.shortTitle ?? ind.title
    let anchor = Self.anchor(ind.id)
    let question = ind.question ?? Phrases.defaultQuestion
    let part = partClause(bench, code: code)
    var out: [StandOut] = []
    func add(_ kind: StandOut.Kind, _ statement: String, _ question: String, years: Int = 1, salience: Int) {
      // A figure made mostly of a part that depends on something else
      // (asylum-seeking children placed under the National Transfer
      // Scheme) says so beside the limit it crosses.
      let crossesALimit = kind == .outsideGivenContext || kind == .outsideAgainstEngland
      let said = crossesALimit ? ([statement] + [part].compactMap { $0 }).joined(separator: "; ") : statement
      out.append(StandOut(indicatorID: ind.id, anchor: anchor, kind: kind, statement: said, question: question,
                          years: years, salience: salience))
    }
    // Consecutive latest periods outside the 99.8% funnel limit on the same side.
    var years = 0
    var above: Bool? = nil
    for p in bench.periods.reversed() {
      guard let f = bench.funnel[p]?[code]?.flag, f.isOutside998 else { break }
      let side = f == .above998
      if above == nil { above = side } else if above != side { break }
      years += 1
    }
    if years >= 2, let above {
      add(.outsideAgainstEngland, Phrases.persistentFunnelStatement(title: title, above: above, years: years), question,
          years: years, salience: 10 + years)
    }
    if years == 1, let above, let p = bench.latest {
      // One year outside the funnel's 99.8% limit is still a statement the
      // section makes; its prompt must be there too (issue 17.2).
      add(.outsideAgainstEngland, Phrases.funnelStatement(title: title, above: above, period: p.label), question, salience: 10)
    }
    if let m = bench.model, m.showsExpectation, let e = m.authorities.first(where: { $0.code == code }), e.expected != nil,
       e.position == "above_99.8" || e.position == "below_99.8" {
      add(.outsideGivenContext, Phrases.contextStatement(title: title, above: e.position == "above_99.8"),
          Phrases.contextQuestion, salience: 9)
    }
    if let chart = bench.spc[code], let signal = SPCSignal(chart) {
      switch signal {
      case .trend(let rising, let points):
        add(.sustainedChange, Phrases.spcTrendStatement(title: title, rising: rising, points: points), Phrases.spcQuestion,
            salience: 5)
      case .shift(let above, let points):
        add(.sustainedChange, Phrases.spcShiftStatement(title: title, above: above, points: points), Phrases.spcQuestion,
            salience: 5)
      case .outsideLimit(let high):
        add(.unusualPoint, Phrases.spcPointStatement(title: title, high: high), Phrases.spcPointQuestion, salience: 4)
      case .closeToLimit(let high):
        add(.unusualPoint, Phrases.spcCloseStatement(title: title, high: high), Phrases.spcPointQuestion, salience: 4)
      }
    }
    return out
  }

  /// The anchor of an indicator's section in the authority pack.
  /// Why not `replacingOccurrences`: it goes through NSString, and every
  /// section and stand-out statement of every pack asks for an anchor.
  static func anchor(_ id: String) -> String {
    "indicator-" + String(id.map { $0 == "_" ? "-" : $0 })
  }

  /// Highest minus lowest authority value in a period.
  static func observedRange(_ bench: IndicatorBench, period: TimePeriod) -> Double? {
    valueRange(bench, period: period).map { $0.max - $0.min }
  }

  /// The lowest and highest authority value published for a period.
  static func valueRange(_ bench: IndicatorBench, period: TimePeriod) -> (min: Double, max: Double)? {
    let all = bench.local.values.compactMap { $0[period] }.filter { $0.status == .ok }.compactMap(\.value)
    guard let lo = all.min(), let hi = all.max() else { return nil }
    return (lo, hi)
  }

  func breakdowns(code: String) -> [Breakdown] {
    let neighbours = (run.officialNeighbours[code] ?? []).map(\.code)
    return breakdownTables.compactMap { table in
      guard let r = BreakdownResult.compute(table, code: code, neighbours: neighbours) else { return nil }
      return Breakdown(title: r.title, period: r.period.label, rows: r.rows.map { row in
        BreakdownRow(category: row.category, count: row.count, status: row.status.code, share: row.share,
                     lower: row.lower, upper: row.upper, england: row.england, neighbourMedian: row.neighbourMedian,
                     disproportionality: row.disproportionality)
      }, note: r.note)
    }
  }

  func contextRows(code: String) -> [ContextRow] {
    Self.contextLabels.compactMap { column, label in
      guard let values = try? run.context.numeric(column), !values.isEmpty else { return nil }
      let v = values[code]
      let all = values.values.sorted()
      let pct = v.map { x in 100 * Double(all.filter { $0 < x }.count) / Double(all.count) }
      return ContextRow(variable: column, label: label, value: v, median: Quantiles.median(all), percentile: pct)
    }
  }
}

extension PackBuilder {
  /// "unaccompanied asylum-seeking children are 83% of it (76 of 91 per
  /// 10,000), which context does not model", where the indicator has a
  /// part (`IndicatorParts`) that is at least a quarter of the authority's
  /// latest figure; nil otherwise.
  ///
  /// Why: Kent's children entering care stood out "higher than the area's
  /// deprivation, ethnicity, housing and rurality predict" on the summary's
  /// first line, while 83% of its entrants were unaccompanied children,
  /// whom the National Transfer Scheme and ports of arrival place, and whom
  /// the model has no term for. Only the section's caveat said so.
  func partClause(_ bench: IndicatorBench, code: String) -> String? {
    guard let part = IndicatorParts.byID[bench.indicator.id], let p = bench.latest,
          let w = bench.value(code, p), w.status == .ok, let whole = w.value, whole > 0,
          let partBench = run.indicators.first(where: { $0.indicator.id == part.indicator }),
          let v = partBench.value(code, p), v.status == .ok, let piece = v.value, piece >= 0.25 * whole
    else { return nil }
    let d = bench.indicator.decimals
    let share = NumberFormat.plain(min(100, 100 * piece / whole), decimals: 0)
    let unit = bench.indicator.unit == .ratePer10000 ? " per 10,000" : ""
    return "\(part.words) are \(share)% of it (\(NumberFormat.plain(piece, decimals: d)) of "
      + "\(NumberFormat.plain(whole, decimals: d))\(unit) in \(p.label)), which the area's context does not model"
  }
}

/// Indicators with a part that other forces drive, by indicator: the part's
/// indicator and its words. Children entering care and in care include
/// unaccompanied asylum-seeking children, placed by the National Transfer
/// Scheme and by where they arrive, not by local need or practice.
enum IndicatorParts {
  static let byID: [String: (indicator: String, words: String)] = [
    "cla_starting_rate": ("uasc_starting_rate", "unaccompanied asylum-seeking children"),
    "cla_rate": ("uasc_cla_rate", "unaccompanied asylum-seeking children"),
  ]
}

extension Indicator {
  /// The catalogue's question for learning prompts (optional `question` field).
  var question: String? { IndicatorQuestions.byID[id] }
}

/// Questions for learning prompts, by indicator (others get a general one).
enum IndicatorQuestions {
  static let byID: [String: String] = [
    "rereferral_pct": "what do audits of re-referred cases show?",
    "nfa_pct": "what do the front door's decisions and partners' referral patterns show?",
    "cpp_subsequent_pct": "what do reviews of children returning to a plan show?",
    "cla_three_placements_pct": "what do children's own accounts of placement moves show?",
    "s47_rate": "how do thresholds for enquiries compare with neighbours' practice?",
    "sw_turnover_pct": "what do exit interviews and workforce surveys show?",
    "sw_agency_rate_pct": "what is the plan for permanent recruitment and retention?",
    "care_leavers_eet_19_21_pct": "what do care leavers say about the support they receive?",
    // Placed by the National Transfer Scheme and by where children arrive,
    // not by local practice: no question about case audits.
    "uasc_starting_rate": "how does it compare with the authority's National Transfer Scheme share, and what does it mean for placements and services?",
    "uasc_cla_rate": "what does it mean for placements, services and support as these children leave care?",
  ]
}
