import Foundation

/// `Data/manifest.json`: what the embedded data snapshot holds, where each
/// file came from and under which licence, with a checksum per file so a
/// damaged or hand-edited snapshot is caught before any number is computed.
public struct SnapshotManifest: Codable, Sendable, Equatable {
  /// One file of the snapshot, by its path inside the data layout.
  public struct File: Codable, Sendable, Equatable {
    public let path: String
    public let publisher: String
    public let source: String
    public let licence: String
    public let bytes: Int
    public let sha256: String
    /// First and last `time_period` in the file, when it has that column.
    public let periods: [String]?
  }

  /// The ZIP's file name, beside the manifest.
  public let snapshot: String
  /// SHA-256 of the ZIP itself; names the extraction cache.
  public let snapshotSHA256: String
  /// The licence attribution that every pack's provenance repeats.
  public let attribution: String
  public let files: [File]

  enum CodingKeys: String, CodingKey {
    case snapshot, attribution, files
    case snapshotSHA256 = "snapshot_sha256"
  }

  public static func load(from url: URL) throws -> SnapshotManifest {
    let data: Data
    do { data = try Data(contentsOf: url) } catch { throw SnapshotError.missing(path: url.path) }
    do { return try JSONDecoder().decode(SnapshotManifest.self, from: data) } catch {
      throw SnapshotError.badManifest(path: url.path, reason: "\(error)")
    }
  }

  /// The entry for a path inside the data layout, if the snapshot has it.
  public func file(_ path: String) -> File? { files.first { $0.path == path } }
}
