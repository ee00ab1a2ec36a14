import Foundation

/// A data folder on disk (`--data DIR`, `$PEERLENS_DATA`, or the extracted
/// embedded snapshot), with each file read at most once per run.
///
/// Layout: `dfe/` (EES files), `context/`, `neighbours/`, `lookups/`.
public final class DataMirror: @unchecked Sendable {
  public let root: URL
  private let lock = NSLock()
  private var files: [String: EESFile] = [:]
  private var cachedRegistry: AuthorityRegistry?

  /// Where the data came from, for provenance.
  public let origin: Origin

  /// The kinds of data folder PeerLens reads.
  public enum Origin: Sendable, Equatable {
    /// A folder the user named (`--data`, `$PEERLENS_DATA`).
    case folder
    /// The snapshot embedded in the package, by the ZIP's SHA-256.
    case snapshot(sha256: String)
    /// A vintage of the user's data directory (`data import`, `--vintage`).
    case vintage(id: Int64, label: String)
  }

  public init(root: URL, origin: Origin = .folder) {
    self.root = root
    self.origin = origin
  }

  /// Finds the data: an explicit folder (`--data DIR`), then a vintage the
  /// user names (`--vintage V`), then `$PEERLENS_DATA`, then the newest
  /// vintage brought in by `data import`, then the snapshot embedded in the
  /// package (extracted once into the cache). A user never needs a folder
  /// beside the clone.
  public static func locate(_ explicit: String?, vintage: String? = nil,
                            library: DataLibrary = DataLibrary.locate()) throws -> DataMirror {
    // An empty path is what `--data "$DIR"` gives when DIR is unset; it
    // fell through to the default data, so the numbers came from data the
    // user had not named, without a word.
    if explicit?.isEmpty == true {
      throw DataError.invalid("--data was given an empty path (is a shell variable unset?). Give a data folder in the "
                              + "mirror layout, or leave --data out to use the default data.")
    }
    if vintage?.isEmpty == true {
      throw DataError.invalid("--vintage was given an empty value (is a shell variable unset?). Give a vintage number "
                              + "from 'peerlens data import', or leave --vintage out.")
    }
    if let explicit {
      if let vintage {
        throw DataError.invalid("Give either --data or --vintage, not both: --data names a folder, --vintage an imported release ('\(vintage)').")
      }
      return try folder(explicit, tried: [explicit])
    }
    if let vintage, let m = try library.mirror(vintage: vintage) { return m }
    if let env = ProcessInfo.processInfo.environment["PEERLENS_DATA"], !env.isEmpty {
      return try folder(env, tried: [env + " ($PEERLENS_DATA)"])
    }
    if let newest = try library.mirror(vintage: nil) { return newest }
    return try snapshot()
  }

  /// The embedded snapshot's data, extracted into the cache if needed.
  public static func snapshot() throws -> DataMirror {
    let snapshot = try DataSnapshot.installed()
    return DataMirror(root: try snapshot.extracted(), origin: .snapshot(sha256: snapshot.manifest.snapshotSHA256))
  }

  private static func folder(_ path: String, tried: [String]) throws -> DataMirror {
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue else {
      throw DataError.mirrorNotFound(tried: tried)
    }
    return DataMirror(root: URL(fileURLWithPath: path).standardizedFileURL, origin: .folder)
  }

  public func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

  /// The error for a path under the root that is not there: a folder on
  /// the way that is a file (a file named `dfe` where the folder should
  /// be) is named as such, rather than every file in it being "missing".
  func absent(_ relative: String, folder: Bool = false) -> DataError {
    let parts = relative.split(separator: "/").map(String.init)
    var path = root
    for (k, part) in parts.enumerated() {
      path = path.appendingPathComponent(part)
      var isDir: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path.path, isDirectory: &isDir) else { break }
      if !isDir.boolValue, k < parts.count - 1 || folder {
        return .invalid("\(path.path) is a file, not a folder: a data folder's \(parts.prefix(k + 1).joined(separator: "/"))/ "
          + "is a folder\(part == "dfe" ? " holding the DfE CSV files" : "").")
      }
    }
    return .missingFile(path: url(relative).path)
  }

  /// The names of the EES CSV files under `dfe/`, sorted.
  public func eesFileNames() throws -> [String] {
    let dir = url("dfe")
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else {
      throw absent("dfe", folder: true)
    }
    return names.filter { $0.hasSuffix(".csv") }.sorted()
  }

  /// An EES file from `dfe/`, parsed once.
  public func eesFile(_ name: String) throws -> EESFile {
    lock.lock()
    if let f = files[name] { lock.unlock(); return f }
    lock.unlock()
    let u = url("dfe/" + name)
    guard FileManager.default.fileExists(atPath: u.path) else { throw absent("dfe/" + name) }
    let f = try EESFile.read(u)
    lock.lock()
    files[name] = f
    lock.unlock()
    return f
  }

  /// Reads the named EES files that are not read yet, on all cores, into
  /// the cache.
  ///
  /// Why: a run computes its indicators in parallel, and indicators that
  /// share a large file would otherwise each parse it at the same time, or
  /// wait in turn. A file that cannot be read is left out here; the
  /// indicator that needs it reports the error, with its context.
  public func preload(_ names: [String]) {
    lock.lock()
    let missing = Set(names).filter { files[$0] == nil }.sorted()
    lock.unlock()
    let results = IndexedResults<EESFile>(count: missing.count)
    DispatchQueue.concurrentPerform(iterations: missing.count) { k in
      let u = url("dfe/" + missing[k])
      results.set(k, Result { try EESFile.read(u) })
    }
    lock.lock()
    for (k, name) in missing.enumerated() {
      if case .success(let f) = results.result(k) { files[name] = f }
    }
    lock.unlock()
  }

  /// Forgets the files read so far; a later `eesFile` reads its file again.
  ///
  /// Why: the parsed tables of a national run are about a third of its
  /// memory, and a batch run that has computed everything from them (the
  /// pack writer, once its builder has read what it shows) need not hold
  /// them while it writes.
  public func releaseFiles() {
    lock.lock()
    files.removeAll()
    lock.unlock()
  }

  /// Whether a file under `dfe/` is in the EES layout (has `time_period`).
  public func isEESFile(_ name: String) throws -> Bool {
    let u = url("dfe/" + name)
    guard let handle = try? FileHandle(forReadingFrom: u) else { throw DataError.missingFile(path: u.path) }
    defer { try? handle.close() }
    let head = String(decoding: handle.readData(ofLength: 4096), as: UTF8.self)
    let firstLine = head.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
    return firstLine.contains("time_period")
  }

  /// Checks one file under `dfe/`, whatever its layout.
  public func check(_ name: String, registry: AuthorityRegistry?, requiredNumeric: Set<String> = []) throws -> FileCheck {
    if try isEESFile(name) {
      return FileCheck.check(try eesFile(name), registry: registry, requiredNumeric: requiredNumeric)
    }
    let u = url("dfe/" + name)
    return FileCheck.checkPlain(try CSVReader.read(contentsOf: u, source: name))
  }

  public func registry() throws -> AuthorityRegistry {
    lock.lock()
    if let r = cachedRegistry { lock.unlock(); return r }
    lock.unlock()
    let r = try AuthorityRegistry.load(from: url("lookups/la_codes.csv"))
    lock.lock()
    cachedRegistry = r
    lock.unlock()
    return r
  }
}

/// Problems locating or interpreting the data mirror.
public enum DataError: Error, LocalizedError, Sendable {
  case mirrorNotFound(tried: [String])
  case missingFile(path: String)
  case unknownArea(String)
  case invalid(String)

  public var errorDescription: String? {
    switch self {
    case .mirrorNotFound(let t):
      return "Cannot find the data folder (tried \(t.joined(separator: ", "))): it must be a folder in the data layout (dfe/, context/, neighbours/, lookups/). Leave out --data and PEERLENS_DATA to use the data embedded in PeerLens."
    case .missingFile(let p): return "Missing data file: \(p)."
    case .unknownArea(let a): return "Unknown authority or region '\(a)'."
    case .invalid(let s): return s
    }
  }
}
