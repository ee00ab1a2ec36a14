import Dispatch
import Foundation
import PeerLensAnalysis
import PeerLensData
import PeerLensStatistics

/// The region and England pages' contexts, and the pieces they share.
extension PackWriter {
  /// Authorities per table on a regional page.
  static let regionTableColumns = 8

  /// Authorities per table for a region with `parts` sub-regional columns
  /// (London: Inner and Outer London beside London): as many fewer, so
  /// every table has the same number of figure columns. London's tables
  /// had three more, and printed on A4 its headings broke mid-word
  /// ("Englan|d", "Bromle|y").
  static func regionTableWidth(parts: Int) -> Int { max(4, regionTableColumns - parts) }

  func regionContext(_ regionCode: String, links: PackLinks = .none) -> [String: Any] {
    let members = run.authorities.filter { run.registry.isIn($0, region: regionCode) }.sorted { $0.name < $1.name }
    let name = run.registry.regionName(code: regionCode) ?? regionCode
    // London: Inner and Outer London's published figures beside London's,
    // each borough labelled with its part.
    let parts = run.registry.parts(ofRegion: regionCode)
    var rows: [[String: Any]] = []
    var multiples: [[String: Any]] = []
    // Each member's expected values and what stands out (issue 22.9).
    let overviews = AuthorityOverview.build(run: run, authorities: members)
    for bench in run.indicators {
      guard let p = bench.latest else { continue }
      let ind = bench.indicator
      let cells = zip(members, overviews).map { a, o -> [String: Any] in
        var value: String
        if let v = bench.value(a.code, p) {
          value = v.status == .ok ? NumberFormat.plain(v.value, decimals: ind.decimals) : v.status.words
          if bench.jointReturn(a.code, p) != nil { value += " (joint return)" }
        } else {
          value = "–"
        }
        let f = o.figures.first { $0.indicatorID == ind.id }
        return ["value": value, "expected": f?.expected.map { NumberFormat.plain($0, decimals: ind.decimals) } ?? false,
                "mark": f.flatMap(Self.mark) ?? false]
      }
      rows.append(["title": ind.shortTitle ?? ind.title, "period": p.label, "cells": cells,
                   "england": Self.shown(bench.england[p], ind), "region": Self.shown(bench.regions[regionCode]?[p], ind),
                   "partCells": parts.map { Self.shown(bench.regions[$0.code]?[p], ind) }])
      let points = bench.countedOnce(members.map(\.code), p).compactMap { code -> (label: String, value: Double, flag: String?)? in
        guard let v = bench.value(code, p), v.status == .ok, let x = v.value else { return nil }
        return (Self.label(code, bench: bench, period: p, run: run), x, bench.funnel[p]?[code]?.flag.rawValue)
      }
      multiples.append(["title": ind.shortTitle ?? ind.title, "period": p.label,
                        "chart": Charts.strip(id: "strip-\(ind.id)", title: "\(name): \(ind.title)", values: points,
                                              england: bench.england[p]?.value, polarity: ind.polarity.rawValue,
                                              decimals: ind.decimals)])
    }
    // At most `regionTableWidth` authorities per table, so a region
    // of 33 London boroughs still fits the page (and prints on A4).
    let width = Self.regionTableWidth(parts: parts.count)
    let tables: [[String: Any]] = stride(from: 0, to: members.count, by: width).map { start in
      let end = min(members.count, start + width)
      return [
        "authorities": members[start..<end].map { a -> [String: Any] in
          ["name": a.name, "code": a.code, "group": parts.isEmpty ? false : (run.registry.regionName(code: a.regionCode) ?? false) as Any]
        },
        "part": members.count > width ? "\(members[start].name) to \(members[end - 1].name)" : false,
        "rows": rows.map { row -> [String: Any] in
          var r = row
          r["cells"] = Array((row["cells"] as! [[String: Any]])[start..<end])
          return r
        },
      ]
    }
    return ["name": name, "count": members.count, "dataLabel": run.dataLabel, "tables": tables, "multiples": multiples,
            "regionParts": parts.map { ["name": $0.name] },
            "authorities": members.map { ["name": $0.name, "code": $0.code,
                                          "href": links.authority($0.code, root: "../") ?? false] as [String: Any] },
            "software": builder.software, "indexHref": links.index(root: "../"),
            "englandHref": links.englandPage(root: "../") ?? false,
            "inContext": overviews.map { overviewRow($0, links: links, root: "../") },
            "officialNeighboursList": run.officialNeighboursDescription]
  }

  /// An authority's name in a chart, or the joint return's names where its
  /// figure is one (shown once: "Kingston upon Thames / Richmond upon Thames").
  static func label(_ code: String, bench: IndicatorBench, period: TimePeriod, run: NationalRun) -> String {
    let name = { (c: String) in run.registry.authority(code: c)?.name ?? c }
    guard bench.jointReturn(code, period) != nil else { return name(code) }
    return ([code] + bench.jointPartners(code, period)).map(name).joined(separator: " / ")
  }

  /// A cell's marker for a value that stands out: ▲ ▼ outside the 99.8%
  /// prediction limit given context (higher, lower); △ ▽ outside the
  /// funnel's 99.8% limit before context; both where both hold ("▲△").
  /// The page's key says so in words. (A value outside both showed only
  /// ▲, so the table hid a funnel flag the authority's pack states.)
  static func mark(_ f: AuthorityOverview.Figure) -> String? {
    guard f.standsOut else { return nil }
    var mark = ""
    if f.contextStandsOut { mark += f.contextPosition == "above_99.8" ? "▲" : "▼" }
    if f.funnelStandsOut { mark += f.funnelFlag == "above_99.8" ? "△" : "▽" }
    return mark
  }

  /// One row of an overview's "Authorities in context" table: the context
  /// facts and, in words, each value that stands out with its expectation.
  func overviewRow(_ o: AuthorityOverview, links: PackLinks, root: String) -> [String: Any] {
    let region = run.registry.authority(code: o.code).map { run.registry.regionName(code: $0.regionCode) ?? $0.regionName }
    let statements: [String] = o.standingOut.map { f in
      let decimals = run.catalogue.indicator(id: f.indicatorID)?.decimals ?? 1
      let value = NumberFormat.plain(f.value, decimals: decimals)
      let expected = f.expected.map { ", expected \(NumberFormat.plain($0, decimals: decimals)) given context" } ?? ""
      return "\(f.title) (\(f.period)): \(value)\(expected); \(f.words ?? "")."
    }
    return [
      "name": o.name, "code": o.code, "href": links.authority(o.code, root: root) ?? false, "region": region ?? "",
      "idaci": o.idaci.map { NumberFormat.plain($0, decimals: 3) } ?? "–",
      "idaciRank": o.idaciRank.map { "rank \($0) of \(o.idaciRanked)" } ?? "",
      "imd": o.imd.map { NumberFormat.plain($0, decimals: 1) } ?? "–",
      "children": o.children.map { NumberFormat.plain($0, decimals: 0) } ?? "–",
      "statements": statements, "none": statements.isEmpty,
    ]
  }

  /// A region's or England's figure at the published precision, marked
  /// "(derived)" where computed here from rounded counts (issue 14.3).
  static func shown(_ v: IndicatorValue?, _ ind: Indicator) -> String {
    guard let v, v.status == .ok else { return "–" }
    return NumberFormat.plain(v.value, decimals: ind.decimals) + (ind.isDerived(v) ? " (derived)" : "")
  }

  /// A p-value as a reader meets it: "p < 0.001" rather than 9.6e-67,
  /// whose digits say nothing a reader can use; otherwise two figures.
  static func pValue(_ p: Double?) -> String {
    guard let p, p.isFinite else { return "p not known" }
    return p < 0.001 ? "p < 0.001" : "p " + RegressionSummary.fmt(p, digits: 2)
  }

  /// The England page, from the same table as `england.csv`.
  func englandContext(_ table: EnglandTable, links: PackLinks = .none) -> [String: Any] {
    let rows = Dictionary(table.rows.map { ($0.indicatorID, $0) }, uniquingKeysWith: { a, _ in a })
    var indicators: [[String: Any]] = []
    var models: [[String: Any]] = []
    var outliers: [[String: Any]] = []
    var calibration: [[String: Any]] = []
    for bench in run.indicators {
      guard let p = bench.latest, let row = rows[bench.indicator.id] else { continue }
      let ind = bench.indicator
      let points = bench.countedOnce(run.authorities.map(\.code), p).compactMap { code -> (label: String, value: Double, flag: String?)? in
        guard let v = bench.value(code, p), v.status == .ok, let x = v.value else { return nil }
        return (Self.label(code, bench: bench, period: p, run: run), x, bench.funnel[p]?[code]?.flag.rawValue)
      }
      indicators.append([
        "title": ind.title, "period": p.label, "count": row.authoritiesReported,
        "england": NumberFormat.value(row.englandValue, ind),
        "min": NumberFormat.value(row.minimum, ind), "max": NumberFormat.value(row.maximum, ind),
        "chart": Charts.strip(id: "dist-\(ind.id)", title: "\(ind.title): all authorities, \(p.label)", values: points,
                              england: bench.england[p]?.value, polarity: ind.polarity.rawValue, decimals: ind.decimals),
      ])
      if let m = bench.model {
        let terms = (0..<m.model.coefficientNames.count).filter { m.model.coefficientNames[$0] != "(Intercept)" }.map { k in
          "\(ContextWords.term(m.model.coefficientNames[k])) \(m.model.coefficients[k].map { RegressionSummary.fmt($0, digits: 3) } ?? "NA") (\(Self.pValue(m.model.pValues[k])))"
        }.joined(separator: "; ")
        models.append(["title": ind.title, "family": m.spec.family.rawValue,
                       "explained": NumberFormat.plain(m.model.pseudoRSquared, decimals: 2), "terms": terms])
        // How well the prediction limits hold (issues 17.5, 24.1, 24.3).
        let c = ModelCalibration(run: m)
        // Before context: the funnel's flags for the same period, each
        // authority (a joint return once) counted as the funnel plots it.
        let funnel = bench.funnel[m.period] ?? [:]
        let flags = bench.countedOnce(funnel.keys.sorted(), m.period).compactMap { funnel[$0]?.flag }
        let before = ModelCalibration.count(funnelFlags: flags)
        calibration.append([
          "before95": flags.isEmpty ? "–" : before.outside95Text,
          "before998": flags.isEmpty ? "–" : before.outside998Text,
          "title": ind.title, "skill": c.looDevianceExplained.map { NumberFormat.plain($0, decimals: 2) } ?? "not known",
          "outside95": c.all.outside95Text,
          "outside998": c.all.outside998Text,
          "bySize": c.bySize.isEmpty ? "–" : c.bySize.map { String(format: "%.0f%%", 100 * $0.share95) }.joined(separator: " / "),
          "dispersion": c.pearsonDispersion.map { NumberFormat.plain($0, decimals: 2) } ?? "–",
          "leftOut95": c.leaveOneOut?.outside95Text ?? "–",
          "influence": c.influence.first.map { i in
            "\(i.name): " + (i.changedNames.isEmpty ? "no position changes"
              : "\(i.changedNames.count) change (\(i.changedNames.joined(separator: ", ")))")
          } ?? "–",
        ])
      }
      let before = row.outside998BeforeContext, after = row.outside998AfterContext ?? []
      if !before.isEmpty || !after.isEmpty {
        outliers.append(["title": ind.title, "before": before.isEmpty ? "none" : before.joined(separator: ", "),
                         "after": after.isEmpty ? (row.outside998AfterContext == nil ? "no model" : "none")
                           : after.joined(separator: ", ")])
      }
    }
    let regions = run.registry.regionChoices.compactMap { r in
      links.regions[r.code].map { ["name": r.name, "href": "regions/\($0).html"] }
    }
    let inContext = AuthorityOverview.build(run: run, authorities: run.authorities.sorted { $0.name < $1.name })
      .map { overviewRow($0, links: links, root: "") }
    let agreement = Self.agreementRows(run)
    var adoption: Any = false
    if let a = try? AdoptionTimeliness.load(mirror: run.mirror), !a.series.isEmpty {
      adoption = ["series": a.series.map { ["period": $0.period, "months": NumberFormat.plain($0.months, decimals: 0)] },
                  "latest": a.series.last!.period,
                  "byAge": a.latestByAge.map { ["age": $0.age, "months": NumberFormat.plain($0.months, decimals: 0)] }]
        as [String: Any]
    }
    return ["authorityCount": run.authorities.count, "indicatorCount": run.indicators.count, "dataLabel": run.dataLabel,
            "indicators": indicators,
            "models": models, "outliers": outliers, "calibration": calibration, "regions": regions, "software": builder.software,
            "adoption": adoption, "agreement": agreement, "indexHref": links.index(root: ""), "inContext": inContext,
            "officialNeighboursList": run.officialNeighboursDescription]
  }

  /// The England page's agreement table (issue 14.4): for each indicator
  /// DfE publishes with counts, at its latest period, how many areas'
  /// values computed from counts agree with the published figure at the
  /// published precision, and the likely causes of those that differ
  /// (`peerlens data agreement` lists every difference).
  static func agreementRows(_ run: NationalRun) -> [[String: Any]] {
    run.indicators.compactMap { bench -> [String: Any]? in
      let ind = bench.indicator
      guard ind.hasCounts, ind.published != nil, let p = bench.latest else { return nil }
      let counted = bench.countedOnce(bench.local.keys.sorted(), p)
      let values = (counted.compactMap { bench.local[$0]?[p] } + [bench.england[p]].compactMap { $0 }
        + bench.regions.values.compactMap { $0[p] })
      guard let r = PublishedAgreement.compare(values, indicator: ind, registry: run.registry).first else { return nil }
      var causes: [PublishedAgreement.Cause: Int] = [:]
      for d in r.differences { causes[d.cause, default: 0] += 1 }
      let words = PublishedAgreement.Cause.allCases.compactMap { c in causes[c].map { "\($0) \(c.words)" } }
      return ["title": ind.shortTitle ?? ind.title, "period": p.label, "agree": r.agree, "differ": r.differ,
              "causes": words.isEmpty ? "–" : words.joined(separator: "; ")]
    }
  }
}
