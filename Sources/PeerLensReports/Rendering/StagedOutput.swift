import Foundation
import PeerLensData
import PeerLensStatistics

#if canImport(Glibc)
  import Glibc
#endif

/// A run's output written as a whole: every file goes into a staging folder
/// beside the target, and the finished folder replaces the target in one
/// atomic exchange. A run killed at any moment leaves the target entirely
/// as the previous run left it or entirely as the new run made it, never a
/// mix of the two; its staging folder is cleared at the next start.
///
/// The staging folder starts as hard links to what the target holds
/// besides the run's own entries (`replacing`), so files a user keeps in
/// the folder survive, while every output of an earlier run is replaced
/// by this run's: a run of one authority (`--la`) into a national run's
/// folder leaves that authority's pack and no other, never packs of two
/// runs (two data vintages, perhaps) under one index.
/// `AtomicFile` replaces a link by renaming a new file over it, so the
/// previous output's files are never modified in place.
public struct StagedOutput: Sendable {
  /// The folder the user asked for.
  public let target: URL
  /// Where this run writes.
  public let staging: URL

  /// Refuses, in words, an output folder this run could not write: a
  /// target or a folder on its path that is a file, a parent that cannot
  /// be created, or one that cannot be written to (the staging folder
  /// goes beside the target, so that is where a probe file is written and
  /// removed). Creates the parent folders, not the target.
  ///
  /// Why: called before the national run, so that `--out /proc/nope` is
  /// answered at once rather than after seconds of computation, and with
  /// the cause ("permission denied") instead of Foundation's
  /// "NSCocoaErrorDomain error 512".
  public static func checkWritable(target: URL) throws {
    let fm = FileManager.default
    let target = target.standardizedFileURL
    // The nearest path that exists must be a folder (the target itself, or
    // the folder it will be made in).
    var existing = target
    while !fm.fileExists(atPath: existing.path) && existing.pathComponents.count > 1 {
      existing = existing.deletingLastPathComponent()
    }
    var isDir: ObjCBool = false
    if fm.fileExists(atPath: existing.path, isDirectory: &isDir), !isDir.boolValue {
      if existing == target { throw StagedOutputError.notAFolder(target.path) }
      throw StagedOutputError.pathThroughFile(target: target.path, file: existing.path)
    }
    let parent = target.deletingLastPathComponent()
    do { try fm.createDirectory(at: parent, withIntermediateDirectories: true) } catch {
      throw StagedOutputError.notWritable(target.path, reason: FileErrorText.reason(error))
    }
    let probe = parent.appendingPathComponent(".\(target.lastPathComponent).probe-\(getpid())")
    let fd = open(probe.path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
    guard fd >= 0 else {
      let code = errno
      // A folder that exists but answers "no such file" to a new file is
      // one only the system writes (/proc, /sys): the kernel's own words
      // read as if the folder were missing.
      let reason = code == ENOENT
        ? "'\(parent.path)' does not take new files (a system folder, such as /proc or /sys, that only the system writes to)"
        : FileErrorText.reason(errno: code)
      throw StagedOutputError.notWritable(target.path, reason: reason)
    }
    let written = write(fd, "probe", 5)
    let writeErrno = errno
    close(fd)
    unlink(probe.path)
    guard written == 5 else { throw StagedOutputError.notWritable(target.path, reason: FileErrorText.reason(errno: writeErrno)) }
  }

  /// How a run recognises a folder an earlier run wrote: a marker file it
  /// writes at the top of every output, and (for folders written before
  /// the marker existed) a top-level name only its output has.
  ///
  /// Why: the finished output replaces the whole target folder, carrying
  /// over other files as hard links. Given a folder it never wrote (`--out
  /// ""` is the current folder; `--out ~`), a run swapped a whole source
  /// tree or home folder for a linked copy: symbolic links became folders,
  /// and open shells were left in a deleted folder. A target that exists,
  /// holds anything and carries neither sign is refused.
  public struct Ownership: Sendable {
    public let marker: String
    public let markerText: String
    /// The command that writes such folders, named in the refusal.
    public let tool: String
    /// Whether a folder without the marker (its URL, its top-level names)
    /// is an earlier run's output all the same.
    public let isEarlierOutput: @Sendable (_ folder: URL, _ names: [String]) -> Bool

    public init(marker: String, markerText: String, tool: String,
                isEarlierOutput: @escaping @Sendable (_ folder: URL, _ names: [String]) -> Bool = { _, _ in false }) {
      self.marker = marker
      self.markerText = markerText
      self.tool = tool
      self.isEarlierOutput = isEarlierOutput
    }
  }

  /// Clears staging folders left by killed runs, and starts a new one.
  /// - Parameters:
  ///   - replacing: the names, at the target's top level, of what a run
  ///     writes (`PackWriter.entries`): not carried over.
  ///   - replacingWithin: for a file directly inside a top-level folder
  ///     (its folder's name, its own name), whether it is a run's output
  ///     (`PackWriter.isOutput`): not carried over, while the folder's
  ///     other files are. A user's `authorities/extra.txt` had been
  ///     deleted with the packs around it.
  ///   - ownership: when given, a target that exists must be empty or
  ///     an earlier run's (`Ownership`), and the marker is written.
  public static func begin(target: URL, replacing owned: Set<String> = [],
                           replacingWithin ownedWithin: (_ folder: String, _ name: String) -> Bool = { _, _ in false },
                           ownership: Ownership? = nil)
    throws -> StagedOutput {
    let fm = FileManager.default
    // A link to a folder is followed: the folder it names is replaced,
    // and the link stays.
    let target = target.standardizedFileURL.resolvingSymlinksInPath()
    let parent = target.deletingLastPathComponent()
    try checkWritable(target: target)
    if let ownership { try checkOwnership(target: target, ownership) }
    clearStale(target: target)
    let staging = parent.appendingPathComponent(".\(target.lastPathComponent).staging-\(getpid())-\(UUID().uuidString.prefix(8))")
    try fm.createDirectory(at: staging, withIntermediateDirectories: false)
    var isDir: ObjCBool = false
    if fm.fileExists(atPath: target.path, isDirectory: &isDir) {
      guard isDir.boolValue else {
        try? fm.removeItem(at: staging)
        throw StagedOutputError.notAFolder(target.path)
      }
      try linkTree(from: target, to: staging, skipping: owned.union(ownership.map { [$0.marker] } ?? []),
                   skippingWithin: ownedWithin)
    }
    if let ownership {
      try AtomicFile.write(ownership.markerText, to: staging.appendingPathComponent(ownership.marker))
    }
    return StagedOutput(target: target, staging: staging)
  }

  /// Refuses a target that exists, holds anything, and that no earlier
  /// run wrote (see `Ownership`).
  public static func checkOwnership(target: URL, _ ownership: Ownership) throws {
    let fm = FileManager.default
    let target = target.standardizedFileURL.resolvingSymlinksInPath()
    var isDir: ObjCBool = false
    guard fm.fileExists(atPath: target.path, isDirectory: &isDir), isDir.boolValue else { return }
    let names = ((try? fm.contentsOfDirectory(atPath: target.path)) ?? []).filter { $0 != ".DS_Store" }.sorted()
    if names.isEmpty || names.contains(ownership.marker) || ownership.isEarlierOutput(target, names) { return }
    throw StagedOutputError.notAnOutputFolder(target.path, holding: names, tool: ownership.tool)
  }

  /// Puts the finished staging folder in place of the target.
  public func commit() throws {
    let fm = FileManager.default
    if fm.fileExists(atPath: target.path) {
      if Self.exchange(staging.path, target.path) {
        // `staging` now holds the previous output.
        try? fm.removeItem(at: staging)
        return
      }
      // No atomic exchange on this system: two renames, with a short window
      // in which the target is missing (never mixed).
      let previous = target.deletingLastPathComponent()
        .appendingPathComponent(".\(target.lastPathComponent).previous-\(getpid())")
      try fm.moveItem(at: target, to: previous)
      try fm.moveItem(at: staging, to: target)
      try? fm.removeItem(at: previous)
    } else {
      try fm.moveItem(at: staging, to: target)
    }
  }

  /// Removes the staging folder of a run that failed.
  public func abandon() { try? FileManager.default.removeItem(at: staging) }

  /// Staging and previous-output folders whose process is gone.
  static func clearStale(target: URL) {
    let fm = FileManager.default
    let parent = target.deletingLastPathComponent()
    let prefixes = [".\(target.lastPathComponent).staging-", ".\(target.lastPathComponent).previous-"]
    for name in (try? fm.contentsOfDirectory(atPath: parent.path)) ?? [] {
      guard let prefix = prefixes.first(where: { name.hasPrefix($0) }) else { continue }
      let pidText = name.dropFirst(prefix.count).prefix { $0.isNumber }
      if let pid = Int32(pidText), pid != getpid(), kill(pid, 0) == 0 { continue }  // a live run
      try? fm.removeItem(at: parent.appendingPathComponent(name))
    }
  }

  /// Mirrors `source` into `destination` with hard links (copies where the
  /// file system refuses links), skipping half-written temporary files,
  /// the top-level names in `skipped` and, in a top-level folder, the
  /// files `skippedWithin` names.
  static func linkTree(from source: URL, to destination: URL, skipping skipped: Set<String> = [],
                       skippingWithin skippedWithin: (_ folder: String, _ name: String) -> Bool = { _, _ in false }) throws {
    let fm = FileManager.default
    for name in try fm.contentsOfDirectory(atPath: source.path) {
      if name.contains(".tmp-") || skipped.contains(name) { continue }
      let from = source.appendingPathComponent(name), to = destination.appendingPathComponent(name)
      // A symbolic link is carried over as the same link: followed, a
      // link to a folder became a copy of the folder.
      if let link = try? fm.destinationOfSymbolicLink(atPath: from.path) {
        try fm.createSymbolicLink(atPath: to.path, withDestinationPath: link)
        continue
      }
      var isDir: ObjCBool = false
      guard fm.fileExists(atPath: from.path, isDirectory: &isDir) else { continue }
      if isDir.boolValue {
        try fm.createDirectory(at: to, withIntermediateDirectories: false)
        let folder = name
        try linkTree(from: from, to: to, skipping: Set((try? fm.contentsOfDirectory(atPath: from.path)) ?? []).filter {
          skippedWithin(folder, $0)
        })
      } else if link(from.path, to.path) != 0 {
        try fm.copyItem(at: from, to: to)
      }
    }
  }

  /// `renameat2(…, RENAME_EXCHANGE)`: swaps two paths atomically. Looked up
  /// at run time because the C library's header hides it from Swift.
  static func exchange(_ a: String, _ b: String) -> Bool {
    #if os(Linux)
      typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
      guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2") else { return false }
      let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
      let renameExchange: UInt32 = 1 << 1
      return renameat2(AT_FDCWD, a, AT_FDCWD, b, renameExchange) == 0
    #else
      return false
    #endif
  }
}

/// Problems preparing a run's output folder.
public enum StagedOutputError: Error, LocalizedError, Sendable {
  case notAFolder(String)
  /// A folder on the way to the output is a file.
  case pathThroughFile(target: String, file: String)
  /// The output's folder cannot be created or written to, with the system's reason.
  case notWritable(String, reason: String)
  /// The output folder exists, holds files and was not written by a run.
  case notAnOutputFolder(String, holding: [String], tool: String)

  public var errorDescription: String? {
    switch self {
    case .notAFolder(let p): return "The output \(p) exists and is not a folder: give --out a folder (new or from an earlier run)."
    case .pathThroughFile(let t, let f):
      return "Cannot write to the output folder '\(t)': '\(f)' is a file, not a folder."
    case .notWritable(let p, let r): return "Cannot write to the output folder '\(p)': \(r)."
    case .notAnOutputFolder(let p, let names, let tool):
      let shown = EnglishList.first(5, of: names)
      return "The output folder '\(p)' already holds files that no earlier run of '\(tool)' wrote (\(shown)). "
        + "A run replaces its output folder as a whole, so it writes only to a new or empty folder or to one an earlier "
        + "run wrote: give --out a new folder, such as out/packs."
    }
  }
}
