import Foundation

/// One file a run reads, with where it came from: the provenance that
/// `data sources` lists and each pack prints.
public struct DataSource: Codable, Sendable, Equatable {
  /// The path inside the data folder (`dfe/…`, `context/…`).
  public let path: String
  /// `snapshot` (embedded in PeerLens), `import` (brought in by `data
  /// import`) or `folder` (a folder named with `--data`).
  public let origin: String
  /// The release: the snapshot's checksum, or the import's vintage label.
  public let release: String
  /// Where the file was obtained (publication, or the downloaded file's name).
  public let source: String
  public let publisher: String
  public let licence: String
  /// First and last `time_period` in the file, where it has one.
  public let periods: [String]?
  public let sha256: String
  public let bytes: Int

  public init(path: String, origin: String, release: String, source: String, publisher: String, licence: String,
              periods: [String]?, sha256: String, bytes: Int) {
    self.path = path
    self.origin = origin
    self.release = release
    self.source = source
    self.publisher = publisher
    self.licence = licence
    self.periods = periods
    self.sha256 = sha256
    self.bytes = bytes
  }

  /// The file name of an imported folder's source list.
  public static let listName = "sources.json"

  /// The files of a data folder with their origin: the snapshot's manifest,
  /// an imported folder's `sources.json`, or (for a folder the user named)
  /// each file's checksum and periods read from the file itself.
  public static func list(_ mirror: DataMirror) throws -> [DataSource] {
    switch mirror.origin {
    case .snapshot(let sha):
      let manifest = try DataSnapshot.installed().manifest
      return manifest.files.filter { $0.path.hasSuffix(".csv") }.map {
        DataSource(path: $0.path, origin: "snapshot", release: "snapshot " + String(sha.prefix(16)), source: $0.source,
                   publisher: $0.publisher, licence: $0.licence, periods: $0.periods, sha256: $0.sha256, bytes: $0.bytes)
      }
    case .vintage, .folder:
      let listURL = mirror.url(listName)
      if let data = try? Data(contentsOf: listURL) {
        do { return try JSONDecoder().decode([DataSource].self, from: data) } catch {
          throw DataError.invalid("The source list \(listURL.path) cannot be read: \(error).")
        }
      }
      if let sha = mirror.snapshotSHA256() {
        // The extracted snapshot, reached as a baseline vintage or named as a folder.
        return try list(DataMirror(root: mirror.root, origin: .snapshot(sha256: sha)))
      }
      return try scan(mirror.root, origin: "folder", release: mirror.root.path, source: "")
    }
  }

  /// Describes every CSV under a folder by reading it.
  static func scan(_ root: URL, origin: String, release: String, source: String) throws -> [DataSource] {
    var out: [DataSource] = []
    for sub in ["context", "dfe", "lookups", "neighbours"] {
      let dir = root.appendingPathComponent(sub)
      guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { continue }
      for name in names.sorted() where name.hasSuffix(".csv") {
        let data = try Data(contentsOf: dir.appendingPathComponent(name))
        out.append(DataSource(path: sub + "/" + name, origin: origin, release: release, source: source,
                              publisher: "", licence: "", periods: periods(of: data, name: name),
                              sha256: DataSnapshot.sha256(data), bytes: data.count))
      }
    }
    return out
  }

  /// The first and last `time_period` of a CSV, in time order, or nil.
  static func periods(of data: Data, name: String) -> [String]? {
    guard let table = try? CSVReader.parse(data, source: name, allowDuplicateColumns: true),
          let j = table.columnNames.firstIndex(of: "time_period") else { return nil }
    let codes = Set(table.cells[j].filter { !$0.isEmpty })
    let sorted = codes.sorted { a, b in a.count != b.count ? a.count < b.count : a < b }
    guard let first = sorted.first, let last = sorted.last else { return nil }
    return [first, last]
  }
}

extension DataMirror {
  /// The snapshot checksum when this folder is the extracted embedded snapshot.
  func snapshotSHA256() -> String? {
    guard let snapshot = try? DataSnapshot.installed(),
          root.standardizedFileURL.path == snapshot.cacheFolder().standardizedFileURL.path else { return nil }
    return snapshot.manifest.snapshotSHA256
  }
}
