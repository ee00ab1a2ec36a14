import Foundation

/// Problems with the embedded data snapshot or its extraction cache.
public enum SnapshotError: Error, LocalizedError, Sendable, Equatable {
  case missing(path: String)
  case badManifest(path: String, reason: String)
  case checksumMismatch(file: String, expected: String, found: String)
  case unreadableArchive(path: String, reason: String)
  case missingEntry(file: String)
  case cacheNotWritable(path: String, reason: String)

  public var errorDescription: String? {
    switch self {
    case .missing(let p):
      return "The embedded data snapshot is missing (\(p)). Reinstall PeerLens from a full clone, or pass --data DIR."
    case .badManifest(let p, let r):
      return "The data snapshot manifest \(p) cannot be read: \(r)."
    case .checksumMismatch(let f, let e, let found):
      return "The data snapshot file \(f) does not match its manifest (SHA-256 \(found), expected \(e)). The snapshot is damaged: restore Data/ from the repository."
    case .unreadableArchive(let p, let r):
      return "The data snapshot \(p) cannot be read as a ZIP archive: \(r)."
    case .missingEntry(let f):
      return "The data snapshot has no entry \(f), which its manifest lists."
    case .cacheNotWritable(let p, let r):
      return "Cannot extract the data snapshot into the cache folder \(p): \(r). Set XDG_CACHE_HOME or PEERLENS_CACHE to a writable folder."
    }
  }
}
