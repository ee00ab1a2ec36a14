import Foundation

/// The user's data directory: the releases brought in by `data import`.
///
/// `$PEERLENS_DATA_HOME` (or `--data-home`), else `$XDG_DATA_HOME/peerlens`,
/// else `~/.local/share/peerlens`. It holds a store of vintages
/// (`peerlens.sqlite`) and one complete data folder per imported vintage
/// under `versions/`, named by the vintage's fingerprint. A folder becomes
/// visible only when the store records its vintage, in one transaction
/// after the folder is complete, so an import killed part-way leaves
/// nothing that a later command would read.
public struct DataLibrary: Sendable {
  public let root: URL

  public init(root: URL) { self.root = root }

  /// The data directory: an explicit folder, then `$PEERLENS_DATA_HOME`,
  /// `$XDG_DATA_HOME/peerlens`, `~/.local/share/peerlens`.
  public static func locate(_ explicit: String? = nil) -> DataLibrary {
    let env = ProcessInfo.processInfo.environment
    if let explicit, !explicit.isEmpty { return DataLibrary(root: URL(fileURLWithPath: explicit).standardizedFileURL) }
    if let h = env["PEERLENS_DATA_HOME"], !h.isEmpty { return DataLibrary(root: URL(fileURLWithPath: h).standardizedFileURL) }
    if let x = env["XDG_DATA_HOME"], !x.isEmpty {
      return DataLibrary(root: URL(fileURLWithPath: x).appendingPathComponent("peerlens").standardizedFileURL)
    }
    return DataLibrary(root: FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".local/share/peerlens"))
  }

  public var storePath: String { root.appendingPathComponent("peerlens.sqlite").path }
  public var versionsFolder: URL { root.appendingPathComponent("versions") }

  /// Whether anything has been imported (the store exists).
  public var exists: Bool { FileManager.default.fileExists(atPath: storePath) }

  /// Opens the store to read (only when it exists: reading never creates
  /// one, nor writes to it).
  public func store() throws -> ReleaseStore? {
    exists ? try ReleaseStore(path: storePath, access: .readOnly) : nil
  }

  /// Creates the directory if needed and proves it writable, before any work.
  public func prepare() throws {
    let fm = FileManager.default
    do {
      try fm.createDirectory(at: versionsFolder, withIntermediateDirectories: true)
      let probe = root.appendingPathComponent(".write-test-\(getpid())")
      try Data().write(to: probe)
      try fm.removeItem(at: probe)
    } catch {
      throw ImportError.notWritable(path: root.path, reason: (error as NSError).localizedDescription)
    }
  }

  /// Undoes what a failed first import created: the whole data directory
  /// if it did not exist before, else the store, its lock and an empty
  /// versions folder (a folder with anything in it is left alone).
  func removeFirstUse(rootExisted: Bool) {
    let fm = FileManager.default
    guard rootExisted else { try? fm.removeItem(at: root); return }
    for path in [storePath, storePath + "-wal", storePath + "-shm", root.appendingPathComponent(".import.lock").path] {
      try? fm.removeItem(atPath: path)
    }
    if (try? fm.contentsOfDirectory(atPath: versionsFolder.path))?.isEmpty == true { try? fm.removeItem(at: versionsFolder) }
  }

  /// The data of a vintage named by id or label, or of the newest vintage
  /// when `name` is nil; nil when nothing has been imported.
  public func mirror(vintage name: String?) throws -> DataMirror? {
    guard let store = try store() else {
      if let name { throw ImportError.unknownVintage(name, available: []) }
      return nil
    }
    let vintages = try store.vintages()
    let chosen: ReleaseStore.Vintage
    if let name {
      guard let v = ReleaseStore.Vintage.named(name, in: vintages) else {
        throw ImportError.unknownVintage(name, available: vintages.map(\.idAndLabel))
      }
      chosen = v
    } else {
      guard let v = vintages.last else { return nil }
      chosen = v
    }
    let mirror = try mirror(of: chosen)
    // A folder the user named is theirs to change after it was stored:
    // read as it is now, it would give other figures under the vintage's
    // name. Imports and the snapshot are PeerLens's own folders.
    if chosen.origin == "folder" {
      let changed = try Self.changedFiles(in: mirror, recorded: store.files(vintage: chosen.id))
      if !changed.isEmpty {
        throw ImportError.changedVintageFolder(vintage: chosen.id, label: chosen.label, path: mirror.root.path, files: changed)
      }
    }
    return mirror
  }

  /// The DfE files of `mirror` that are not as `recorded` when it was
  /// stored: changed, gone or new, each with its path and what happened.
  static func changedFiles(in mirror: DataMirror, recorded: [ReleaseStore.SourceFile]) throws -> [String] {
    let now = Set(try mirror.eesFileNames())
    var changed: [String] = []
    for file in recorded {
      guard now.contains(file.name) else { changed.append("dfe/\(file.name) (gone)"); continue }
      if try DataSnapshot.sha256(fileAt: mirror.url("dfe/" + file.name)) != file.sha256 {
        changed.append("dfe/\(file.name) (changed)")
      }
    }
    return changed + now.subtracting(recorded.map(\.name)).sorted().map { "dfe/\($0) (new)" }
  }

  /// The data folder a stored vintage was read from.
  public func mirror(of v: ReleaseStore.Vintage) throws -> DataMirror {
    let origin = DataMirror.Origin.vintage(id: v.id, label: v.label)
    if v.origin.hasPrefix("snapshot:") {
      // The baseline: the embedded snapshot, re-extracted if the cache was cleared.
      let sha = String(v.origin.dropFirst("snapshot:".count))
      let snapshot = try DataSnapshot.installed()
      if snapshot.manifest.snapshotSHA256 == sha {
        return DataMirror(root: try snapshot.extracted(), origin: origin)
      }
    }
    let folder = folder(of: v)
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDir), isDir.boolValue else {
      throw ImportError.missingVintageFolder(vintage: v.id, path: folder.path)
    }
    return DataMirror(root: folder, origin: origin)
  }

  /// A vintage's data folder: imports record theirs relative to the data
  /// directory (`versions/…`); other vintages record an absolute path.
  public func folder(of v: ReleaseStore.Vintage) -> URL {
    v.dataPath.hasPrefix("/") ? URL(fileURLWithPath: v.dataPath) : root.appendingPathComponent(v.dataPath).standardizedFileURL
  }

  /// Removes folders no vintage records: staging left by a killed import,
  /// or a complete folder whose vintage never committed.
  public func removeOrphans(keeping used: Set<String>) {
    let fm = FileManager.default
    guard let names = try? fm.contentsOfDirectory(atPath: versionsFolder.path) else { return }
    for name in names {
      let path = versionsFolder.appendingPathComponent(name).standardizedFileURL.path
      if name.hasPrefix(".staging-") {
        // Only staging whose process is gone: another import may be running.
        let pid = name.split(separator: "-").dropFirst().first.flatMap { Int32($0) } ?? 0
        if pid > 0 && kill(pid, 0) == 0 && pid != getpid() { continue }
        try? fm.removeItem(atPath: path)
      } else if !used.contains(path) {
        try? fm.removeItem(atPath: path)
      }
    }
  }
}
