import Foundation

/// The data mirror on disk (`--data DIR`, `$PEERLENS_DATA`, or
/// `../shared/data`), with each file read at most once per run.
///
/// Layout: `dfe/` (EES files), `context/`, `neighbours/`, `lookups/`.
public final class DataMirror: @unchecked Sendable {
  public let root: URL
  private let lock = NSLock()
  private var files: [String: EESFile] = [:]
  private var cachedRegistry: AuthorityRegistry?

  public init(root: URL) {
    self.root = root
  }

  /// Finds the mirror: an explicit path, then `$PEERLENS_DATA`, then
  /// `../shared/data` from the working directory.
  public static func locate(_ explicit: String?) throws -> DataMirror {
    let fm = FileManager.default
    var candidates: [String] = []
    if let explicit, !explicit.isEmpty { candidates = [explicit] } else {
      if let env = ProcessInfo.processInfo.environment["PEERLENS_DATA"], !env.isEmpty { candidates.append(env) }
      candidates.append("../shared/data")
    }
    for c in candidates {
      var isDir: ObjCBool = false
      if fm.fileExists(atPath: c, isDirectory: &isDir), isDir.boolValue {
        return DataMirror(root: URL(fileURLWithPath: c).standardizedFileURL)
      }
    }
    throw DataError.mirrorNotFound(tried: candidates)
  }

  public func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

  /// The names of the EES CSV files under `dfe/`, sorted.
  public func eesFileNames() throws -> [String] {
    let dir = url("dfe")
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else {
      throw DataError.missingFile(path: dir.path)
    }
    return names.filter { $0.hasSuffix(".csv") }.sorted()
  }

  /// An EES file from `dfe/`, parsed once.
  public func eesFile(_ name: String) throws -> EESFile {
    lock.lock()
    if let f = files[name] { lock.unlock(); return f }
    lock.unlock()
    let u = url("dfe/" + name)
    guard FileManager.default.fileExists(atPath: u.path) else { throw DataError.missingFile(path: u.path) }
    let f = try EESFile.read(u)
    lock.lock()
    files[name] = f
    lock.unlock()
    return f
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
      return "Cannot find the data mirror (tried \(t.joined(separator: ", "))). Pass --data DIR or set PEERLENS_DATA."
    case .missingFile(let p): return "Missing data file: \(p)."
    case .unknownArea(let a): return "Unknown authority or region '\(a)'."
    case .invalid(let s): return s
    }
  }
}
