import Foundation
import PeerLensAnalysis
import PeerLensData
import PeerLensStatistics

/// Stage three for HTML: pack models (and the run, for chart data) into
/// template contexts and pages.
struct HTMLRenderer {
  let templates: TemplateSet
  let run: NationalRun
  /// Each indicator's funnel (points and limit curves), computed once for all packs.
  let funnels: [String: FunnelData]
  /// Each indicator's funnel plot as the authority packs draw it, drawn
  /// once and marked per pack.
  let funnelCharts: [String: FunnelChart]
  /// The pages this run writes (links go only to those).
  let links: PackLinks

  struct FunnelData {
    let period: TimePeriod
    let units: [(code: String, x: Double, y: Double)]
    let limits: [(x: Double, l95: Double, u95: Double, l998: Double, u998: Double)]
    let target: Double
  }

  init(templates: TemplateSet, run: NationalRun, links: PackLinks = .none) {
    self.templates = templates
    self.run = run
    self.links = links
    // Each indicator's funnel on its own core: made one after another,
    // they were a twentieth of a second with the other core idle.
    let indicators = run.indicators
    let made = IndexedResults<(FunnelData, FunnelChart)?>(count: indicators.count)
    DispatchQueue.concurrentPerform(iterations: indicators.count) { k in
      let ind = indicators[k].indicator
      made.set(k, .success(Self.funnelData(indicators[k]).map { d in
        (d, FunnelChart(id: "funnel-\(ind.id)", title: "\(ind.title): funnel plot, \(d.period.label)", units: d.units,
                        limits: d.limits, target: d.target, decimals: ind.decimals,
                        width: Self.sideBySideWidth, height: 116,
                        xLabel: ind.pupilClustering != nil ? "effective number of pupils" : ind.pupilSD != nil ? "pupils" : "denominator"))
      }))
    }
    var f: [String: FunnelData] = [:]
    var charts: [String: FunnelChart] = [:]
    for (bench, item) in zip(indicators, (try? made.values()) ?? []) {
      guard let (d, chart) = item else { continue }
      f[bench.indicator.id] = d
      charts[bench.indicator.id] = chart
    }
    self.funnels = f
    self.funnelCharts = charts
  }

  func fmt(_ x: Double?, _ decimals: Int, _ suffix: String = "") -> String {
    x.map { NumberFormat.plain($0, decimals: decimals) + suffix } ?? "–"
  }

  /// The authority's pack page; with `summaryOnly`, its meeting summary
  /// alone (`packs --format summary`).
  /// There its statements link to the full pack's sections when
  /// `linksToFullPack` (the run writes it too), else they are plain text.
  func authority(_ pack: AuthorityPack, summaryOnly: Bool = false, linksToFullPack: Bool = true) throws -> String {
    let latest = pack.indicators.compactMap { s -> String? in s.period.isEmpty ? nil : s.period }.max() ?? ""
    let overview: [[String: Any]] = pack.overview.map { g in
      ["title": g.title,
       "compactChart": Charts.spine(id: "spine-\(g.id)", title: "\(pack.name): \(g.title)", rows: g.rows, compact: true)]
    }
    var summary: Any = false
    if let m = pack.summary {
      let more = m.moreStandOut == 0 ? "" :
        "\(m.moreStandOut) more \(m.moreStandOut == 1 ? "statement is" : "statements are") in the indicator sections and the learning prompts."
      summary = ["titleLine": m.titleLine, "hasStandsOut": !m.standsOut.isEmpty,
                 "standsOut": m.standsOut.map { s -> [String: Any] in
                   let href: Any = !summaryOnly ? "#\(s.anchor)" : linksToFullPack ? "\(pack.code).html#\(s.anchor)" : false
                   return ["href": href, "statement": s.statement]
                 },
                 "more": more.isEmpty ? false : more, "contextFacts": m.contextFacts, "cannotSay": m.cannotSay] as [String: Any]
    }
    let context: [[String: Any]] = pack.context.map { r in
      let d = r.variable.hasPrefix("pop_") ? 0 : 2
      return ["label": r.label, "value": fmt(r.value, d), "median": fmt(r.median, d),
              "percentile": r.percentile.map { "\(Int($0.rounded()))%" } ?? "–"]
    }
    // The summary alone shows no indicator section: its charts are not drawn.
    var sections: [[String: Any]] = (summaryOnly ? [] : pack.indicators).map { s in
      let ind = run.catalogue.indicator(id: s.id)!
      let suffix = ind.unit.suffix
      let valueText = s.value != nil ? fmt(s.value, s.decimals, suffix) : (ValueStatus(code: s.status)?.words ?? s.status)
      var item: [String: Any] = [
        "anchor": s.anchor, "title": s.title, "description": s.description, "period": s.period, "valueText": valueText,
        "england": fmt(s.england, s.decimals, suffix), "region": fmt(s.region, s.decimals, suffix),
        "neighbourMedian": fmt(s.neighbourMedian, s.decimals, suffix), "sentence": s.sentence,
        "trend": Charts.trend(id: "trend-\(s.id)", title: "\(s.title): trend", points: s.trend, polarity: s.polarity,
                              decimals: s.decimals, width: Self.sideBySideWidth, height: 112, region: pack.region),
        "funnel": funnelChart(s, code: pack.code),
      ]
      // Every optional key is set (false when absent): Mustache looks a
      // missing key up in the enclosing context, which would print the
      // page-level value inside this indicator's section.
      for key in ["caveats", "interval", "expected", "prediction", "spcNote", "modelNote", "neighbourNote", "neighbourBrief", "band",
                  "widerRegion", "derivedNote", "jointReturn", "smallNumbersNote", "funnelLegend", "groupChart", "persistenceNote",
                  "expectedAlone"] {
        item[key] = false
      }
      // Region and England as DfE publishes them; a figure computed here
      // from rounded counts says so.
      item["englandLabel"] = s.englandDerived == true ? "England (derived)" : "England"
      // The region figure is always the pack's own region's (Inner London
      // for Camden), so it is named: "Region" beside Inner London's figure
      // read as London's (the reader's review).
      item["regionLabel"] = pack.region + (s.regionDerived == true ? " (derived)" : "")
      item["regionName"] = pack.region
      if let name = s.widerRegionName {
        item["widerRegion"] = ["label": name + (s.widerRegionDerived == true ? " (derived)" : ""),
                               "value": fmt(s.widerRegion, s.decimals, suffix)]
      }
      if s.englandDerived == true || s.regionDerived == true || s.widerRegionDerived == true {
        item["derivedNote"] = "Derived: computed here from counts that DfE rounds above authority level (usually to the nearest 10), as the files read publish no regional or national figure for this indicator."
      }
      if let n = s.neighbourNote { item["neighbourNote"] = n; item["neighbourBrief"] = s.neighbourBrief ?? n }
      if let j = s.jointReturn { item["jointReturn"] = j }
      if let n = s.smallNumbersNote { item["smallNumbersNote"] = n }
      if let n = s.persistenceNote { item["persistenceNote"] = n }
      if funnels[s.id] != nil {
        item["funnelLegend"] = true
        item["funnelPointKey"] = Charts.funnelPointKey(
          name: pack.name, flag: s.funnelFlag, polarity: s.polarity,
          missing: s.value == nil ? (ValueStatus(code: s.status)?.words ?? s.status) : nil)
      }
      if let b = s.quartileBand, let note = s.quartileBandNote {
        item["band"] = ["letter": b, "note": note, "brief": s.quartileBandBrief ?? note, "rankNote": s.rankNote ?? false]
      }
      if let c = s.caveats { item["caveats"] = c }
      if let l = s.intervalLower, let u = s.intervalUpper, let m = s.intervalMethod {
        item["interval"] = "\(fmt(l, s.decimals)) to \(fmt(u, s.decimals)) (\(m))"
      }
      if let e = s.expected {
        item["expected"] = fmt(e, s.decimals, suffix)
        // No interval where its width is unknown (a mean score whose
        // cohort is not published): a dash pair would read as a range.
        if s.predictionLower != nil, s.predictionUpper != nil {
          item["prediction"] = "\(fmt(s.predictionLower, s.decimals)) to \(fmt(s.predictionUpper, s.decimals))"
        }
        // Beside a suppressed figure the expectation could be read as an estimate of it.
        item["expectedAlone"] = s.value == nil
      }
      if let n = s.spcNote { item["spcNote"] = n }
      if let n = s.modelNote { item["modelNote"] = n }
      return item
    }
    if !summaryOnly { addGroupCharts(to: &sections, pack: pack) }
    let breakdowns: [[String: Any]] = pack.breakdowns.map { b in
      ["title": b.title, "period": b.period, "note": b.note, "rows": b.rows.map { r -> [String: Any] in
        let shown = r.status == "ok"
        return ["category": r.category,
                "count": shown ? fmt(r.count, 0) : (ValueStatus(code: r.status)?.words ?? r.status),
                "share": fmt(r.share, 0, "%"),
                "interval": r.lower.map { "\(fmt($0, 0)) to \(fmt(r.upper, 0))" } ?? "–",
                "england": fmt(r.england, 0, "%"), "neighbourMedian": fmt(r.neighbourMedian, 0, "%")]
      }]
    }
    var careEthnicity: Any = false
    if let e = pack.careEthnicity {
      func ratio(_ r: Double?, _ lo: Double?, _ hi: Double?) -> String {
        guard let r else { return "–" }
        return "\(fmt(r, 2)) (\(fmt(lo, 2)) to \(fmt(hi, 2)))"
      }
      careEthnicity = ["period": e.period, "note": e.note, "rows": e.rows.map { r -> [String: Any] in
        ["group": r.group,
         "count": r.status == "ok" ? fmt(r.count, 0) : (ValueStatus(code: r.status)?.words ?? r.status),
         "versusPopulation": ratio(r.versusPopulation, r.populationLower, r.populationUpper),
         "versusEnglandCare": ratio(r.versusEnglandCare, r.englandLower, r.englandUpper)]
      }] as [String: Any]
    }
    var leadership: Any = false
    if let l = pack.leadership {
      leadership = ["judgement": l.judgement ?? "No ILACS judgement published", "date": l.date ?? "–", "asAt": l.asAt,
                    "note": l.note, "counts": l.counts.map { c -> [String: Any] in
                      ["grade": c.grade, "neighbours": c.neighbours, "region": c.region, "england": c.england] }] as [String: Any]
    }
    var workforce: Any = false
    if let w = pack.workforceEthnicity {
      workforce = ["period": w.period, "note": w.note, "rows": w.rows.map { r -> [String: Any] in
        ["role": r.role, "group": r.group, "count": r.count.map { fmt($0, 0) } ?? "suppressed",
         "share": fmt(r.share, 0, "%"), "population": fmt(r.populationShare, 0, "%"),
         "ratio": r.ratio.map { "\(fmt($0, 2)) (\(fmt(r.lower, 2)) to \(fmt(r.upper, 2)))" } ?? "–"]
      }] as [String: Any]
    }
    let context2: [String: Any] = [
      "summary": summary, "summaryOnly": summaryOnly,
      "runningHeader": Self.cssString("\(pack.name) · contextualised comparison pack · data to \(latest)"),
      "careEthnicity": careEthnicity,
      "frameworkParts": frameworkParts(sections: sections, pack: pack,
                                       extras: ["leadership": leadership, "workforceEthnicity": workforce]),
      "name": pack.name, "code": pack.code, "oldCode": pack.oldCode, "region": pack.region, "regionName": pack.region,
      "latestLabel": latest,
      "overview": overview, "context": context, "officialSource": run.officialLabel,
      "officialNeighboursList": pack.provenance.officialNeighbours,
      "officialNeighbours": pack.officialNeighbours.map(neighbour),
      "modelNeighbours": pack.modelNeighbours.map(neighbour),
      "indexHref": links.index(root: "../"), "regionHref": links.region(pack.regionCode, root: "../") ?? false,
      "englandHref": links.englandPage(root: "../") ?? false,
      "sections": sections, "breakdowns": breakdowns, "prompts": pack.prompts,
      "changes": pack.changes, "hasChanges": !pack.changes.isEmpty,
      "changesNote": pack.changesNote ?? ChangesBasis.noStore.noChangeNote,
      "software": pack.provenance.software, "comparisonRules": Phrases.comparisonRules, "provenanceCaveats": pack.provenance.caveats,
      "suppressionNotes": pack.provenance.suppressionNotes, "models": pack.provenance.models.joined(separator: ", "),
      "files": pack.provenance.files.map { ["name": $0.name, "sha256": $0.sha256, "origin": $0.origin ?? "", "release": $0.release ?? "", "periods": $0.periods ?? ""] },
    ]
    return try templates.render("authority", context2)
  }

  /// Where the dashboard puts the pack's figures that are not indicator
  /// sections: the Ofsted judgement of leaders under "leaders drive
  /// conditions", the workforce's ethnicity under "the workforce is
  /// equipped", adoption timeliness under "stable, loving homes".
  static let extraPlacement = [
    "leadership": SupplementaryFigure.ofstedLeadership.framework,
    "workforceEthnicity": SupplementaryFigure.workforceEthnicity.framework,
    "adoptionNote": SupplementaryFigure.adoptionTimeliness.framework,
  ]

  /// Section 2 of the authority pack, grouped by the framework's outcomes
  /// and enablers in catalogue order, each part with the indicator
  /// sections of that framework and the extra figures placed there. Every
  /// extra key is set in every part (false when elsewhere), because
  /// Mustache looks a missing key up in the enclosing context.
  func frameworkParts(sections: [[String: Any]], pack: AuthorityPack, extras: [String: Any]) -> [[String: Any]] {
    guard sections.count == pack.indicators.count else { return [] }
    let frameworks = run.catalogue.frameworks.map(\.id)
    var extras = extras
    extras["adoptionNote"] = true
    return run.catalogue.frameworks.enumerated().compactMap { k, fw -> [String: Any]? in
      let mine = pack.indicators.indices.filter { run.catalogue.indicator(id: pack.indicators[$0].id)?.framework == fw.id }
      var part: [String: Any] = ["heading": fw.heading, "anchor": "framework-\(fw.id)", "sections": mine.map { sections[$0] }]
      var hasExtra = false
      for (key, value) in extras {
        // An extra whose framework is not in the catalogue goes to the last part.
        let home = Self.extraPlacement[key].flatMap { frameworks.contains($0) ? $0 : nil } ?? frameworks.last
        let here = home == fw.id && !(value is Bool && (value as? Bool) == false)
        part[key] = here ? value : false
        hasExtra = hasExtra || here
      }
      return mine.isEmpty && !hasExtra ? nil : part
    }
  }

  /// Puts a grouped chart on the first section of each indicator group
  /// (`group` in the catalogue): the group's indicators side by side, the
  /// authority against England and the neighbour median.
  func addGroupCharts(to sections: inout [[String: Any]], pack: AuthorityPack) {
    var seen = Set<String>()
    for (k, s) in pack.indicators.enumerated() where k < sections.count {
      guard let group = run.catalogue.indicator(id: s.id)?.group, seen.insert(group).inserted else { continue }
      let members = pack.indicators.filter { run.catalogue.indicator(id: $0.id)?.group == group }
      let rows = members.map { m in
        GroupBarRow(label: run.catalogue.indicator(id: m.id)?.shortTitle.map { Self.groupLabel($0) } ?? m.title,
                    value: m.value, missingWords: ValueStatus(code: m.status)?.words,
                    england: m.england, neighbourMedian: m.neighbourMedian)
      }
      let ind = run.catalogue.indicator(id: s.id)
      let title = "\(group), \(s.period)" + (ind.map { $0.unit == .ratePer10000 ? " (per 10,000 children)" : "" } ?? "")
      sections[k]["groupChart"] = [
        "title": title, "anchor": "group-" + Self.slug(group),
        "chart": Charts.groupBars(id: "group-\(Self.slug(group))", title: "\(pack.name): \(title)", rows: rows,
                                  decimals: s.decimals, unitSuffix: ""),
      ] as [String: Any]
    }
  }

  /// A group chart's row label: the short title without its "Factor: " prefix.
  static func groupLabel(_ shortTitle: String) -> String {
    shortTitle.hasPrefix("Factor: ") ? String(shortTitle.dropFirst(8)) : shortTitle
  }

  static func slug(_ s: String) -> String {
    String(s.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" })
  }

  /// An authority pack's trend and funnel charts: two side by side fit the
  /// 703 px between A4 margins (with the 18 px gap) at full size.
  static let sideBySideWidth = 340.0

  /// Text for a CSS string in double quotes inside a `<style>` element:
  /// backslash and quote escaped, `<` written as a CSS escape so no name can
  /// close the element, line breaks as spaces.
  static func cssString(_ s: String) -> String {
    var out = ""
    for c in s {
      switch c {
      case "\\": out += "\\\\"
      case "\"": out += "\\\""
      case "<": out += "\\3C "
      case "\n", "\r", "\r\n": out += " "
      default: out.append(c)
      }
    }
    return out
  }

  /// A neighbour's row, linked to its pack where this run writes one.
  func neighbour(_ n: NeighbourRef) -> [String: Any] {
    ["rank": n.rank, "name": n.name, "band": n.band, "href": links.authority(n.code, root: "../") ?? false]
  }

  /// The funnel for an indicator's latest period (before context).
  func funnelChart(_ s: IndicatorSection, code: String) -> String {
    funnelCharts[s.id]?.rendered(highlight: code, flag: s.funnelFlag, polarity: s.polarity) ?? ""
  }

  /// - Parameter period: the period to plot (default: the indicator's latest).
  static func funnelData(_ bench: IndicatorBench, period: TimePeriod? = nil) -> FunnelData? {
    guard let p = period ?? bench.latest, bench.indicator.hasCounts,
          let f = IndicatorFunnel(values: bench.local.values.compactMap { $0[p] }, indicator: bench.indicator,
                                  target: bench.england[p]?.value) else { return nil }
    let n = f.denominators
    let maxN = n.max()!, minN = max(n.min()!, 1)
    let limits = (0...40).map { k -> (x: Double, l95: Double, u95: Double, l998: Double, u998: Double) in
      let g = minN * pow(maxN / minN, Double(k) / 40)
      let l = f.limits(denominator: g)
      return (g, l.l95, l.u95, l.l998, l.u998)
    }
    let mult = bench.indicator.unit.multiplier
    let units = zip(f.rows, n).map { (code: $0.areaCode, x: $1, y: $0.numerator! / $0.denominator! * mult) }
    return FunnelData(period: p, units: units, limits: limits, target: f.target)
  }
}
