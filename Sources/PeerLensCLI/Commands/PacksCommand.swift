import ArgumentParser
import Foundation
import PeerLensAnalysis
import PeerLensData
import PeerLensReports

/// `peerlens packs`: the main job.
struct PacksCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "packs",
    abstract: "Contextualised comparison packs: one per authority, one per region, one for England.",
    discussion: """
      With no --la or --region, every current authority (153), every region and England. Each \
      authority pack is a self-contained HTML page (print to A4 PDF from a browser) with SVG charts, \
      plus the numbers behind it as JSON and CSV; values.csv in the output folder covers every \
      authority, indicator and period. Output is deterministic and written atomically.

      Examples (file and folder names stand for your own):
        peerlens packs --data ~/dfe-data --out out/packs
        peerlens packs --la E06000001 --la 806 --out out/two
        peerlens packs --region "North East" --format html --out out/ne
        peerlens packs --la Rutland --format pdf --out out/rutland
        peerlens packs --la Rutland --format summary,pdf --out out/meeting
        peerlens packs --neighbours 2021 --out out/packs-2021
        peerlens packs --neighbours newer_list.csv --out out/packs
      """
  )

  @OptionGroup var dataOptions: DataOptions
  @OptionGroup var catalogueOptions: CatalogueOptions

  @Option(name: .long, help: ArgumentHelp("The output folder: a new or empty folder, or one an earlier run wrote; any other folder that holds files is refused. A run replaces an earlier run's packs there as a whole, and keeps files added to that folder since.", valueName: "dir"))
  var out: String = "out/packs"

  @Option(name: .long, help: "An authority (new or old code, or name); repeat for more.")
  var la: [String] = []

  @Option(name: .long, help: "A region (name or code: London, or Inner London and Outer London as DfE files split it); repeat for more.")
  var region: [String] = []

  @Option(name: .long, help: "The latest period to report (default: each indicator's latest).")
  var year: String?

  @Option(name: .long, help: "Comma-separated outputs: html, csv, json, xlsx (an Excel workbook per authority), pdf (each page printed through headless Chromium; implies html unless summary is given), summary (each authority's two-page meeting summary alone, as <code>-summary.html).")
  var format: String = "html,csv,json,xlsx"

  @Option(name: .long, help: ArgumentHelp("The official neighbour list: 2025 (DfE's 2025 model, the default), 2021 (DfE's 2021 release), or a list file in either DfE layout.", valueName: "2021|2025|file"))
  var neighbours: String?

  @Option(name: .long, help: ArgumentHelp("A store of releases: packs then show what changed since the previous vintage (default, when reading an imported release: the release imported before it).", valueName: "file"))
  var store: String?

  @Flag(name: .long, help: "Also fit each contextual model over every year with an authority random intercept, and say in each pack whether a difference from expectation is persistent (about a minute more on two cores).")
  var allYears = false

  @Option(name: .long, help: ArgumentHelp("The Models folder (default: found automatically).", valueName: "dir"))
  var models: String?

  @Option(name: .long, help: ArgumentHelp("The Reports folder with templates (default: found automatically).", valueName: "dir"))
  var reports: String?

  func formats() throws -> Set<PackWriter.Format> {
    var out = Set<PackWriter.Format>()
    for f in format.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) {
      guard let v = PackWriter.Format(rawValue: f) else {
        throw ValidationError("--format takes html, csv, json, xlsx, pdf and summary (comma-separated), got '\(f)'.")
      }
      out.insert(v)
    }
    // A PDF is the printed HTML page, with its links and charts; with
    // `summary` the summary pages are the ones printed.
    if out.contains(.pdf) && !out.contains(.summary) { out.insert(.html) }
    // `--format ""` wrote no pack and said it had written one.
    guard !out.isEmpty else {
      throw ValidationError("--format needs at least one of html, csv, json, xlsx, pdf and summary (comma-separated), got '\(format)'.")
    }
    return out
  }

  func validate() throws {
    _ = try formats()
    if let store { _ = try FilePath.store(store) }
    // An empty path is the current folder, which a run would replace.
    if out.trimmingCharacters(in: .whitespaces).isEmpty {
      throw ValidationError("--out was given an empty path (is a shell variable unset?). Give the output folder, such as out/packs.")
    }
  }

  func run() throws {
    let started = Date()
    let mirror = try dataOptions.mirror()
    let catalogue = try catalogueOptions.load()
    let modelsFolder = models.map { URL(fileURLWithPath: $0) } ?? ModelFiles.folder()
    let reportsFolder = reports.map { URL(fileURLWithPath: $0) } ?? ModelFiles.sibling("Reports")
    try ModelFiles.specifications(in: modelsFolder)
    // The templates too, as the models are: a --reports folder without
    // them was refused only after the national run, minutes later.
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: reportsFolder.path, isDirectory: &isFolder), isFolder.boolValue else {
      throw ValidationError("No report templates folder at \(reportsFolder.path): give --reports the Reports folder "
        + "(it holds authority.mustache, style.css and the other page templates).")
    }
    let templates = try TemplateSet(folder: reportsFolder)
    // Every name and year is checked before the national run (minutes of
    // work), so that a misspelling is answered at once.
    let registry = try mirror.registry()
    var codes: [String] = []
    for q in la {
      let match = try AuthorityChoice.resolve(q, in: registry)
      if !codes.contains(match.code) { codes.append(match.code) }
    }
    var regions: [String] = []
    for q in region {
      guard let code = registry.regionCode(matching: q) else {
        let hint = NameSuggestion.hint(for: q, among: registry.regionChoices.map(\.name))
        throw ValidationError("No region '\(ErrorText.quoted(q))'.\(hint) Regions are: \(registry.regionChoices.map(\.name).joined(separator: ", ")) (or their codes: London is E12000007).")
      }
      if !regions.contains(code) { regions.append(code) }
    }
    if let year { try Self.checkYear(year, mirror: mirror, catalogue: catalogue) }
    // A children-by-ethnicity file given with --data is checked before the
    // long run: a bad row must stop the run, not drop the comparison.
    if FileManager.default.fileExists(atPath: mirror.url(CareEthnicityDisproportionality.childrenFile).path) {
      _ = try CareEthnicityDisproportionality.loadPopulation(mirror: mirror, registry: registry)
    }
    let neighboursURL = try mirror.officialNeighboursURL(neighbours)
    // Said before the long run, and again in every pack's notes.
    for problem in try OfficialNeighbourList.load(from: neighboursURL).problems(registry: registry) {
      printError("warning: " + problem)
    }
    // The output folder too: one that cannot be written is answered now, not after the run.
    try StagedOutput.checkWritable(target: URL(fileURLWithPath: out))
    try StagedOutput.checkOwnership(target: URL(fileURLWithPath: out), PackWriter.ownership)
    // The store too, opened only to read: a file named by mistake is
    // refused now, and never turned into a store.
    let releases = try store.map { (path: String) throws -> ReleaseStore in
      guard FileManager.default.fileExists(atPath: path) else {
        let data = dataOptions.data.map { " --data \($0)" } ?? ""
        throw ValidationError("No store at \(path): store the data in use with 'peerlens ingest\(data) --store \(path)' "
          + "first, or leave out --store.")
      }
      return try ReleaseStore(path: path, access: .readOnly)
    }
    // Before the long run too: data the store does not hold is refused here.
    let (changes, changesBasis) = try Self.sinceLastRelease(store: releases, mirror: mirror, library: dataOptions.library,
                                                            catalogue: catalogue, registry: registry)
    printError("peerlens packs: computing indicators, models, funnels and SPC…")
    var run = try NationalRun.compute(
      mirror: mirror, catalogue: catalogue, models: modelsFolder,
      neighboursFile: neighboursURL, period: year) { printError("  " + $0) }
    if allYears {
      printError("  fitting each contextual model over every year (authority random intercepts)…")
      run = run.withMultiYearModels(context: try mirror.context())
      printError("  \(run.indicators.filter { $0.multiYear != nil }.count) indicators with a multi-year model")
    }
    let everything = la.isEmpty && region.isEmpty
    if everything {
      codes = run.authorities.map(\.code)
      regions = registry.packRegions.map(\.code)
    } else if codes.isEmpty {
      codes = run.authorities.filter { a in regions.contains { registry.isIn(a, region: $0) } }.map(\.code)
    }
    // The whole run goes into a staging folder that replaces --out at the
    // end: killed at any moment, --out is all the previous run or all this one.
    let regionSlugs = Set(registry.packRegions.map { PackWriter.slug($0.name) })
    let staged = try StagedOutput.begin(target: URL(fileURLWithPath: out), replacing: PackWriter.entries,
                                        replacingWithin: { PackWriter.isOutput(folder: $0, name: $1, regionSlugs: regionSlugs) },
                                        ownership: PackWriter.ownership)
    let summary: PackWriter.Summary
    do {
      let writer = PackWriter(run: run, templates: templates, output: staged.staging,
                              formats: try formats(), software: "PeerLens \(PeerLensCommand.version)", changes: changes,
                              changesBasis: changesBasis)
      summary = try writer.write(authorities: codes, regions: regions, everything: everything) { printError("  " + $0) }
      try staged.commit()
      for note in summary.notes { printError("note: " + note) }
    } catch {
      staged.abandon()
      throw error
    }
    print(Self.summaryLine(authorities: summary.authorityPacks, regions: summary.regionPacks, england: summary.englandPack,
                           out: out, seconds: Date().timeIntervalSince(started)))
  }

  /// "Since the last release": the change lines by authority and what
  /// they compare. With `--store`, the vintage that is the data in use
  /// against the one before it (data the store does not hold is refused:
  /// its last two vintages said "revised from 164 to 212" in a pack that
  /// shows 164); without, when
  /// the data is a release brought in by `data import`, that release
  /// against the one imported before it; otherwise nothing.
  static func sinceLastRelease(store: ReleaseStore?, mirror: DataMirror, library: DataLibrary, catalogue: IndicatorCatalogue,
                               registry: AuthorityRegistry) throws -> (changes: [String: [String]], basis: ChangesBasis) {
    let db: ReleaseStore, vintages: [ReleaseStore.Vintage], k: Int
    if let store {
      db = store
      vintages = try db.vintages()
      guard !vintages.isEmpty else {
        printError("  note: the store has no vintages; 'since the last release' needs two.")
        return ([:], .oneRelease(nil))
      }
      let (fingerprint, _) = try ReleaseStore.fingerprint(mirror: mirror, catalogue: catalogue)
      guard let index = vintages.firstIndex(where: { $0.fingerprint == fingerprint }) else {
        let latest = vintages[vintages.count - 1]
        throw ValidationError("The data in use (\(mirror.root.path)) is none of the \(vintages.count) vintage(s) of the "
          + "store \(store.path) (the latest is vintage \(latest.id), \(latest.label)), so the packs' 'since the last "
          + "release' would speak of other figures than theirs. Store it first with 'peerlens ingest --data "
          + "\(mirror.root.path) --store \(store.path)', or leave out --store.")
      }
      k = index
    } else if case .vintage(let id, _) = mirror.origin, let imports = try library.store() {
      db = imports
      vintages = try db.vintages()
      guard let index = vintages.firstIndex(where: { $0.id == id }) else { return ([:], .noStore) }
      k = index
    } else {
      return ([:], .noStore)
    }
    guard k > 0 else {
      printError("  note: vintage \(vintages[k].id) is the first; 'since the last release' needs one before it.")
      return ([:], vintages.count > 1 ? .earliest("vintage \(vintages[k].id)") : .oneRelease("vintage \(vintages[k].id)"))
    }
    let cmp = try ReleaseComparison.compare(store: db, from: vintages[k - 1], to: vintages[k], catalogue: catalogue,
                                            registry: registry)
    printError("  since the last release: vintage \(vintages[k - 1].id) → \(vintages[k].id)")
    return (ChangeLines.byAuthority(cmp, catalogue: catalogue),
            .compared(from: "vintage \(vintages[k - 1].id)", to: "vintage \(vintages[k].id)"))
  }

  /// The run's last line, counted in words as the index counts them; it
  /// read "153 authority pack(s), 9 regional pack(s)".
  static func summaryLine(authorities: Int, regions: Int, england: Bool, out: String, seconds: Double) -> String {
    let written = PackWriter.Summary(authorityPacks: authorities, regionPacks: regions, englandPack: england)
    return "Wrote \(written.contents) and values.csv to \(out) in \(String(format: "%.1f", seconds)) s."
  }

  /// Refuses a `--year` that no indicator's file reports for authorities,
  /// listing the periods that exist (the run would otherwise quietly fall
  /// back to the latest year before it: `--year 2030` gave 2025).
  static func checkYear(_ year: String, mirror: DataMirror, catalogue: IndicatorCatalogue) throws {
    var periods = Set<TimePeriod>()
    for file in Set(catalogue.indicators.map(\.source)).sorted() {
      guard let f = try? mirror.eesFile(file) else { continue }
      for r in f.rows where r.level == .localAuthority { periods.insert(r.period) }
    }
    if TimePeriod.named(year, among: periods) != nil { return }
    let years = Array(Set(periods.map(\.endYear))).sorted()
    let list = years.isEmpty ? "none" : years.map(String.init).joined(separator: ", ")
    // Text with no digit in it is not a year at all: say so first.
    let what = year.contains(where: \.isNumber) ? "No data for --year '\(ErrorText.quoted(year))'."
      : "--year '\(ErrorText.quoted(year))' is not a year."
    throw ValidationError("\(what) Years with data for authorities: \(list) "
      + "(a year is the year a period ends: 2025 for 2024/25).")
  }
}
