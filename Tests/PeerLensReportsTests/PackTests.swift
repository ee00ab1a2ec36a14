import Foundation
import Testing
import PeerLensAnalysis
import PeerLensData
import PeerLensReports
import PeerLensStatistics
import _PeerLensTestSupport

/// Builds national runs once per process (they take a few seconds).
enum Fixtures {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static let models = root.appendingPathComponent("Models")
  static let reports = root.appendingPathComponent("Reports")

  static func catalogue() throws -> IndicatorCatalogue {
    try IndicatorCatalogue.load(from: models.appendingPathComponent("indicators.toml"))
  }

  static let real: Result<NationalRun, Error> = Result {
    try NationalRun.compute(mirror: DataMirror(root: SharedFolder.data), catalogue: catalogue(), models: models)
  }

  /// A mirror in which Hartlepool is renamed `<script>…` and its 2025
  /// children-in-care count is suppressed.
  static let hostile: Result<(NationalRun, TemporaryMirror), Error> = Result {
    let lookup = try String(contentsOf: SharedFolder.data.appendingPathComponent("lookups/la_codes.csv"), encoding: .utf8)
      .replacingOccurrences(of: "805,E06000001,Hartlepool,", with: "805,E06000001,\"<script>alert('x')</script> & Co\",")
    let claName = "dfe/cla_number_and_rate_per_10k_children.csv"
    var lines = try String(contentsOf: SharedFolder.data.appendingPathComponent(claName), encoding: .utf8)
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
  @Test func neighbourMedianIsThePlainMedianOfTheOfficialTen() throws {
    let run = try Fixtures.real.get()
    var checked = 0
    for bench in run.indicators {
      guard let p = bench.latest else { continue }
      for a in run.authorities.prefix(40) {
        let values = (run.officialNeighbours[a.code] ?? []).compactMap { n -> Double? in
          guard let v = bench.local[n.code]?[p], v.status == .ok else { return nil }
          return v.value
        }.sorted()
        guard !values.isEmpty else { #expect(bench.neighbourMedian[a.code]?[p] == nil); continue }
        let m = values.count % 2 == 1 ? values[values.count / 2]
          : (values[values.count / 2 - 1] + values[values.count / 2]) / 2
        #expect(bench.neighbourMedian[a.code]?[p] == m, "\(bench.indicator.id) \(a.name)")
        checked += 1
      }
    }
    #expect(checked > 1000)
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
    let expected = try String(contentsOf: snapshot, encoding: .utf8)
    #expect(json == expected, "pack model differs from the snapshot; rerun with PEERLENS_RECORD_SNAPSHOTS=1 if intended")
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
    // Same inputs, same bytes.
    let again = try HTMLRendererProbe.render(run: run, code: "E06000001")
    #expect(again == html)
  }

  @Test func nationalRunWritesEveryPackWithEverySection() throws {
    let run = try Fixtures.real.get()
    let out = URL(fileURLWithPath: temporaryPath(""))
    defer { try? FileManager.default.removeItem(at: out) }
    let writer = PackWriter(run: run, templates: try TemplateSet(folder: Fixtures.reports), output: out, formats: [.html],
                            software: "PeerLens test")
    let summary = try writer.write(authorities: run.authorities.map(\.code), regions: run.registry.regions.map(\.code),
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
    // Regional tables are split so that none is wider than 8 authorities.
    for region in run.registry.regions {
      let members = run.authorities.filter { $0.regionCode == region.code }.count
      guard members > 0 else { continue }
      let html = try String(contentsOf: out.appendingPathComponent("regions/\(PackWriter.slug(region.name)).html"), encoding: .utf8)
      #expect(html.components(separatedBy: "<table class=\"side-by-side\">").count - 1 == (members + 7) / 8, "\(region.name)")
    }
    // The England pack's calibration table: one row per contextual model, with its skill.
    let englandHTML = try String(contentsOf: out.appendingPathComponent("england.html"), encoding: .utf8)
    let calibration = try #require(englandHTML.components(separatedBy: "How well the contextual limits hold").dropFirst().first)
      .components(separatedBy: "</table>")[0]
    #expect(calibration.components(separatedBy: "<tr><td>").count - 1 == run.indicators.filter { $0.model != nil }.count)
    let claSkill = try #require(run.indicators.first { $0.indicator.id == "cla_rate" }?.model?.contextSkill)
    #expect(calibration.contains(String(format: "%.2f", claSkill)))
    for page in ["england.html", "regions/north-east.html", "regions/inner-london.html"] {
      let html = try String(contentsOf: out.appendingPathComponent(page), encoding: .utf8)
      #expect(!html.contains("[&quot;") && !html.contains("[\"") && HTMLCheck.problems(html).isEmpty, "\(page)")
    }
    let values = try CSVReader.read(contentsOf: out.appendingPathComponent("values.csv"))
    for column in ["new_la_code", "old_la_code", "indicator_id", "time_period", "value", "status", "england_value",
                   "region_value", "sn_median", "expected", "expected_lower", "expected_upper", "z_score", "funnel_flag",
                   "spc_flag"] {
      #expect(values.hasColumn(column), "values.csv lacks \(column)")
    }
    #expect(values.rowCount > 40_000)
  }
}

/// Renders one authority pack to a string, as the writer does.
enum HTMLRendererProbe {
  static func render(run: NationalRun, code: String) throws -> String {
    let out = URL(fileURLWithPath: temporaryPath(""))
    defer { try? FileManager.default.removeItem(at: out) }
    let writer = PackWriter(run: run, templates: try TemplateSet(folder: Fixtures.reports), output: out, formats: [.html],
                            software: "PeerLens test")
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
