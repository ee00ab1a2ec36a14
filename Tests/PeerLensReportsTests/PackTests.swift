import Foundation
import Testing
import PeerLensAnalysis
import PeerLensData
@testable import PeerLensReports
import PeerLensStatistics
import _PeerLensTestSupport

/// Builds national runs once per process (they take a few seconds).
enum Fixtures {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static let models = root.appendingPathComponent("Models")
  static let reports = root.appendingPathComponent("Reports")

  /// An HTML pack writer into a fresh temporary folder, which the caller
  /// removes (`defer`).
  static func htmlWriter(_ run: NationalRun) throws -> (PackWriter, URL) {
    let out = URL(fileURLWithPath: temporaryPath(""))
    let writer = PackWriter(run: run, templates: try TemplateSet(folder: reports), output: out, formats: [.html],
                            software: "PeerLens test")
    return (writer, out)
  }

  static func catalogue() throws -> IndicatorCatalogue {
    try IndicatorCatalogue.load(from: models.appendingPathComponent("indicators.toml"))
  }

  static let real: Result<NationalRun, Error> = Result {
    try NationalRun.compute(mirror: DataMirror(root: TestData.data), catalogue: catalogue(), models: models)
  }

  /// A mirror in which Hartlepool is renamed `<script>…` and its 2025
  /// children-in-care count is suppressed.
  static let hostile: Result<(NationalRun, TemporaryMirror), Error> = Result {
    let lookup = try String(contentsOf: TestData.data.appendingPathComponent("lookups/la_codes.csv"), encoding: .utf8)
      .replacingOccurrences(of: "805,E06000001,Hartlepool,", with: "805,E06000001,\"<script>alert('x')</script> & Co\",")
    let claName = "dfe/cla_number_and_rate_per_10k_children.csv"
    var lines = try String(contentsOf: TestData.data.appendingPathComponent(claName), encoding: .utf8)
      .components(separatedBy: "\n")
    for (k, line) in lines.enumerated()
    where line.hasPrefix("2025,") && line.contains(",E06000001,") && line.contains("Children looked after on 31 March") {
      var f = line.components(separatedBy: ",")
      f[f.count - 2] = "c"
      f[f.count - 1] = "c"
      lines[k] = f.joined(separator: ",")
    }
    let mirror = try TemporaryMirror(replacing: ["lookups/la_codes.csv": lookup, claName: lines.joined(separator: "\n")])
    let run = try NationalRun.compute(mirror: DataMirror(root: mirror.root), catalogue: catalogue(), models: models)
    return (run, mirror)
  }
}

@Suite(.serialized) struct PackTests {
  /// The DfE dashboard's rule, recomputed independently in decimal
  /// arithmetic: the median of the official neighbours' published values
  /// (DfE's figure, or the value rounded at the published precision),
  /// rounded half-up (`NSDecimalNumber`'s `.plain` mode) at that precision.
  @Test func neighbourMedianIsTheDashboardMedianOfPublishedValues() throws {
    let run = try Fixtures.real.get()
    var checked = 0, differsFromUnrounded = 0
    func decimal(_ x: Double, _ places: Int) -> Decimal {
      var d = Decimal(string: String(format: "%.\(places + 6)f", x))!, r = Decimal()
      NSDecimalRound(&r, &d, places, .plain)
      return r
    }
    for bench in run.indicators {
      guard let p = bench.latest else { continue }
      let places = bench.indicator.decimals
      for a in run.authorities.prefix(40) {
        // A joint return (two neighbours, one workforce figure) counts once.
        var returns = Set<String>()
        let list = (run.officialNeighbours[a.code] ?? []).filter { returns.insert(bench.jointReturn($0.code, p) ?? $0.code).inserted }
        let published = list.compactMap { n -> Decimal? in
          guard let v = bench.local[n.code]?[p], v.status == .ok, let x = v.published ?? v.value else { return nil }
          return decimal(x, places)
        }.sorted()
        guard !published.isEmpty else { #expect(bench.neighbourMedian(a.code, p) == nil); continue }
        let k = published.count / 2
        var middle = published.count % 2 == 1 ? published[k] : (published[k - 1] + published[k]) / 2, median = Decimal()
        NSDecimalRound(&median, &middle, places, .plain)
        let got = try #require(bench.neighbourMedian(a.code, p))
        #expect(decimal(got, places) == median, "\(bench.indicator.id) \(a.name): \(got) vs \(median)")
        #expect(bench.neighbourSummary[a.code]?[p]?.count == published.count)
        #expect(bench.neighbourSummary[a.code]?[p]?.leftOut == list.count - published.count)
        let unrounded = list.compactMap { n -> Double? in
          guard let v = bench.local[n.code]?[p], v.status == .ok else { return nil }
          return v.value
        }
        if !unrounded.isEmpty, decimal(Quantiles.median(unrounded), places) != median { differsFromUnrounded += 1 }
        checked += 1
      }
    }
    #expect(checked > 1000)
    // The rule matters: on real data the old median of unrounded values
    // gives another published figure in a good share of cases.
    #expect(differsFromUnrounded > 20)
  }

  /// `values.csv` keeps its columns in order and adds the official tools'
  /// columns at the end: `sn_n`, `sn_mean`, `rank`, `quartile_band`
  /// (empty without polarity) and `published_value`.
  @Test func valuesTableAddsOfficialToolColumns() throws {
    let run = try Fixtures.real.get()
    let table = try CSVReader.parse(ValuesTable.render(run), source: "values.csv")
    let official = ["sn_n", "sn_mean", "rank", "quartile_band", "published_value", "joint_return"]
    let at = try #require(ValuesTable.header.firstIndex(of: "sn_n"))
    #expect(Array(ValuesTable.header[at..<at + 6]) == official)
    #expect(Array(ValuesTable.header.prefix(12)).last == "sn_median")
    let ids = try table.text("indicator_id"), periods = try table.text("time_period")
    let codes = try table.text("new_la_code"), n = try table.text("sn_n"), rank = try table.text("rank")
    let band = try table.text("quartile_band"), published = try table.text("published_value")
    let status = try table.text("status")
    var bandCounts: [String: Int] = [:]
    var rows = 0
    for k in 0..<table.rowCount where periods[k] == "2025" {
      let bench = try #require(run.indicators.first { $0.indicator.id == ids[k] })
      let polarity = bench.indicator.polarity
      if polarity == .noJudgement { #expect(rank[k].isEmpty && band[k].isEmpty, "\(ids[k]) \(codes[k])") }
      if let count = Int(n[k]) { #expect((0...10).contains(count)) }
      if ids[k] == "sw_turnover_pct", !published[k].isEmpty {
        // Lower is better: every authority with a figure has a rank and a band.
        #expect(Int(rank[k]) != nil && ["A", "B", "C", "D"].contains(band[k]), "\(codes[k])")
        bandCounts[band[k], default: 0] += 1
        rows += 1
      }
      if ids[k] == "cla_rate" { #expect(!published[k].isEmpty || status[k] != "ok", "\(codes[k])") }
    }
    #expect(rows > 140)
    // Quartiles split the authorities into four roughly equal bands.
    for letter in ["A", "B", "C", "D"] { #expect((bandCounts[letter] ?? 0) > rows / 6, "\(letter): \(bandCounts)") }
  }

  /// An authority's CSV joins `values.csv` on `time_period`: DfE's code in
  /// both (the pack CSV had "2018/19" where values.csv has "201819", so a
  /// join dropped every school-year indicator), with the label beside it.
  @Test func theAuthorityCSVJoinsValuesOnTimePeriod() throws {
    let run = try Fixtures.real.get()
    let values = try CSVReader.parse(ValuesTable.render(run), source: "values.csv")
    let ids = try values.text("indicator_id"), periods = try values.text("time_period")
    let codes = try values.text("new_la_code"), value = try values.text("value"), category = try values.text("category")
    var rutland: [String: String] = [:]
    for k in 0..<values.rowCount where codes[k] == "E06000017" && category[k].isEmpty {
      rutland[ids[k] + "|" + periods[k]] = value[k]
    }
    let pack = try PackBuilder(run: run, software: "PeerLens test").authorityPack(code: "E06000017")
    let csv = try CSVReader.parse(PackCSV.render(pack), source: "E06000017.csv")
    let section = try csv.text("section"), item = try csv.text("item"), period = try csv.text("time_period")
    let series = try csv.text("series"), shown = try csv.text("value"), label = try csv.text("year_label")
    var joined = 0, schoolYears = 0
    for k in 0..<csv.rowCount where section[k] == "trend" && series[k] == "authority" && !shown[k].isEmpty {
      let match = try #require(rutland[item[k] + "|" + period[k]], "\(item[k]) \(period[k]) is not in values.csv")
      #expect(Double(match) == Double(shown[k]), "\(item[k]) \(period[k])")
      #expect(TimePeriod(code: period[k])?.label == label[k], "\(period[k]) \(label[k])")
      joined += 1
      if label[k].contains("/") { schoolYears += 1 }
    }
    #expect(joined > 300 && schoolYears > 20, "\(joined) rows joined, \(schoolYears) of school years")
  }

  /// The England pack carries the agreement table: one row per indicator
  /// DfE publishes with counts, and for children in care in 2025 every
  /// area with counts and a published rate agrees.
  @Test func englandPackHasTheAgreementTable() throws {
    let run = try Fixtures.real.get()
    let (writer, out) = try Fixtures.htmlWriter(run)
    defer { try? FileManager.default.removeItem(at: out) }
    _ = try writer.write(authorities: [], regions: [], everything: true)
    let html = try String(contentsOf: out.appendingPathComponent("england.html"), encoding: .utf8)
    #expect(HTMLCheck.problems(html).isEmpty)
    let table = try #require(html.components(separatedBy: "Agreement with DfE&#39;s published figures").dropFirst().first
      ?? html.components(separatedBy: "Agreement with DfE's published figures").dropFirst().first)
      .components(separatedBy: "</table>")[0]
    let compared = run.indicators.filter { $0.indicator.hasCounts && $0.indicator.published != nil && $0.latest != nil }
    #expect(table.components(separatedBy: "<tr><td>").count - 1 == compared.count)
    let cla = try #require(run.indicators.first { $0.indicator.id == "cla_rate" })
    let p = try #require(cla.latest)
    #expect(p.code == "2025")
    let all = cla.local.values.compactMap { $0[p] } + [cla.england[p]].compactMap { $0 } + cla.regions.values.compactMap { $0[p] }
    let withCounts = all.filter { ($0.denominator ?? 0) > 0 && $0.numerator != nil && $0.published != nil }.count
    #expect(withCounts > 160)
    #expect(table.contains("<tr><td>Children in care</td><td>2025</td><td class=\"num\">\(withCounts)</td><td class=\"num\">0</td>"))
  }

  /// JSON and CSV keep full precision and carry DfE's own figure beside
  /// the value where DfE publishes one (issue 14.1); numbers for readers
  /// are at the published precision.
  @Test func publishedValueSitsBesideTheValue() throws {
    let run = try Fixtures.real.get()
    let pack = try PackBuilder(run: run, software: "t").authorityPack(code: "E06000017")
    var published = 0
    for s in pack.indicators {
      let bench = try #require(run.indicators.first { $0.indicator.id == s.id })
      let v = bench.latest.flatMap { bench.value("E06000017", $0) }
      if bench.indicator.isPublishedByDfE, let v, v.status == .ok {
        #expect(s.publishedValue == v.published, "\(s.id)")
        published += 1
      } else {
        #expect(s.publishedValue == nil, "\(s.id)")
      }
    }
    #expect(published > 20)
    let cla = try #require(pack.indicators.first { $0.id == "cla_rate" })
    // Rutland's children-in-care rate: the value is computed at full
    // precision, the published figure is a whole number, and readers see
    // the published figure.
    let value = try #require(cla.value), pub = try #require(cla.publishedValue)
    #expect(pub == pub.rounded() && NumberFormat.plain(value, decimals: cla.decimals) == NumberFormat.plain(pub, decimals: 0))
    #expect(cla.publishedValue != nil && pack.indicators.first { $0.id == "referral_rate" }?.publishedValue == nil)
    let region = RegionTable.build(run: run, regionCode: "E12000004")
    // `published_value` keeps its place; the London pack's Inner/Outer columns follow it.
    #expect(Array(RegionTable.header.suffix(3)) == ["published_value", "sub_region", "sub_region_value"])
    #expect(RegionTable.csvHeader == RegionTable.header + ["year_label"])
    let csv = try CSVReader.parse(region.csv(), source: "region.csv")
    #expect(try csv.text("published_value").contains { !$0.isEmpty })
  }

  /// The provenance section lists each file as `data sources` does: origin,
  /// release and periods beside the checksum (issue 13.3).
  @Test func provenanceListsEachFilesOriginAndPeriods() throws {
    let run = try Fixtures.real.get()
    let pack = try PackBuilder(run: run, software: "t").authorityPack(code: "E06000017")
    let sources = try DataSource.list(run.mirror)
    let cla = try #require(pack.provenance.files.first { $0.name == "dfe/cla_number_and_rate_per_10k_children.csv" })
    let listed = try #require(sources.first { $0.path == cla.name })
    #expect(cla.sha256 == listed.sha256 && cla.origin == listed.origin && cla.release == listed.release)
    #expect(cla.periods == "2021–2025")
    // School years as the pack writes them, not as DfE codes them.
    let absence = try #require(pack.provenance.files.first { $0.name == "dfe/absence_la.csv" })
    #expect(absence.periods == "2018/19–2024/25", "\(absence.periods ?? "none")")
    if ProcessInfo.processInfo.environment["PEERLENS_DATA"] == nil {
      #expect(cla.origin == "snapshot")
    }
    #expect(pack.provenance.files.allSatisfy { $0.origin != nil }, "\(pack.provenance.files.filter { $0.origin == nil })")
  }

  /// Region and England are DfE's published figures where DfE publishes
  /// them, London boroughs see Inner or Outer London and London as published,
  /// and a figure computed here from rounded counts is marked derived
  /// (issue 14.3).
  @Test func regionAndEnglandAreAsPublishedOrMarkedDerived() throws {
    let run = try Fixtures.real.get()
    let rutland = try PackBuilder(run: run, software: "t").authorityPack(code: "E06000017")
    let cla = try #require(rutland.indicators.first { $0.id == "cla_rate" })
    let claBench = try #require(run.indicators.first { $0.indicator.id == "cla_rate" })
    let p = try #require(claBench.latest)
    let englandPublished = try #require(claBench.england[p]?.published)
    #expect(cla.englandDerived == false && cla.regionDerived == false)
    #expect(NumberFormat.plain(cla.england, decimals: 0) == NumberFormat.plain(englandPublished, decimals: 0))
    // Referrals per 10,000 use the ONS population: DfE's file has no rate, so England's is derived.
    let referrals = try #require(rutland.indicators.first { $0.id == "referral_rate" })
    #expect(referrals.england != nil && referrals.englandDerived == true)
    #expect(rutland.indicators.allSatisfy { $0.widerRegionName == nil })
    // Camden, an Inner London borough: Inner London and London, both as published.
    let camden = try PackBuilder(run: run, software: "t").authorityPack(code: "E09000007")
    let c = try #require(camden.indicators.first { $0.id == "cla_rate" })
    let inner = try #require(claBench.regions["E13000001"]?[p]), london = try #require(claBench.regions["E12000007"]?[p])
    #expect(camden.regionCode == "E13000001" && c.region == inner.value && c.regionDerived == false)
    #expect(c.widerRegionName == "London" && c.widerRegion == london.value && c.widerRegionDerived == false)
    for v in [inner, london] {
      #expect(NumberFormat.plain(v.value, decimals: 0) == NumberFormat.plain(try #require(v.published), decimals: 0))
    }
    let html = try HTMLRendererProbe.render(run: run, code: "E09000007")
    #expect(html.contains("<small>Inner London</small>") && html.contains("<small>London</small>"))
    #expect(html.contains("England (derived)"))
    #expect(HTMLCheck.problems(html).isEmpty)
  }

  @Test func packModelSnapshot() throws {
    let run = try Fixtures.real.get()
    let pack = try PackBuilder(run: run, software: "PeerLens test").authorityPack(code: "E06000017")  // Rutland
    let enc = JSONEncoder()
    enc.outputFormatting = [.prettyPrinted, .sortedKeys]
    let json = String(decoding: try enc.encode(pack), as: UTF8.self)
    let snapshot = Fixtures.root.appendingPathComponent("Tests/PeerLensReportsTests/Snapshots/E06000017.json")
    if ProcessInfo.processInfo.environment["PEERLENS_RECORD_SNAPSHOTS"] == "1" {
      try json.write(to: snapshot, atomically: true, encoding: .utf8)
    }
    // Numbers to ten digits, the rest exactly: the last digits follow the
    // processor's BLAS kernels (JSONComparison says why).
    let differences = try JSONComparison.differences(Data(json.utf8), try Data(contentsOf: snapshot))
    #expect(differences.isEmpty, "pack model differs from the snapshot at \(differences); rerun with PEERLENS_RECORD_SNAPSHOTS=1 if intended")
    // Every section is there.
    #expect(pack.indicators.count == run.catalogue.indicators.count)
    #expect(!pack.overview.isEmpty && !pack.context.isEmpty && pack.officialNeighbours.count == 10)
    #expect(pack.modelNeighbours.count == 10 && !pack.breakdowns.isEmpty && !pack.provenance.files.isEmpty)
  }

  @Test func hostileNamesAreEscapedAndSuppressedValuesShowNoNumber() throws {
    let (run, mirror) = try Fixtures.hostile.get()
    defer { mirror.remove() }
    let out = URL(fileURLWithPath: temporaryPath(""))
    defer { try? FileManager.default.removeItem(at: out) }
    let writer = PackWriter(run: run, templates: try TemplateSet(folder: Fixtures.reports), output: out,
                            formats: [.html, .json, .csv], software: "PeerLens test")
    _ = try writer.write(authorities: ["E06000001"], regions: ["E12000001"], everything: false)
    let html = try String(contentsOf: out.appendingPathComponent("authorities/E06000001.html"), encoding: .utf8)
    #expect(!html.contains("<script>"))
    #expect(html.contains("&lt;script&gt;"))
    #expect(HTMLCheck.problems(html).isEmpty, "\(HTMLCheck.problems(html).prefix(3))")
    let region = try String(contentsOf: out.appendingPathComponent("regions/north-east.html"), encoding: .utf8)
    #expect(!region.contains("<script>") && HTMLCheck.problems(region).isEmpty)

    let pack = try PackBuilder(run: run, software: "t").authorityPack(code: "E06000001")
    let section = try #require(pack.indicators.first { $0.id == "cla_rate" })
    #expect(section.status == "suppressed")
    #expect(section.value == nil && section.numerator == nil && section.ratio == nil)
    // The context still gives an expectation for the suppressed authority.
    #expect(section.expected != nil && section.predictionLower != nil)
    #expect(section.sentence.contains("suppressed"))
    let start = try #require(html.range(of: "id=\"indicator-cla-rate\""))
    let end = html.range(of: "</section>", range: start.upperBound..<html.endIndex)!
    let text = String(html[start.upperBound..<end.lowerBound])
    #expect(text.contains("<b>suppressed</b>"))
    #expect(!text.contains("<b>157"))
    // Same inputs, same bytes (the same selection: a page's links depend on
    // which other pages the run writes).
    let out2 = URL(fileURLWithPath: temporaryPath(""))
    defer { try? FileManager.default.removeItem(at: out2) }
    _ = try PackWriter(run: run, templates: try TemplateSet(folder: Fixtures.reports), output: out2,
                       formats: [.html, .json, .csv], software: "PeerLens test")
      .write(authorities: ["E06000001"], regions: ["E12000001"], everything: false)
    for page in ["authorities/E06000001.html", "regions/north-east.html", "index.html"] {
      let again = try String(contentsOf: out2.appendingPathComponent(page), encoding: .utf8)
      #expect(again == (try String(contentsOf: out.appendingPathComponent(page), encoding: .utf8)), "\(page)")
    }
  }

  @Test func nationalRunWritesEveryPackWithEverySection() throws {
    let run = try Fixtures.real.get()
    let (writer, out) = try Fixtures.htmlWriter(run)
    defer { try? FileManager.default.removeItem(at: out) }
    // The regions a national run writes: nine, London whole.
    let summary = try writer.write(authorities: run.authorities.map(\.code), regions: run.registry.packRegions.map(\.code),
                                   everything: true)
    #expect(summary.authorityPacks == run.authorities.count)
    #expect(run.authorities.count == 153)
    for a in run.authorities {
      let html = try String(contentsOf: out.appendingPathComponent("authorities/\(a.code).html"), encoding: .utf8)
      for id in ["overview", "context", "indicators", "breakdowns", "prompts", "provenance"] {
        #expect(html.contains("id=\"\(id)\""), "\(a.name) lacks \(id)")
      }
      // No value printed as a Swift array (a template key resolved in the wrong context).
      #expect(!html.contains("[&quot;") && !html.contains("[\""), "\(a.name) prints an array")
    }
    #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("england.html").path))
    // Every link resolves (issue 22.4); the index lists every authority,
    // and an authority pack links to its region, England and its neighbours.
    let broken = try LinkCheck.broken(in: out)
    #expect(broken.isEmpty, "\(broken.count) broken link(s): \(broken.prefix(5))")
    let index = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
    #expect(HTMLCheck.problems(index).isEmpty)
    for a in run.authorities { #expect(index.contains("href=\"authorities/\(a.code).html\""), "index lacks \(a.name)") }
    for r in run.registry.regions { #expect(index.contains(">\(r.name)</a>"), "index lacks \(r.name)") }
    let rutland = try String(contentsOf: out.appendingPathComponent("authorities/E06000017.html"), encoding: .utf8)
    let rutlandLinks = Set(LinkCheck.hrefs(rutland))
    #expect(rutlandLinks.isSuperset(of: ["../index.html", "../england.html", "../regions/east-midlands.html"]))
    for n in run.officialNeighbours["E06000017"] ?? [] {
      #expect(rutlandLinks.contains("../authorities/\(n.code).html"), "Rutland does not link to neighbour \(n.code)")
    }
    // Regional tables are split so that none has more than 10 figure
    // columns: 8 authorities beside the region and England, or London's
    // 6 beside London, Inner and Outer London and England.
    for region in run.registry.packRegions {
      let members = run.authorities.filter { run.registry.isIn($0, region: region.code) }.count
      guard members > 0 else { continue }
      let parts = run.registry.parts(ofRegion: region.code).count
      let width = 8 - parts
      let html = try String(contentsOf: out.appendingPathComponent("regions/\(PackWriter.slug(region.name)).html"), encoding: .utf8)
      #expect(html.components(separatedBy: "<table class=\"side-by-side\">").count - 1 == (members + width - 1) / width,
              "\(region.name)")
      if region.name == "London" { #expect(parts == 2, "London's parts: \(parts)") }
    }
    // The England pack's calibration table: one row per contextual model, with its skill.
    let englandHTML = try String(contentsOf: out.appendingPathComponent("england.html"), encoding: .utf8)
    let calibration = try #require(englandHTML.components(separatedBy: "How well the contextual limits hold").dropFirst().first)
      .components(separatedBy: "</table>")[0]
    #expect(calibration.components(separatedBy: "<tr><td>").count - 1 == run.indicators.filter { $0.model != nil }.count)
    let claSkill = try #require(run.indicators.first { $0.indicator.id == "cla_rate" }?.model?.contextSkill)
    #expect(calibration.contains(String(format: "%.2f", claSkill)))
    // Before context beside given context (issue 17.5): the funnel's own
    // counts for the model's period, recounted here from the run's flags.
    #expect(calibration.contains("Funnel before context: outside 99.8% (expected)"))
    let cla = try #require(run.indicators.first { $0.indicator.id == "cla_rate" })
    let claPeriod = try #require(cla.model?.period)
    let claFunnel = try #require(cla.funnel[claPeriod])
    let claFlags = cla.countedOnce(claFunnel.keys.sorted(), claPeriod).compactMap { claFunnel[$0]?.flag }
    let outside998 = claFlags.filter { $0 == .above998 || $0 == .below998 }.count
    let outside95 = claFlags.filter { $0 != .within }.count
    let claRow = try #require(calibration.components(separatedBy: "<tr><td>").first { $0.hasPrefix(cla.indicator.title + "<") })
    #expect(claRow.contains("<td class=\"num\">\(outside95) (\(String(format: "%.1f", 0.05 * Double(claFlags.count))))</td><td class=\"num\">\(outside998) ("),
            "\(claRow)")
    // Left out of the fit, and the most influential authority (issue 17.5),
    // recounted from the model's own leave-one-out positions.
    let positions = try #require(cla.model?.skill?.positions)
    let leftOut = positions.compactMap { $0 }.filter { $0 != "within" }.count
    #expect(calibration.contains("Left out of the fit: outside 95% (expected)"))
    #expect(claRow.contains("<td class=\"num\">\(leftOut) (\(String(format: "%.1f", 0.05 * Double(positions.count))))</td>"), "\(claRow)")
    let claModel = try #require(cla.model)
    let top = try #require(ModelCalibration(run: claModel).influence.first)
    #expect(claRow.contains(top.name.replacingOccurrences(of: "'", with: "&#39;") + ": "), "\(claRow)")
    for page in ["england.html", "regions/north-east.html", "regions/london.html"] {
      let html = try String(contentsOf: out.appendingPathComponent(page), encoding: .utf8)
      #expect(!html.contains("[&quot;") && !html.contains("[\"") && HTMLCheck.problems(html).isEmpty, "\(page)")
    }
    let values = try CSVReader.read(contentsOf: out.appendingPathComponent("values.csv"))
    for column in ["new_la_code", "old_la_code", "indicator_id", "time_period", "value", "status", "england_value",
                   "region_value", "sn_median", "expected", "expected_lower", "expected_upper", "z_score", "funnel_flag",
                   "spc_flag", "sn_n", "sn_mean", "rank", "quartile_band", "published_value"] {
      #expect(values.hasColumn(column), "values.csv lacks \(column)")
    }
    #expect(values.rowCount > 40_000)
  }
}

/// Renders one authority pack to a string, as the writer does.
enum HTMLRendererProbe {
  static func render(run: NationalRun, code: String) throws -> String {
    let (writer, out) = try Fixtures.htmlWriter(run)
    defer { try? FileManager.default.removeItem(at: out) }
    _ = try writer.write(authorities: [code], regions: [], everything: false)
    return try String(contentsOf: out.appendingPathComponent("authorities/\(code).html"), encoding: .utf8)
  }
}

/// A small well-formedness check: tags nest properly (HTML void elements
/// and self-closed SVG elements aside), and no raw `<` starts a tag that
/// the page did not mean.
enum HTMLCheck {
  static let void: Set<String> = ["meta", "br", "img", "input", "link", "hr", "!doctype"]

  static func problems(_ html: String) -> [String] {
    var stack: [String] = []
    var problems: [String] = []
    var i = html.startIndex
    while let open = html[i...].firstIndex(of: "<") {
      guard let close = html[open...].firstIndex(of: ">") else { problems.append("unclosed tag"); break }
      let tag = String(html[html.index(after: open)..<close])
      i = html.index(after: close)
      if tag.hasPrefix("!") { continue }
      let selfClosing = tag.hasSuffix("/")
      let name = tag.trimmingCharacters(in: CharacterSet(charactersIn: "/")).split(whereSeparator: { $0 == " " || $0 == "\n" })
        .first.map { String($0).lowercased() } ?? ""
      if name.isEmpty { problems.append("empty tag"); continue }
      if tag.hasPrefix("/") {
        guard stack.last == name else { problems.append("</\(name)> closes <\(stack.last ?? "none")>"); continue }
        stack.removeLast()
      } else if !selfClosing && !void.contains(name) {
        stack.append(name)
      }
    }
    if !stack.isEmpty { problems.append("unclosed: \(stack.suffix(3))") }
    return problems
  }
}
