import ArgumentParser
import Foundation
import PeerLensAnalysis
import PeerLensData
import PeerLensReports

/// `peerlens changes`: what changed between two vintages.
struct ChangesCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "changes",
    abstract: "What changed since the last release: new periods, revisions, funnel limits crossed, new signals.",
    discussion: """
      Compares two vintages of the store (default: the latest against the one before): indicators \
      added or retired, new periods, revised past values (with the size of the revision), \
      authorities entering or leaving the 99.8% funnel limits, and new special-cause signals.

      Examples:
        peerlens changes --store peerlens.sqlite
        peerlens changes          # after 'data import': what the release revised
        peerlens changes --store peerlens.sqlite --from 1 --to 3 --la E06000001 \\
            --format json
        peerlens changes --from 1 --to "March 2026"   # vintage ids or labels
      """
  )

  @Option(name: .customLong("store"), help: ArgumentHelp("The store file (default: peerlens.sqlite here if it exists, else the store of releases brought in by 'data import').", valueName: "file"))
  var storeFile: String?

  @Option(name: .customLong("data-home"), help: ArgumentHelp("The data directory of imported releases (default: $PEERLENS_DATA_HOME, $XDG_DATA_HOME/peerlens, ~/.local/share/peerlens).", valueName: "dir"))
  var dataHome: String?

  /// The store compared.
  var store: String { Self.storePath(file: storeFile, dataHome: dataHome) }

  /// What to do when the store chosen has too few vintages: where the
  /// other store (imports, or the folder's own) has two or more, name it
  /// and the option that reads it. Without it, `ingest` then `data import`
  /// then `changes` read the folder's one-vintage store and said "ingest a
  /// newer release" to a user who had just imported one.
  static func otherStoreHint(chosen: String, storeFile: String?, dataHome: String?,
                             localStore: String = "peerlens.sqlite", library: DataLibrary = .locate()) -> String {
    let fallback = "Bring in a newer release with 'peerlens data import FILE' (or 'peerlens ingest --store \(chosen)')."
    guard storeFile == nil, dataHome == nil else { return fallback }
    let other = chosen == library.storePath ? localStore : library.storePath
    guard FileManager.default.fileExists(atPath: other),
          let db = try? ReleaseStore(path: other, access: .readOnly), let count = try? db.vintages().count, count >= 2
    else { return fallback }
    let option = other == library.storePath ? "--data-home \(library.root.path)" : "--store \(other)"
    return "The store \(other) has \(count) vintages: compare them with 'peerlens changes \(option)'."
  }

  /// The store compared: `--store`, else `--data-home`'s store, else
  /// `localStore` (`./peerlens.sqlite`, from `ingest`) if it exists, else
  /// the data directory's store (from `data import`) if that exists.
  ///
  /// An option the user typed wins over a file that happens to be in the
  /// current folder: `data import` then `changes --data-home DIR` read
  /// `./peerlens.sqlite` instead whenever one was there.
  static func storePath(file: String?, dataHome: String?, localStore: String = "peerlens.sqlite") -> String {
    if let file { return file }
    if let dataHome { return DataLibrary.locate(dataHome).storePath }
    if FileManager.default.fileExists(atPath: localStore) || !DataLibrary.locate().exists { return localStore }
    return DataLibrary.locate().storePath
  }

  @Option(name: .long, parsing: .unconditional,
          help: "The earlier vintage, by id or label (default: the one before --to). See 'peerlens data sources'.")
  var from: String?

  @Option(name: .long, parsing: .unconditional, help: "The later vintage, by id or label (default: the latest).")
  var to: String?

  @Option(name: .long, help: "Only this authority (new or old code, or name).")
  var la: String?

  @OptionGroup var catalogueOptions: CatalogueOptions

  @Option(name: .long, help: "Output format: text or json.")
  var format: TextOrJSON = .text

  func validate() throws {
    if let storeFile { _ = try FilePath.store(storeFile) }
    // Each names a store; with both, one would be ignored in silence.
    if storeFile != nil && dataHome != nil {
      throw ValidationError("--store and --data-home each name the store to compare: give one of them.")
    }
  }

  func run() throws {
    guard FileManager.default.fileExists(atPath: store) else {
      throw ValidationError("No store at \(store): bring in a release with 'peerlens data import FILE' (or store the "
        + "data in use with 'peerlens ingest --store \(store)') first.")
    }
    // A comparison only reads: a file named by mistake is refused, never turned into a store.
    let db = try ReleaseStore(path: store, access: .readOnly)
    let vintages = try db.vintages()
    func find(_ name: String) throws -> ReleaseStore.Vintage {
      guard let v = ReleaseStore.Vintage.named(name, in: vintages) else {
        let have = vintages.isEmpty ? "none" : vintages.map(\.idAndLabel).joined(separator: ", ")
        throw ValidationError("No vintage \(name); the store's vintages are \(have).")
      }
      return v
    }
    // A vintage asked for that does not exist is said first: "comparing
    // needs two" sent the reader to ingest when the id was mistyped.
    let askedTo = try to.map(find), askedFrom = try from.map(find)
    guard vintages.count >= 2 else {
      throw ValidationError("The store \(store) has \(vintages.count) vintage(s); comparing needs two. "
        + Self.otherStoreHint(chosen: store, storeFile: storeFile, dataHome: dataHome))
    }
    let toV = askedTo ?? vintages.last!
    // Only an earlier vintage against a later one: --to 1 compared vintage 1
    // with itself, all zeros, and --from 2 --to 1 printed every revision
    // the wrong way round, both without a word.
    guard let fromV = askedFrom ?? vintages.last(where: { $0.id < toV.id }) else {
      throw ValidationError("--to \(toV.id): vintage \(toV.id) is the store's earliest, so there is none before it to compare "
        + "with. Give a later --to, or leave it out for the newest.")
    }
    guard fromV.id < toV.id else {
      throw ValidationError("--from \(fromV.id) --to \(toV.id): --from must be an earlier vintage than --to"
        + (fromV.id == toV.id ? " (the same vintage has no changes)." : " (give --from \(toV.id) --to \(fromV.id))."))
    }
    let la = try self.la.map { try Self.resolveArea($0, store: db, vintages: [fromV, toV]) }
    let catalogue = try? catalogueOptions.load()
    // Stored codes read as the authority registry reads them now (the
    // snapshot's, which every release shares), so a vintage stored before
    // a recoding was known shows no false revisions.
    let registry = try? DataMirror.snapshot().registry()
    let cmp = try ReleaseComparison.compare(store: db, from: fromV, to: toV, catalogue: catalogue, area: la, registry: registry)
    switch format {
    case .json:
      print(JSONValue.object([
        ("from", .integer(Int(fromV.id))), ("to", .integer(Int(toV.id))),
        ("added_indicators", .array(cmp.addedIndicators.map { .string($0) })),
        ("retired_indicators", .array(cmp.retiredIndicators.map { .string($0) })),
        ("new_periods", .object(cmp.newPeriods.sorted { $0.key < $1.key }.map { ($0.key, .array($0.value.map { .string($0) })) })),
        ("revisions", .array(cmp.revisions.map { r in
          .object([("indicator", .string(r.indicator)), ("new_la_code", .string(r.areaCode)), ("la_name", .string(r.areaName)),
                   ("time_period", .string(r.period)), ("old", .optional(r.old)), ("new", .optional(r.new)),
                   ("change", .optional(r.change)), ("old_status", .string(r.oldStatus)), ("new_status", .string(r.newStatus))])
        })),
        ("funnel_changes", .array(cmp.funnelChanges.map { f in
          .object([("indicator", .string(f.indicator)), ("new_la_code", .string(f.areaCode)), ("la_name", .string(f.areaName)),
                   ("time_period", .string(f.period)), ("direction", .string(f.direction)), ("flag", .string(f.flag))])
        })),
        ("new_signals", .array(cmp.newSignals.map { s in
          .object([("indicator", .string(s.indicator)), ("new_la_code", .string(s.areaCode)), ("la_name", .string(s.areaName)),
                   ("time_period", .string(s.period)), ("flag", .string(s.flag)), ("variation", .string(s.variation))])
        })),
        ("notes", .array(cmp.notes.map { .string($0) })),
      ]).rendered(pretty: true))
    default:
      print("Changes from vintage \(fromV.id) (\(fromV.label)) to vintage \(toV.id) (\(toV.label))\(la.map { ", authority \($0)" } ?? "")")
      print("Indicators added: \(cmp.addedIndicators.isEmpty ? "none" : cmp.addedIndicators.joined(separator: ", "))")
      print("Indicators retired: \(cmp.retiredIndicators.isEmpty ? "none" : cmp.retiredIndicators.joined(separator: ", "))")
      print("New periods: \(cmp.newPeriods.isEmpty ? "none" : cmp.newPeriods.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.joined(separator: ","))" }.joined(separator: "; "))")
      print("Revised values: \(cmp.revisions.count)")
      for r in cmp.revisions.prefix(200) {
        let (old, new, change) = Self.revisionText(r, indicator: catalogue?.indicator(id: r.indicator))
        print("  \(r.indicator) \(r.areaName) \(r.period): \(old) → \(new)\(change.map { " (\($0))" } ?? "")")
      }
      print("Funnel (99.8% limits) changes: \(cmp.funnelChanges.count)")
      for f in cmp.funnelChanges.prefix(200) {
        print("  \(f.indicator) \(f.areaName) \(f.period): \(f.direction == "entered" ? "now outside the 99.8% limits" : "now inside the 99.8% limits") (\(f.flag))")
      }
      print("New special-cause signals: \(cmp.newSignals.count)")
      for s in cmp.newSignals.prefix(200) { print("  \(s.indicator) \(s.areaName) \(s.period): \(s.flag) (\(s.variation))") }
      for n in cmp.notes { print("Note: \(n)") }
    }
  }

  /// A revision for readers: at the precision DfE publishes the indicator
  /// to; a revision too small to show at that precision gets two more
  /// decimals, so that "157 → 157" never reads as no change.
  static func revisionText(_ r: ReleaseComparison.Revision, indicator: Indicator?) -> (String, String, String?) {
    guard let indicator else {
      return (r.old.map { "\($0)" } ?? r.oldStatus, r.new.map { "\($0)" } ?? r.newStatus,
              r.change.map { String(format: "%+.4g", $0) })
    }
    var decimals = indicator.decimals
    let fmt = { (x: Double?, d: Int) in x.map { NumberFormat.plain($0, decimals: d, rule: indicator.rounding) } }
    if let o = r.old, let n = r.new, fmt(o, decimals) == fmt(n, decimals) { decimals += 2 }
    // The change between the figures as shown, so that the line adds up
    // (157 → 190 is +33, though the exact rates differ by 32.2).
    let shownChange = r.old.flatMap { o in r.new.map { n in
      PublishedRounding.round(n, decimals: decimals, rule: indicator.rounding)
        - PublishedRounding.round(o, decimals: decimals, rule: indicator.rounding)
    } } ?? r.change
    let change = shownChange.map { ($0 >= 0 ? "+" : "") + NumberFormat.plain($0, decimals: decimals, rule: indicator.rounding) }
    return (fmt(r.old, decimals) ?? r.oldStatus, fmt(r.new, decimals) ?? r.newStatus, change)
  }

  /// The area `--la` names, as a `new_la_code` the store holds: a code,
  /// an old three-digit code or a name (any case). Anything else is
  /// refused with the closest name, since an empty report would read as
  /// "nothing changed".
  static func resolveArea(_ text: String, store: ReleaseStore, vintages: [ReleaseStore.Vintage]) throws -> String {
    let wanted = text.trimmingCharacters(in: .whitespaces)
    var areas: [String: (old: String, name: String)] = [:]
    for v in vintages {
      guard let first = try store.indicatorIDs(vintage: v.id).first else { continue }
      for value in try store.values(vintage: v.id, indicator: first) where value.level == .localAuthority {
        areas[value.areaCode] = (value.oldCode, value.name)
      }
    }
    if areas[wanted] != nil { return wanted }
    if let hit = areas.first(where: { $0.key.caseInsensitiveCompare(wanted) == .orderedSame || $0.value.old == wanted
      || $0.value.name.caseInsensitiveCompare(wanted) == .orderedSame }) {
      return hit.key
    }
    let names = areas.values.map(\.name).sorted()
    let hint = NameSuggestion.closest(to: wanted, among: names).map { "; the closest name is '\($0)'" } ?? ""
    throw InputError.invalidOption(option: "--la", value: text,
                                   expected: "an authority in the store (new or old code, or name)\(hint)")
  }
}
