import Dispatch
import Foundation
import PeerLensAnalysis
import PeerLensData
import PeerLensStatistics

/// Writes the packs of a national run: one per selected authority, one per
/// selected region, one for England, and `values.csv` with the numbers
/// behind them all.
public struct PackWriter: Sendable {
  public enum Format: String, Sendable, CaseIterable {
    case html, csv, json, xlsx, pdf
    /// The two-page meeting summary alone: `authorities/<code>-summary.html`
    /// (and its PDF with `pdf`).
    case summary
  }

  public let run: NationalRun
  public let builder: PackBuilder
  public let templates: TemplateSet
  public let output: URL
  public let formats: Set<Format>
  /// The Chromium that prints PDFs (`nil`: not installed, PDFs are skipped with a note).
  public var chromium: URL? = PDFRenderer.locateChromium()

  public init(run: NationalRun, templates: TemplateSet, output: URL, formats: Set<Format>, software: String,
              changes: [String: [String]] = [:]) {
    self.run = run
    self.builder = PackBuilder(run: run, software: software, changes: changes)
    self.templates = templates
    self.output = output
    self.formats = formats
  }

  /// What was written.
  public struct Summary: Sendable {
    public var authorityPacks = 0
    public var regionPacks = 0
    public var englandPack = false
    public var files: [String] = []
    /// Things the user should know about the run (a format that could not be written).
    public var notes: [String] = []
  }

  public static func slug(_ s: String) -> String {
    let lowered = s.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }
    return String(lowered).split(separator: "-").joined(separator: "-")
  }

  /// Writes everything selected. `authorities` and `regions` empty with
  /// `everything` true means all of them and England.
  /// One authority's pack in every format asked for; returns its index
  /// row and the files written (relative to the output folder).
  func writeAuthority(_ code: String, renderer: HTMLRenderer) throws -> (PackIndex.Row, [String]) {
    let pack = try builder.authorityPack(code: code)
    var files: [String] = []
    let base = output.appendingPathComponent("authorities").appendingPathComponent(code)
    if formats.contains(.html) {
      try AtomicFile.write(try renderer.authority(pack), to: base.appendingPathExtension("html"))
      files.append("authorities/\(code).html")
    }
    if formats.contains(.summary) {
      let page = try renderer.authority(pack, summaryOnly: true, linksToFullPack: formats.contains(.html))
      try AtomicFile.write(page, to: output.appendingPathComponent("authorities/\(code)-summary.html"))
      files.append("authorities/\(code)-summary.html")
    }
    if formats.contains(.json) {
      try AtomicFile.write(PackJSON.encode(pack), to: base.appendingPathExtension("json"))
      files.append("authorities/\(code).json")
    }
    if formats.contains(.csv) {
      try AtomicFile.write(PackCSV.render(pack), to: base.appendingPathExtension("csv"))
      files.append("authorities/\(code).csv")
    }
    if formats.contains(.xlsx) {
      try AtomicFile.write(try PackWorkbook.build(pack).data(), to: base.appendingPathExtension("xlsx"))
      files.append("authorities/\(code).xlsx")
    }
    return (PackIndex.Row(pack), files)
  }

  public func write(authorities: [String], regions: [String], everything: Bool,
                    progress: (String) -> Void = { _ in }) throws -> Summary {
    var summary = Summary()
    // Everything the pages show is in the run and the builder by now: the
    // parsed source files can go before the pages take their memory.
    run.mirror.releaseFiles()
    // Known before any page is written, so each page links only to pages
    // this run writes.
    let links = formats.contains(.html) ? PackLinks(
      authorities: Set(authorities),
      regions: Dictionary(regions.map { ($0, Self.slug(run.registry.regionName(code: $0) ?? $0)) },
                          uniquingKeysWith: { a, _ in a }),
      england: everything) : .none
    let renderer = HTMLRenderer(templates: templates, run: run, links: links)
    // Authority packs are independent: written on all cores. Each pack's
    // files are the same bytes whichever core writes them; the index and
    // the list of files keep the order of `authorities`.
    let written = try withoutActuallyEscaping(progress) { progress in
      let results = IndexedResults<(PackIndex.Row, [String])>(count: authorities.count) { done, k in
        progress("[\(done)/\(authorities.count)] \(run.registry.authority(code: authorities[k])?.name ?? authorities[k])")
      }
      DispatchQueue.concurrentPerform(iterations: authorities.count) { k in
        results.set(k, Result { try writeAuthority(authorities[k], renderer: renderer) })
      }
      return try results.values()
    }
    let index = written.map(\.0)
    summary.files += written.flatMap(\.1)
    summary.authorityPacks += written.count
    // What follows the authority packs is independent too: each region's
    // pack, England's, the index page and values.csv are written at once
    // (written one after another they were a tenth of the run). Their
    // files are listed in this fixed order, whichever finishes first.
    let parts: [TailPart] = regions.map { .region($0) } + (everything ? [.england] : [])
      + (formats.contains(.html) ? [.index] : []) + [.values]
    if !regions.isEmpty {
      try FileManager.default.createDirectory(at: output.appendingPathComponent("regions"), withIntermediateDirectories: true)
    }
    let tail = try withoutActuallyEscaping(progress) { progress in
      let results = IndexedResults<[String]>(count: parts.count) { _, k in progress(parts[k].label(run.registry)) }
      DispatchQueue.concurrentPerform(iterations: parts.count) { k in
        results.set(k, Result { try write(parts[k], index: index, links: links) })
      }
      return try results.values()
    }
    summary.files += tail.flatMap { $0 }
    summary.regionPacks += regions.count
    summary.englandPack = everything
    if formats.contains(.pdf) { try writePDFs(&summary, progress: progress) }
    return summary
  }

  /// Prints every HTML page written to PDF beside it, several at a time.
  /// Without Chromium, says how to install it and leaves the other formats.
  private func writePDFs(_ summary: inout Summary, progress: (String) -> Void) throws {
    guard let chromium else {
      summary.notes.append(PDFRenderer.installHint)
      return
    }
    let year = run.indicators.compactMap { $0.latest?.endYear }.max() ?? 2025
    let renderer = PDFRenderer(chromium: chromium, date: PDFRenderer.date(forDataYear: year))
    let pages = summary.files.filter { $0.hasSuffix(".html") }
    progress("printing \(pages.count) page(s) to PDF with \(chromium.lastPathComponent)…")
    let failures = PDFFailures()
    let root = output
    DispatchQueue.concurrentPerform(iterations: pages.count) { k in
      let html = root.appendingPathComponent(pages[k])
      do { try renderer.render(html: html, to: html.deletingPathExtension().appendingPathExtension("pdf")) } catch {
        failures.record(error)
      }
    }
    if let first = failures.first { throw first }
    summary.files += pages.map { String($0.dropLast(4)) + "pdf" }
  }

  /// The first error from concurrent PDF printing.
  final class PDFFailures: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [Error] = []
    func record(_ e: Error) { lock.lock(); errors.append(e); lock.unlock() }
    var first: Error? { lock.lock(); defer { lock.unlock() }; return errors.first }
  }

  /// The files written after the authority packs, each on its own.
  enum TailPart {
    case region(String), england, index, values

    /// The progress line when it is written.
    func label(_ registry: AuthorityRegistry) -> String {
      switch self {
      case .region(let code): return "region \(registry.regionName(code: code) ?? code)"
      case .england: return "England"
      case .index: return "index page"
      case .values: return "values.csv"
      }
    }
  }

  /// Writes one part of the tail; returns its files (relative to the output folder).
  private func write(_ part: TailPart, index: [PackIndex.Row], links: PackLinks) throws -> [String] {
    switch part {
    case .region(let region):
      let page = regionContext(region, links: links)
      let slug = Self.slug(page["name"] as? String ?? region)
      var files: [String] = []
      if formats.contains(.html) {
        try AtomicFile.write(try templates.render("region", page), to: output.appendingPathComponent("regions/\(slug).html"))
        files.append("regions/\(slug).html")
      }
      return files + (try writeTable(RegionTable.build(run: run, regionCode: region), base: "regions/\(slug)"))
    case .england:
      let england = EnglandTable.build(run: run)
      var files: [String] = []
      if formats.contains(.html) {
        try AtomicFile.write(try templates.render("england", englandContext(england, links: links)),
                             to: output.appendingPathComponent("england.html"))
        files.append("england.html")
      }
      return files + (try writeTable(england, base: "england"))
    case .index:
      let page = PackIndex(rows: index, run: run, links: links).context(software: builder.software)
      try AtomicFile.write(try templates.render("index", page), to: output.appendingPathComponent("index.html"))
      return ["index.html"]
    case .values:
      try ValuesTable.write(run, extras: builder.valuesExtraRows(), rankIntervals: builder.rankIntervals,
                            to: output.appendingPathComponent("values.csv"))
      return ["values.csv"]
    }
  }

  /// A region's or England's numbers as CSV, JSON and XLSX (whichever are
  /// selected); returns the files written.
  private func writeTable<T: SummaryTable>(_ table: T, base: String) throws -> [String] {
    var files: [String] = []
    if formats.contains(.csv) {
      try AtomicFile.write(table.csv(), to: output.appendingPathComponent(base + ".csv"))
      files.append(base + ".csv")
    }
    if formats.contains(.json) {
      try AtomicFile.write(try table.json(), to: output.appendingPathComponent(base + ".json"))
      files.append(base + ".json")
    }
    if formats.contains(.xlsx) {
      try AtomicFile.write(try table.workbook().data(), to: output.appendingPathComponent(base + ".xlsx"))
      files.append(base + ".xlsx")
    }
    return files
  }

  // MARK: - Region and England pages

  /// Authorities per table on a regional page.
  static let regionTableColumns = 8

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
    // At most `regionTableColumns` authorities per table, so a region
    // of 33 London boroughs still fits the page (and prints on A4).
    let width = Self.regionTableColumns
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
    return ["name": name, "count": members.count, "tables": tables, "multiples": multiples,
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
  /// prediction limit given context (higher, lower); △ ▽ outside only the
  /// funnel's 99.8% limit before context. The page's key says so in words.
  static func mark(_ f: AuthorityOverview.Figure) -> String? {
    guard f.standsOut else { return nil }
    if f.contextStandsOut { return f.contextPosition == "above_99.8" ? "▲" : "▼" }
    return f.funnelFlag == "above_99.8" ? "△" : "▽"
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
          "\(m.model.coefficientNames[k]) \(m.model.coefficients[k].map { RegressionSummary.fmt($0, digits: 3) } ?? "NA") (p \(m.model.pValues[k].map { RegressionSummary.fmt($0, digits: 2) } ?? "NA"))"
        }.joined(separator: "; ")
        models.append(["title": ind.title, "family": m.spec.family.rawValue,
                       "explained": String(format: "%.2f", m.model.pseudoRSquared), "terms": terms])
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
          "title": ind.title, "skill": c.looDevianceExplained.map { String(format: "%.2f", $0) } ?? "not known",
          "outside95": c.all.outside95Text,
          "outside998": c.all.outside998Text,
          "bySize": c.bySize.isEmpty ? "–" : c.bySize.map { String(format: "%.0f%%", 100 * $0.share95) }.joined(separator: " / "),
          "dispersion": c.pearsonDispersion.map { String(format: "%.2f", $0) } ?? "–",
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
    return ["authorityCount": run.authorities.count, "indicatorCount": run.indicators.count, "indicators": indicators,
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

/// "Since the last release" lines per authority from a comparison of two vintages.
public enum ChangeLines {
  public static func byAuthority(_ cmp: ReleaseComparison, catalogue: IndicatorCatalogue) -> [String: [String]] {
    var out: [String: [String]] = [:]
    func title(_ id: String) -> String { catalogue.indicator(id: id)?.shortTitle ?? catalogue.indicator(id: id)?.title ?? id }
    for r in cmp.revisions {
      let old = r.old.map { Charts.format($0) } ?? r.oldStatus.replacingOccurrences(of: "_", with: " ")
      let new = r.new.map { Charts.format($0) } ?? r.newStatus.replacingOccurrences(of: "_", with: " ")
      out[r.areaCode, default: []].append("\(title(r.indicator)), \(r.period): revised from \(old) to \(new).")
    }
    for f in cmp.funnelChanges {
      out[f.areaCode, default: []].append("\(title(f.indicator)), \(f.period): now \(f.direction == "entered" ? "outside" : "inside") the funnel's 99.8% limits.")
    }
    for s in cmp.newSignals {
      out[s.areaCode, default: []].append("\(title(s.indicator)), \(s.period): new special-cause signal (\(s.flag.replacingOccurrences(of: "_", with: " "))).")
    }
    let periods = cmp.newPeriods.sorted { $0.key < $1.key }.map { "\(title($0.key)) \($0.value.joined(separator: ", "))" }
    if !periods.isEmpty {
      for key in Set(cmp.revisions.map(\.areaCode)).union(cmp.funnelChanges.map(\.areaCode)) {
        out[key, default: []].insert("New periods: " + periods.joined(separator: "; ") + ".", at: 0)
      }
    }
    return out.mapValues { Array($0.prefix(40)) }
  }
}

/// JSON export of a pack: the pack model itself.
/// The numbers behind an authority pack's charts as tidy CSV.
enum PackCSV {
  static func render(_ pack: AuthorityPack) -> String {
    var rows: [[String]] = []
    let n = CSVWriter.number
    for s in pack.indicators {
      for t in s.trend {
        rows.append(["trend", s.id, t.period, "authority", n(t.value), t.status])
        rows.append(["trend", s.id, t.period, "england", n(t.england), ""])
        rows.append(["trend", s.id, t.period, "region", n(t.region), ""])
        rows.append(["trend", s.id, t.period, "neighbour_median", n(t.neighbourMedian), ""])
      }
      rows.append(["expected", s.id, s.period, "expected", n(s.expected), ""])
      rows.append(["expected", s.id, s.period, "prediction_lower_95", n(s.predictionLower), ""])
      rows.append(["expected", s.id, s.period, "prediction_upper_95", n(s.predictionUpper), ""])
      rows.append(["interval", s.id, s.period, "lower", n(s.intervalLower), s.intervalMethod ?? ""])
      rows.append(["interval", s.id, s.period, "upper", n(s.intervalUpper), s.intervalMethod ?? ""])
    }
    for b in pack.breakdowns {
      for r in b.rows {
        rows.append(["breakdown", b.title, b.period, r.category, n(r.share), r.status])
      }
    }
    for c in pack.context { rows.append(["context", c.variable, "", "authority", n(c.value), ""]) }
    return CSVWriter.render(header: ["section", "item", "time_period", "series", "value", "note"], rows: rows)
  }
}

/// `values.csv`: every authority, indicator and period in one tidy table.
///
/// Neighbour and ranking columns follow the official tools (issue 14):
/// `sn_median` is the DfE dashboard's median of the official neighbours'
/// published values, rounded half-up at the published precision; `sn_n`
/// the neighbours it rests on (suppressed and missing ones are left out);
/// `sn_mean` LAIT's plain mean of those values; `rank` LAIT's rank among
/// all authorities (1 = best by polarity, ties share the lowest rank) and
/// `quartile_band` LAIT's band (A to D from R type-7 quartiles), both on
/// published figures and empty for indicators without polarity.
/// `published_value` is DfE's own figure, where DfE publishes one.
/// `joint_return` is the joint row's code (`E09000021 / E09000027`) where
/// the authority's figure is a return submitted with another authority:
/// each authority has the joint figure, counted once in `rank`,
/// `quartile_band` and the neighbour columns.
///
/// The figures the packs show beside the indicators (issue 23) follow, by
/// `indicator_id`: `ofsted_ilacs_leadership` (the judgement in
/// `value_text`, the inspection in `date`), `sw_ethnicity_pct` (share of
/// social workers in `value`, their count in `numerator`, the role and
/// ethnic group in `category`, the population share and the ratio with
/// its interval) and `adoption_order_to_match_months` (England only, on
/// England's row `E92000001`).
public enum ValuesTable {
  public static let header = [
    "new_la_code", "old_la_code", "la_name", "indicator_id", "time_period", "value", "status", "numerator", "denominator",
    "england_value", "region_value", "sn_median", "expected", "expected_lower", "expected_upper", "z_score",
    "funnel_flag", "spc_flag", "context_skill", "shrunk", "rank_shrunk", "rank_lower", "rank_upper",
    "sn_n", "sn_mean", "rank", "quartile_band", "published_value", "joint_return",
    "category", "value_text", "date", "population_share", "ratio", "ratio_lower", "ratio_upper",
  ]

  /// One row from named cells (columns not named are empty).
  static func row(_ cells: [String: String]) -> String {
    header.map { CSVWriter.field(cells[$0] ?? "") }.joined(separator: ",") + "\n"
  }

  /// - Parameter extras: rows for the figures beside the indicators
  ///   (`PackBuilder.valuesExtraRows()`), after the indicators' rows.
  /// - Parameter rankIntervals: the packs' rank intervals
  ///   (`PackBuilder.rankIntervals`), so both show the same; computed
  ///   here when not given.
  public static func render(_ run: NationalRun, extras: [[String: String]] = [],
                            rankIntervals: [String: [String: (lower: Int, upper: Int)]]? = nil) -> String {
    var out = ""
    emit(run, extras: extras, rankIntervals: rankIntervals) { out += $0 }
    return out
  }

  /// Writes the table straight to a file, a line at a time, through a
  /// temporary file renamed into place.
  ///
  /// Why not `render`: the national table is about 15 MB of text, and
  /// holding it as one string (with the slack of its growth) was the
  /// largest single block at the run's peak memory.
  public static func write(_ run: NationalRun, extras: [[String: String]] = [],
                           rankIntervals: [String: [String: (lower: Int, upper: Int)]]? = nil, to url: URL) throws {
    try AtomicFile.write(to: url) { append in
      try emit(run, extras: extras, rankIntervals: rankIntervals, append)
    }
  }

  /// Every line of the table, header first, each ending in a newline.
  static func emit(_ run: NationalRun, extras: [[String: String]],
                   rankIntervals: [String: [String: (lower: Int, upper: Int)]]?,
                   _ out: (String) throws -> Void) rethrows {
    try out(header.joined(separator: ",") + "\n")
    let n = CSVWriter.number
    for bench in run.indicators {
      let model = Dictionary((bench.model?.authorities ?? []).map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
      // Shrunk values (towards the contextual expectation where context has
      // skill) and their LAIT-style rank, for the model's period.
      var shrunkValues: [String: Double] = [:]
      for a in bench.model?.authorities ?? [] { if let v = a.shrunk { shrunkValues[a.code] = v } }
      let shrunkRank = PolarityRank.ranks(shrunkValues, polarity: bench.indicator.polarity)
      let rankInterval = rankIntervals?[bench.indicator.id] ?? RankUncertainty.intervals(bench)
      for code in bench.local.keys.sorted() {
        let series = bench.local[code]!
        let region = run.registry.authority(code: code)?.regionCode ?? ""
        let chart = bench.spc[code]
        let hasNeighbours = !(run.officialNeighbours[code] ?? []).isEmpty
        for (k, p) in bench.periods.enumerated() {
          guard let v = series[p] else { continue }
          // No expected value where context does not predict better than
          // pooling the other authorities (leave-one-out skill ≤ 0).
          let m = p == bench.latest && bench.model?.showsExpectation == true ? model[code] : nil
          let skill = p == bench.latest ? bench.model?.contextSkill : nil
          let modelPeriod = p == bench.model?.period
          let f = bench.funnel[p]?[code]
          let sn = bench.neighbourSummary[code]?[p]
          let flags = chart.map { $0.points[k].flags.map(\.rawValue).joined(separator: ";") } ?? ""
          let row = [
            code, v.oldCode, v.name, bench.indicator.id, p.code, v.status == .ok ? n(v.value) : "", v.status.code,
            v.status == .ok ? n(v.numerator) : "", n(v.denominator), n(bench.england[p]?.value),
            n(bench.regions[region]?[p]?.value), n(sn?.median), n(m?.expected),
            n(m?.predictionLower95), n(m?.predictionUpper95), n(f?.z), f?.flag.rawValue ?? "", flags, n(skill),
            modelPeriod ? n(shrunkValues[code]) : "", modelPeriod ? (shrunkRank[code].map(String.init) ?? "") : "",
            p == bench.latest ? (rankInterval[code].map { String($0.lower) } ?? "") : "",
            p == bench.latest ? (rankInterval[code].map { String($0.upper) } ?? "") : "",
            sn.map { String($0.count) } ?? (hasNeighbours ? "0" : ""), n(sn?.mean), bench.rank[p]?[code].map(String.init) ?? "",
            bench.quartileBand[p]?[code]?.rawValue ?? "",
            bench.indicator.isPublishedByDfE && v.status == .ok ? n(v.published) : "",
            bench.jointReturn(code, p) ?? "", "", "", "", "", "", "", "",
          ]
          try out(row.map(CSVWriter.field).joined(separator: ",") + "\n")
        }
      }
    }
    for cells in extras { try out(Self.row(cells)) }
  }
}
