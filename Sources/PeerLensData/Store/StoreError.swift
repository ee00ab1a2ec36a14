import Foundation

/// Problems opening the SQLite store of releases, or storing a vintage in it.
public enum StoreError: Error, LocalizedError, Sendable, Equatable {
  /// The file exists but is not a SQLite database (or is damaged).
  case notAStore(path: String, reason: String)
  /// The store was written by a newer PeerLens, with a schema this one does not know.
  case newerSchema(path: String, migration: String)
  /// The file or its folder cannot be opened or written.
  case cannotOpen(path: String, reason: String)
  /// The path names a folder, not a store file (SQLite says only "disk
  /// I/O error" or "unable to open database file", which send a reader
  /// looking at the disk).
  case isFolder(path: String)
  /// Opened only to read, the file holds none of the store's tables: it is
  /// empty, or another program's SQLite database. (Opened to write, such a
  /// file would become a store, which a read must never do.)
  case noStoreTables(path: String, isEmpty: Bool)
  /// The folder to ingest fails a check across files (a count that
  /// contradicts its own published rate): `problems` are the checks' own
  /// sentences, as `ImportError.inconsistentData` gives them for `data import`.
  case inconsistentData(folder: String, problems: [String])
  /// The store's path is empty: SQLite takes that for a temporary
  /// database it throws away, so a vintage "stored" there is nowhere.
  case emptyPath
  /// The files match a vintage the store already holds, but not its
  /// latest: the store keeps each release once, so taking this as "no
  /// change" would leave the later vintage standing as the data in use.
  case matchesEarlierVintage(path: String, match: String, latest: String)
  /// A label another vintage already has: `--vintage` names vintages by
  /// label, and one of the two could no longer be named.
  case labelTaken(path: String, label: String, vintage: Int64)
  /// Opened to write, a SQLite database that another program made: it
  /// would have become a store, our tables beside its own.
  case foreignDatabase(path: String, table: String)

  public var errorDescription: String? {
    switch self {
    case .notAStore(let p, let r):
      return "\(p) is not a PeerLens store (SQLite says: \(r)). Name another file with --store, or move this one aside."
    case .newerSchema(let p, let m):
      return "The store \(p) was written by a newer PeerLens (it has schema step '\(m)', which this version does not know). Use the newer PeerLens, or another store file; this one was left unchanged."
    case .noStoreTables(let p, let isEmpty):
      let what = isEmpty ? "the file is empty" : "it is a SQLite database without the store's tables"
      return "\(p) is not a PeerLens store (\(what)). Name another file with --store, or move this one aside; this one was left unchanged."
    case .inconsistentData(let folder, let problems):
      let more = problems.count > 1 ? " (and \(problems.count - 1) more: 'peerlens data check --data \(folder)' lists them)" : ""
      return "\(folder): the data contradicts itself: \(problems.first ?? "")\(more) Nothing was stored."
    case .foreignDatabase(let p, let table):
      return "\(p) is another program's SQLite database (it has a table '\(table)'), not a PeerLens store; it was left "
        + "unchanged. Name another file with --store."
    case .emptyPath:
      return "The store's path is empty (is a shell variable unset?): name a store file, such as peerlens.sqlite."
    case .matchesEarlierVintage(let p, let match, let latest):
      return "The files and catalogue match \(match) of the store \(p), not its latest, \(latest). The store keeps "
        + "each release once, so this one cannot become the latest again and nothing was stored: compare the two with "
        + "'peerlens changes', or keep it in another store ('ingest --store FILE', or 'data import --data-home DIR')."
    case .labelTaken(let p, let label, let id):
      return "The store \(p) already has a vintage labelled '\(label)' (vintage \(id)): give another --label, so that "
        + "--vintage can name each one. Nothing was stored."
    case .isFolder(let p):
      return "\(p) is a folder, not a store file: name the store's file with --store (e.g. \(p)/peerlens.sqlite)."
    case .cannotOpen(let p, let r):
      return "Cannot open the store \(p): \(r). Check that the folder exists and is writable."
    }
  }
}
