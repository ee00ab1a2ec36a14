import Crypto
import Foundation
import ZIPFoundation

/// The data snapshot that ships inside the package (`Data/snapshot.zip`
/// with `Data/manifest.json`), so that PeerLens runs from a fresh clone with
/// nothing beside it.
///
/// The ZIP is extracted once into a cache folder named by its checksum
/// (`$PEERLENS_CACHE`, else `$XDG_CACHE_HOME/peerlens`, else
/// `~/.cache/peerlens`) and read from there as an ordinary data folder. The
/// clone itself is never written to. Extraction goes to a temporary folder
/// that is renamed into place only once every file has matched its
/// checksum, so an interrupted extraction never leaves a half-filled cache
/// that a later run would trust.
public struct DataSnapshot: Sendable {
  /// The folder holding `snapshot.zip` and `manifest.json`.
  public let folder: URL
  public let manifest: SnapshotManifest

  public init(folder: URL) throws {
    self.folder = folder
    self.manifest = try SnapshotManifest.load(from: folder.appendingPathComponent("manifest.json"))
  }

  public var archiveURL: URL { folder.appendingPathComponent(manifest.snapshot) }

  /// The snapshot of this installation: `$PEERLENS_SNAPSHOT` (a folder with
  /// `manifest.json`), else `Data/` in the working directory, else the
  /// `Data/` folder of the package the executable was built in, else the
  /// source checkout this file was compiled from.
  public static func installed() throws -> DataSnapshot {
    try DataSnapshot(folder: locateFolder())
  }

  static func locateFolder() throws -> URL {
    let fm = FileManager.default
    func has(_ u: URL) -> Bool { fm.fileExists(atPath: u.appendingPathComponent("manifest.json").path) }
    if let env = ProcessInfo.processInfo.environment["PEERLENS_SNAPSHOT"], !env.isEmpty {
      let u = URL(fileURLWithPath: env)
      guard has(u) else { throw SnapshotError.missing(path: u.appendingPathComponent("manifest.json").path) }
      return u
    }
    var candidates = [URL(fileURLWithPath: "Data").standardizedFileURL]
    // …/.build/<triple>/<config>/peerlens → package root/Data
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    for _ in 0..<6 {
      candidates.append(dir.appendingPathComponent("Data"))
      dir = dir.deletingLastPathComponent()
    }
    // The source checkout (…/Sources/PeerLensData/Snapshot/DataSnapshot.swift).
    var source = URL(fileURLWithPath: #filePath)
    for _ in 0..<4 { source = source.deletingLastPathComponent() }
    candidates.append(source.appendingPathComponent("Data"))
    for c in candidates where has(c) && fm.fileExists(atPath: c.appendingPathComponent("snapshot.zip").path) {
      return c
    }
    throw SnapshotError.missing(path: candidates.map(\.path).joined(separator: ", "))
  }

  /// The cache root: `$PEERLENS_CACHE`, `$XDG_CACHE_HOME/peerlens`, or
  /// `~/.cache/peerlens`.
  public static func cacheRoot() -> URL {
    let env = ProcessInfo.processInfo.environment
    if let c = env["PEERLENS_CACHE"], !c.isEmpty { return URL(fileURLWithPath: c) }
    if let x = env["XDG_CACHE_HOME"], !x.isEmpty { return URL(fileURLWithPath: x).appendingPathComponent("peerlens") }
    return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/peerlens")
  }

  /// The folder this snapshot extracts to: named by the ZIP's checksum, so
  /// a new snapshot never reuses an old extraction.
  public func cacheFolder(root: URL = DataSnapshot.cacheRoot()) -> URL {
    root.appendingPathComponent("snapshot-" + manifest.snapshotSHA256.prefix(16))
  }

  /// The extracted data folder, extracting it first if needed.
  public func extracted(cacheRoot root: URL = DataSnapshot.cacheRoot()) throws -> URL {
    let fm = FileManager.default
    let target = cacheFolder(root: root)
    if fm.fileExists(atPath: target.appendingPathComponent(Self.completeMarker).path) { return target }
    do { try fm.createDirectory(at: root, withIntermediateDirectories: true) } catch {
      throw SnapshotError.cacheNotWritable(path: root.path, reason: error.localizedDescription)
    }
    let staging = root.appendingPathComponent(".staging-\(UUID().uuidString)")
    defer { try? fm.removeItem(at: staging) }
    try extract(into: staging)
    do {
      try fm.moveItem(at: staging, to: target)
    } catch {
      // Another process finished first: its copy is as good as ours.
      if fm.fileExists(atPath: target.appendingPathComponent(Self.completeMarker).path) { return target }
      // A stale, incomplete folder (from a version without the marker): replace it.
      try? fm.removeItem(at: target)
      do { try fm.moveItem(at: staging, to: target) } catch {
        throw SnapshotError.cacheNotWritable(path: target.path, reason: error.localizedDescription)
      }
    }
    return target
  }

  static let completeMarker = ".complete"

  /// Extracts every manifest file into `folder`, checking the ZIP's and
  /// each file's SHA-256 against the manifest.
  public func extract(into folder: URL) throws {
    let fm = FileManager.default
    let zipData: Data
    do { zipData = try Data(contentsOf: archiveURL) } catch { throw SnapshotError.missing(path: archiveURL.path) }
    let zipSum = Self.sha256(zipData)
    guard zipSum == manifest.snapshotSHA256 else {
      throw SnapshotError.checksumMismatch(file: archiveURL.path, expected: manifest.snapshotSHA256, found: zipSum)
    }
    let archive: Archive
    do { archive = try Archive(data: zipData, accessMode: .read) } catch {
      throw SnapshotError.unreadableArchive(path: archiveURL.path, reason: "\(error)")
    }
    do { try fm.createDirectory(at: folder, withIntermediateDirectories: true) } catch {
      throw SnapshotError.cacheNotWritable(path: folder.path, reason: error.localizedDescription)
    }
    for file in manifest.files {
      guard let entry = archive[file.path] else { throw SnapshotError.missingEntry(file: file.path) }
      var bytes = Data()
      bytes.reserveCapacity(file.bytes)
      do { _ = try archive.extract(entry, skipCRC32: false) { bytes.append($0) } } catch {
        throw SnapshotError.unreadableArchive(path: archiveURL.path, reason: "\(file.path): \(error)")
      }
      let sum = Self.sha256(bytes)
      guard sum == file.sha256 else {
        throw SnapshotError.checksumMismatch(file: file.path, expected: file.sha256, found: sum)
      }
      let out = folder.appendingPathComponent(file.path)
      do {
        try fm.createDirectory(at: out.deletingLastPathComponent(), withIntermediateDirectories: true)
        try bytes.write(to: out)
      } catch {
        throw SnapshotError.cacheNotWritable(path: out.path, reason: error.localizedDescription)
      }
    }
    do { try Data().write(to: folder.appendingPathComponent(Self.completeMarker)) } catch {
      throw SnapshotError.cacheNotWritable(path: folder.path, reason: error.localizedDescription)
    }
  }

  /// Lower-case hexadecimal SHA-256.
  public static func sha256(_ data: Data) -> String {
    hex(SHA256.hash(data: data))
  }

  /// The lower-case hexadecimal SHA-256 of a file, read a mebibyte at a
  /// time.
  ///
  /// Why not the whole file at once: the national run takes its
  /// provenance digests while the indicators are computed, at its peak
  /// memory, and the largest source file is over 10 MB.
  public static func sha256(fileAt url: URL) throws -> String {
    let handle = try FileHandle(forReadingFrom: url)
    defer { try? handle.close() }
    var hasher = SHA256()
    while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
    return hex(hasher.finalize())
  }

  private static func hex(_ digest: SHA256.Digest) -> String {
    digest.map { String(format: "%02x", $0) }.joined()
  }
}
