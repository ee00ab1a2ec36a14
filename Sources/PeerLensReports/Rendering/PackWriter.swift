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

  /// The top-level files a run writes in its output folder: an earlier
  /// run's are replaced (`StagedOutput`), anything else there kept.
  public static let entries: Set<String> = [
    "index.html", "values.csv", "england.html", "england.csv", "england.json", "england.xlsx", "england.pdf",
  ]

  /// The sign that a folder holds a run's output (`StagedOutput.Ownership`):
  /// a marker file; for runs before the marker, two signs together
  /// (`values.csv`, which every run wrote, beside the index, the England
  /// pack or a packs folder), or a file in `authorities/` named as a pack
  /// is (`E06000017.html`). A user's own `values.csv` alone is not enough:
  /// the run would replace it.
  public static let ownership = StagedOutput.Ownership(
    marker: ".peerlens-packs",
    markerText: "This folder is the output of 'peerlens packs'. A run replaces the packs in it as a whole; other files here are kept.\n",
    tool: "peerlens packs"
  ) { folder, names in
    if names.contains("values.csv"), names.contains(where: ["index.html", "england.html", "authorities", "regions"].contains) {
      return true
    }
    guard names.contains("authorities") else { return false }
    let packs = (try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("authorities").path)) ?? []
    return packs.contains { isOutput(folder: "authorities", name: $0, regionSlugs: []) }
  }

  /// The extensions of the files a pack is written as.
  static let packExtensions: Set<String> = ["html", "json", "csv", "xlsx", "pdf"]

  /// Whether a file in `authorities/` or `regions/` is a pack, of this run
  /// or an earlier one (`E06000017.html`, `E06000017-summary.pdf`,
  /// `regions/north-west.xlsx`): replaced by a run, where every other
  /// file in those folders is kept (`StagedOutput.begin(replacingWithin:)`).
  /// Every earlier pack goes, so a run of one authority leaves no stale
  /// pack of another run beside it.
  public static func isOutput(folder: String, name: String, regionSlugs: Set<String>) -> Bool {
    guard folder == "authorities" || folder == "regions" else { return false }
    let url = URL(fileURLWithPath: name)
    guard packExtensions.contains(url.pathExtension.lowercased()) else { return false }
    let stem = url.deletingPathExtension().lastPathComponent
    if folder == "regions" { return regionSlugs.contains(stem) }
    let code = stem.hasSuffix("-summary") ? String(stem.dropLast("-summary".count)) : stem
    return code.count == 9 && code.first == "E" && code.dropFirst().allSatisfy { ("0"..."9").contains($0) }
  }

  public let run: NationalRun
  public let builder: PackBuilder
  public let templates: TemplateSet
  public let output: URL
  public let formats: Set<Format>
  /// The Chromium that prints PDFs (`nil`: not installed, PDFs are skipped with a note).
  public var chromium: URL? = PDFRenderer.locateChromium()

  public init(run: NationalRun, templates: TemplateSet, output: URL, formats: Set<Format>, software: String,
              changes: [String: [String]] = [:], changesBasis: ChangesBasis = .noStore) {
    self.run = run
    self.builder = PackBuilder(run: run, software: software, changes: changes, changesBasis: changesBasis)
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

    public init(authorityPacks: Int = 0, regionPacks: Int = 0, englandPack: Bool = false) {
      self.authorityPacks = authorityPacks
      self.regionPacks = regionPacks
      self.englandPack = englandPack
    }

    /// What was written, counted in words as the index counts them ("153
    /// authority packs, 9 regional packs, the England pack").
    public var contents: String {
      var parts = [PackIndex.counted(authorityPacks, "authority pack"), PackIndex.counted(regionPacks, "regional pack")]
      if englandPack { parts.append("the England pack") }
      return parts.joined(separator: ", ")
    }
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
    // parsed source files can go before the pages take their memory. They
    // are freed beside the first pages, not before them: freeing them
    // took a fiftieth of a second with the other core idle.
    let mirror = run.mirror, releasing = DispatchGroup()
    DispatchQueue.global().async(group: releasing) { mirror.releaseFiles() }
    // Done before the packs are: a later run on the same mirror must not
    // lose the files it has read again to this release.
    defer { releasing.wait() }
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
    // values.csv, the longest part, is started first so that it does not
    // run alone at the end while the other core idles.
    let starts = parts.indices.filter { parts[$0].isValues } + parts.indices.filter { !parts[$0].isValues }
    let tail = try withoutActuallyEscaping(progress) { progress in
      let results = IndexedResults<[String]>(count: parts.count) { _, k in progress(parts[k].label(run.registry)) }
      DispatchQueue.concurrentPerform(iterations: parts.count) { j in
        let k = starts[j]
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

    var isValues: Bool { if case .values = self { return true } else { return false } }

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
}
