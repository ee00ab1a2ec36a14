import Foundation
import ZIPFoundation

/// `data import`: brings files downloaded from explore-education-statistics
/// into the user's data directory as a new vintage.
///
/// The order of work keeps the store and the directory unchanged on any
/// error and on a kill: every input is read, recognised and checked first;
/// the new data folder is assembled in a staging folder (the previous
/// vintage's files, hard-linked, with the imported files over them); the
/// staging folder is renamed into place; and only then does one store
/// transaction record the vintage that makes it visible. Imports into one
/// directory take turns (an exclusive lock), so a second one waits.
public struct ReleaseImport: Sendable {
  /// One input file recognised as a catalogue file.
  public struct Recognised: Sendable, Equatable {
    /// The input as the user named it (`release.zip: data/x.csv` inside a ZIP).
    public let input: String
    /// The catalogue file it replaces (`dfe/…`).
    public let target: String
    public let rows: Int
    public let periods: [String]?
    public let sha256: String
    let data: Data
  }

  /// What an import did.
  public struct Outcome: Sendable {
    public let vintage: ReleaseStore.Vintage
    /// False when identical files were imported before: nothing changed.
    public let created: Bool
    /// The vintage recorded for the data in use before the first import.
    public let baseline: ReleaseStore.Vintage?
    public let files: [Recognised]
    /// CSVs inside a ZIP that PeerLens does not read (left out, with the reason).
    public let skipped: [String]
  }

  public let library: DataLibrary
  /// The data the import builds on: the newest vintage, else the snapshot.
  public let base: DataMirror
  public let catalogue: IndicatorCatalogue

  public init(library: DataLibrary, base: DataMirror, catalogue: IndicatorCatalogue) {
    self.library = library
    self.base = base
    self.catalogue = catalogue
  }

  /// Share of a layout's columns above which a CSV that lacks some is
  /// taken to be that file with columns missing, rather than another file.
  static let nearMissOverlap = 0.75

  /// Reads, recognises and checks the inputs, without writing anything.
  public func recognise(_ paths: [String]) throws -> (files: [Recognised], skipped: [String]) {
    let matcher = try LayoutMatcher(mirror: base)
    let registry = try base.registry()
    let required = catalogue.columnsRead
    var found: [Recognised] = []
    var skipped: [String] = []
    for path in paths {
      let url = URL(fileURLWithPath: path)
      var isFolder: ObjCBool = false
      if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
        throw ImportError.inputIsFolder(path: path)
      }
      guard let data = try? Data(contentsOf: url) else { throw ImportError.missingInput(path: path) }
      let inZIP = data.starts(with: [0x50, 0x4B]) || url.pathExtension.lowercased() == "zip"
      let members = inZIP ? try Self.csvMembers(of: data, path: path) : [(path, data)]
      for (name, bytes) in members {
        let table: CSVTable
        do { table = try CSVReader.parse(bytes, source: name) } catch {
          throw ImportError.invalidFile(file: name, layout: "a CSV file", reason: error.localizedDescription)
        }
        switch matcher.recognise(table) {
        case .layout(let layout):
          let check: FileCheck
          if table.hasColumn("time_period") {
            let ees: EESFile
            do { ees = try EESFile(table: table) } catch {
              throw ImportError.invalidFile(file: name, layout: layout, reason: error.localizedDescription)
            }
            check = FileCheck.check(ees, registry: registry, requiredNumeric: required[layout] ?? [])
          } else {
            check = FileCheck.checkPlain(table)
          }
          if let first = check.errors.first {
            let more = check.errors.count > 1 ? " (and \(check.errors.count - 1) more)" : ""
            let text = first.localizedDescription
            let sentence = text.hasSuffix(".") ? String(text.dropLast()) : text
            throw ImportError.invalidFile(file: name, layout: "dfe/" + layout, reason: sentence + more + ".")
          }
          if let refusal = check.storageRefusal {
            throw ImportError.invalidFile(file: name, layout: "dfe/" + layout, reason: refusal + ".")
          }
          found.append(Recognised(input: name, target: "dfe/" + layout, rows: table.rowCount,
                                  periods: DataSource.periods(of: bytes, name: name),
                                  sha256: DataSnapshot.sha256(bytes), data: bytes))
        case .ambiguous(let candidates):
          throw ImportError.ambiguousLayout(file: name, candidates: candidates.map { "dfe/" + $0 })
        case .unknown(let closest, let missing, let overlap):
          if overlap >= Self.nearMissOverlap {
            throw ImportError.missingColumns(file: name, layout: "dfe/" + closest, missing: missing)
          }
          // A release ZIP holds files PeerLens does not read: left out, and said so.
          guard inZIP else { throw ImportError.unknownLayout(file: name, closest: "dfe/" + closest, missing: missing) }
          skipped.append("\(name): not a file PeerLens reads (closest: dfe/\(closest), which also needs \(ImportError.brief(missing)))")
        }
      }
    }
    if found.isEmpty, let first = skipped.first {
      throw ImportError.invalidFile(file: paths.joined(separator: ", "), layout: "nothing PeerLens reads",
                                    reason: "no CSV in it is a file PeerLens reads; for example \(first).")
    }
    let byTarget = Dictionary(grouping: found, by: \.target)
    if let dup = byTarget.first(where: { $0.value.count > 1 }) {
      throw ImportError.duplicateTarget(layout: dup.key, files: dup.value.map(\.input))
    }
    return (found.sorted { $0.target < $1.target }, skipped)
  }

  /// Most bytes one CSV in a ZIP may expand to. DfE's largest release
  /// files are a few hundred megabytes; the bound stops a ZIP that expands
  /// without end (a "ZIP bomb") from taking all memory. It is checked on
  /// the bytes as they come out, since the sizes a ZIP declares can lie.
  public static let maxMemberBytes = 1 << 30

  /// The CSV entries of a ZIP file (memory-mapped, not read whole).
  public static func csvMembers(at url: URL, path: String, limit: Int = maxMemberBytes) throws -> [(String, Data)] {
    let data: Data
    do { data = try Data(contentsOf: url, options: .alwaysMapped) } catch {
      throw ImportError.missingInput(path: path)
    }
    return try csvMembers(of: data, path: path, limit: limit)
  }

  /// The CSV entries of ZIP bytes, each checked against its CRC.
  ///
  /// The directory is read by `ZIPDirectory`, which checks every entry lies
  /// inside the bytes; only then are bytes inflated, through ZIPFoundation's
  /// inflater fed by `inflate(_:limit:)`, which never hands it a short or
  /// empty chunk. ZIPFoundation's own `Archive` reading trusts the
  /// directory and hangs or traps on a damaged one (the `ees-zip` fuzz
  /// target's findings, `Tests/Fuzz/crashes/ees-zip/`).
  public static func csvMembers(of data: Data, path: String, limit: Int = maxMemberBytes) throws -> [(String, Data)] {
    let directory: ZIPDirectory
    do { directory = try ZIPDirectory(data) } catch {
      throw ImportError.unreadableZIP(path: path, reason: error.reason)
    }
    var out: [(String, Data)] = []
    var names: [String] = []
    // A ZIP of empty folders is not "empty": its folders are named.
    let folders = directory.entries.filter(\.isDirectory).map { $0.name.hasSuffix("/") ? $0.name : $0.name + "/" }
    let label = URL(fileURLWithPath: path).lastPathComponent
    for entry in directory.entries where !entry.isDirectory {
      names.append(entry.name)
      guard entry.name.lowercased().hasSuffix(".csv"), !entry.name.hasPrefix("__MACOSX/") else { continue }
      let tooLarge = "\(entry.name) expands to more than \(limit >= 1 << 20 ? "\(limit >> 20) MB" : "\(limit) bytes"), more than any DfE file"
      if entry.uncompressedSize > limit { throw ImportError.unreadableZIP(path: path, reason: tooLarge) }
      let stored = data[(data.startIndex + entry.dataStart)..<(data.startIndex + entry.dataStart + entry.compressedSize)]
      var bytes: Data
      var crc: CRC32
      switch entry.method {
      case 0:
        guard stored.count <= limit else { throw ImportError.unreadableZIP(path: path, reason: tooLarge) }
        bytes = Data(stored)
        crc = bytes.crc32(checksum: 0)
      case 8:
        do { (bytes, crc) = try inflate(stored, limit: limit) } catch InflateError.tooLarge {
          throw ImportError.unreadableZIP(path: path, reason: tooLarge)
        } catch InflateError.truncated {
          throw ImportError.unreadableZIP(path: path, reason: "\(entry.name) ends before its compressed data does; the ZIP is damaged")
        } catch {
          throw ImportError.unreadableZIP(path: path, reason: "\(entry.name): its compressed data is damaged (\(error))")
        }
      default:
        throw ImportError.unreadableZIP(path: path, reason: "\(entry.name) is compressed with method \(entry.method); "
          + "only stored (0) and deflated (8) entries, which every ZIP tool writes by default, can be read")
      }
      guard crc == entry.crc32 else {
        throw ImportError.unreadableZIP(path: path, reason: "\(entry.name) fails its CRC check; the ZIP is damaged")
      }
      out.append(("\(label): \(entry.name)", bytes))
    }
    guard !out.isEmpty else { throw ImportError.noCSV(path: path, entries: (names.isEmpty ? folders : names).sorted()) }
    return out.sorted { $0.0 < $1.0 }
  }

  private enum InflateError: Error { case tooLarge, truncated }

  /// Inflates raw deflate bytes, stopping at `limit` output bytes.
  ///
  /// ZIPFoundation's Linux inflater sets `avail_in` to the chunk size it
  /// asked for whatever the provider returns, so a short last chunk would
  /// let zlib read past it, and an empty one loops for ever. So every chunk
  /// here is full length: real bytes, then zeros. A stream that has not
  /// ended by one chunk past its data is cut short (zeros alone never end a
  /// deflate stream).
  private static func inflate(_ stored: Data, limit: Int) throws -> (Data, CRC32) {
    let chunk = 64 * 1024
    var out = Data()
    let crc = try Data.decompress(size: Int64(stored.count), bufferSize: chunk, skipCRC32: false,
      provider: { position, size in
        let start = Int(position)
        guard start < stored.count + size else { throw InflateError.truncated }
        var piece = Data(count: size)
        if start < stored.count {
          let real = stored[(stored.startIndex + start)..<(stored.startIndex + min(stored.count, start + size))]
          piece.replaceSubrange(0..<real.count, with: real)
        }
        return piece
      },
      consumer: { produced in
        guard out.count + produced.count <= limit else { throw InflateError.tooLarge }
        out.append(produced)
      })
    return (out, crc)
  }

  /// Imports the files as a new vintage labelled `label` (default: the time).
  /// - Parameter validate: checks across files on the assembled data (the
  ///   new vintage's folder before it is recorded), returning problems in
  ///   words; any problem refuses the import. Checks that need the
  ///   indicators' analysis (a count against its published rate) live in
  ///   the layers above this one and come in here.
  public func run(_ paths: [String], label: String? = nil, now: Date = Date(),
                  validate: (DataMirror) throws -> [String] = { _ in [] },
                  progress: (String) -> Void = { _ in }) throws -> Outcome {
    // "Nothing was imported" should leave nothing behind: a first import
    // that fails took an empty store, its lock and a versions folder into
    // a data directory that had none. What this run created is removed.
    let fm = FileManager.default
    let rootExisted = fm.fileExists(atPath: library.root.path)
    let storeExisted = fm.fileExists(atPath: library.storePath)
    do {
      return try runLocked(paths, label: label, now: now, validate: validate, progress: progress)
    } catch {
      if !storeExisted { library.removeFirstUse(rootExisted: rootExisted) }
      throw error
    }
  }

  private func runLocked(_ paths: [String], label: String?, now: Date, validate: (DataMirror) throws -> [String],
                         progress: (String) -> Void) throws -> Outcome {
    try library.prepare()
    let (files, skipped) = try recognise(paths)
    for f in files { progress("recognised \(f.input) as \(f.target) (\(f.rows) rows)") }
    for s in skipped { progress("left out \(s)") }

    let lock = try ImportLock(folder: library.root)
    defer { lock.release() }
    let store: ReleaseStore
    do { store = try ReleaseStore(path: library.storePath) } catch let e as StoreError { throw e } catch {
      throw ImportError.notWritable(path: library.storePath, reason: error.localizedDescription)
    }
    library.removeOrphans(keeping: Set(try store.vintages().map { library.folder(of: $0).path }))

    let staging = library.versionsFolder.appendingPathComponent(".staging-\(getpid())-\(UUID().uuidString)")
    let fm = FileManager.default
    defer { try? fm.removeItem(at: staging) }
    let stamp = ISO8601DateFormatter().string(from: now)
    let vintageLabel = label ?? stamp
    do {
      try assemble(files: files, into: staging, release: vintageLabel)
    } catch let e as ImportError { throw e } catch {
      throw ImportError.notWritable(path: staging.path, reason: error.localizedDescription)
    }
    progress("checking the data with the imported files in place")
    let problems = try validate(DataMirror(root: staging))
    if !problems.isEmpty { throw ImportError.inconsistentData(files: files.map(\.input), problems: problems) }

    // Before the first import, the data in use becomes vintage 1, so that
    // `changes` can say what the import revised.
    var baseline: ReleaseStore.Vintage?
    if try store.vintages().isEmpty {
      let origin: String
      switch base.origin {
      case .snapshot(let sha): origin = "snapshot:" + sha
      default: origin = "folder"
      }
      let name: String
      if case .snapshot(let sha) = base.origin { name = "snapshot " + String(sha.prefix(16)) } else { name = base.root.path }
      progress("recording the data in use (\(name)) as the baseline vintage")
      baseline = try store.ingest(mirror: base, catalogue: catalogue, label: name, origin: origin, now: now).vintage
    }

    let fingerprinted = try ReleaseStore.fingerprint(mirror: DataMirror(root: staging), catalogue: catalogue)
    let fingerprint = fingerprinted.0
    if let existing = try store.unchangedVintage(fingerprint: fingerprint) {
      return Outcome(vintage: existing, created: false, baseline: baseline, files: files, skipped: skipped)
    }
    // Said before the folder moves into versions/, as the store would say it after.
    if let label, let taken = try store.vintage(label: label) {
      throw StoreError.labelTaken(path: library.storePath, label: label, vintage: taken.id)
    }
    let target = library.versionsFolder.appendingPathComponent(String(fingerprint.prefix(16)))
    try? fm.removeItem(at: target)  // an orphan of an import killed before its vintage committed
    do { try fm.moveItem(at: staging, to: target) } catch {
      throw ImportError.notWritable(path: target.path, reason: error.localizedDescription)
    }
    progress("computing the catalogue's values for the new vintage")
    // Recorded relative to the data directory, so the directory can be moved or copied whole.
    let outcome = try store.ingest(mirror: DataMirror(root: target), catalogue: catalogue, label: vintageLabel,
                                   origin: "import", recordedPath: "versions/" + target.lastPathComponent,
                                   fingerprinted: fingerprinted, now: now, progress: progress)
    return Outcome(vintage: outcome.vintage, created: true, baseline: baseline, files: files, skipped: skipped)
  }

  /// The base folder's files (hard links where possible) with the imported
  /// files written over their targets, and the source list beside them.
  func assemble(files: [Recognised], into staging: URL, release: String) throws {
    let fm = FileManager.default
    try fm.createDirectory(at: staging, withIntermediateDirectories: true)
    var sources = try DataSource.list(base)
    let replaced = Set(files.map(\.target))
    for sub in ["context", "dfe", "lookups", "neighbours"] {
      let from = base.url(sub)
      guard let names = try? fm.contentsOfDirectory(atPath: from.path) else { continue }
      let to = staging.appendingPathComponent(sub)
      try fm.createDirectory(at: to, withIntermediateDirectories: true)
      for name in names.sorted() where !name.hasPrefix(".") && !replaced.contains(sub + "/" + name) {
        let src = from.appendingPathComponent(name)
        let dst = to.appendingPathComponent(name)
        do { try fm.linkItem(at: src, to: dst) } catch { try fm.copyItem(at: src, to: dst) }
      }
    }
    for f in files {
      try f.data.write(to: staging.appendingPathComponent(f.target), options: .atomic)
      sources.removeAll { $0.path == f.target }
      sources.append(DataSource(path: f.target, origin: "import", release: release, source: f.input,
                                publisher: "Department for Education", licence: "Open Government Licence v3.0",
                                periods: f.periods, sha256: f.sha256, bytes: f.data.count))
    }
    sources.sort { $0.path < $1.path }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    try encoder.encode(sources).write(to: staging.appendingPathComponent(DataSource.listName), options: .atomic)
  }
}
