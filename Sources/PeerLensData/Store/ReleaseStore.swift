import Crypto
import Foundation
import GRDB

/// A SQLite store (GRDB) of ingested releases of the mirror.
///
/// Each ingest is a *vintage*: the files read (name, SHA-256, size), the
/// time of ingest, and every catalogue indicator's values as computed
/// then. Later work compares vintages to say what changed between
/// releases. An ingest is one transaction, so an interrupted or failed
/// ingest leaves the previous state intact; re-ingesting identical files
/// with an identical catalogue is a no-op.
public final class ReleaseStore: @unchecked Sendable {
  public let path: String
  let queue: DatabaseQueue

  /// A stored release.
  public struct Vintage: Sendable, Equatable, Codable {
    public let id: Int64
    public let label: String
    public let ingestedAt: String
    public let fingerprint: String
    public let dataPath: String
    /// How the vintage's data folder came to be: `folder` (ingested from a
    /// folder the user named), `snapshot:<sha256>` (the embedded snapshot,
    /// recorded as the baseline of the first import) or `import` (a folder
    /// written by `data import` under the user's data directory).
    public var origin: String = "folder"

    public init(id: Int64, label: String, ingestedAt: String, fingerprint: String, dataPath: String, origin: String = "folder") {
      self.id = id
      self.label = label
      self.ingestedAt = ingestedAt
      self.fingerprint = fingerprint
      self.dataPath = dataPath
      self.origin = origin
    }

    /// The vintage as lists of vintages name it: "2 (March 2026)".
    public var idAndLabel: String { "\(id) (\(label))" }

    /// The vintage that `name` names among `vintages`: an id first, then a
    /// label as written, then a label in any case ("Edited" for "edited").
    /// Where labels repeat, the newest vintage with the label.
    ///
    /// Why ids first: a label that reads as another vintage's id would
    /// otherwise choose the wrong vintage without a word (labels that are
    /// whole numbers are refused when stored, for the same reason).
    public static func named(_ name: String, in vintages: [Vintage]) -> Vintage? {
      vintages.first { String($0.id) == name }
        ?? vintages.last { $0.label == name }
        ?? vintages.last { $0.label.caseInsensitiveCompare(name) == .orderedSame }
    }
  }

  public struct SourceFile: Sendable, Equatable {
    public let name: String
    public let sha256: String
    public let bytes: Int
    public let rows: Int
  }

  public enum IngestOutcome: Sendable, Equatable {
    case created(Vintage)
    case unchanged(Vintage)

    public var vintage: Vintage {
      switch self {
      case .created(let v), .unchanged(let v): return v
      }
    }
  }

  /// What a command may do to the store file.
  public enum Access: Sendable {
    /// `ingest` and `data import`: the file is created if missing and its
    /// schema brought up to date.
    case readWrite
    /// Commands that only compare or read vintages (`changes`,
    /// `packs --store`, reading the data directory). SQLite opens the file
    /// read-only, so it is never created, migrated or written: SQLite
    /// would otherwise turn an empty file (or any file named by mistake)
    /// into a store before saying it holds no vintages.
    case readOnly
  }

  /// Opens the store at `path`; with `.readWrite` (the default), creating
  /// it if needed.
  ///
  /// A second process that finds the store busy waits (up to a minute)
  /// rather than stopping with "database is locked". A file that is not
  /// SQLite, or a store written by a newer PeerLens, is refused with a
  /// message that says so before anything is written. Opened `.readOnly`,
  /// a file no PeerLens has written (an empty file, another program's
  /// database) is refused too, and left as it was.
  public init(path: String, access: Access = .readWrite) throws {
    self.path = path
    guard !path.isEmpty else { throw StoreError.emptyPath }
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
      throw StoreError.isFolder(path: path)
    }
    var config = Configuration()
    config.foreignKeysEnabled = true
    config.busyMode = .timeout(60)
    config.readonly = access == .readOnly
    do {
      queue = try DatabaseQueue(path: path, configuration: config)
      let migrator = Self.migrator
      // One read, so both answers describe the same moment: read apart,
      // another PeerLens creating this store between them made it look
      // like another program's database (no migrations, then our tables).
      let (applied, foreign) = try Self.appliedIdentifiersAndForeignTable(queue, with: migrator)
      let known = Set(migrator.migrations)
      if let unknown = applied.subtracting(known).sorted().first {
        throw StoreError.newerSchema(path: path, migration: unknown)
      }
      switch access {
      case .readWrite:
        // Another program's database is not made into a store: its tables
        // would gain fifteen megabytes of ours beside them.
        if applied.isEmpty, let table = foreign {
          throw StoreError.foreignDatabase(path: path, table: table)
        }
        try Self.migrate(queue, with: migrator)
      case .readOnly:
        // Nothing can be migrated here. A store some PeerLens wrote has at
        // least the first step; an older one reads as it is (a missing
        // `origin` reads as "folder").
        guard !applied.isEmpty else {
          let bytes = try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
          throw StoreError.noStoreTables(path: path, isEmpty: bytes == 0)
        }
      }
    } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB || error.resultCode == .SQLITE_CORRUPT {
      throw StoreError.notAStore(path: path, reason: error.message ?? "\(error.resultCode)")
    } catch let error as DatabaseError where error.resultCode == .SQLITE_CANTOPEN || error.resultCode == .SQLITE_READONLY {
      throw StoreError.cannotOpen(path: path, reason: error.message ?? "\(error.resultCode)")
    }
  }

  /// A table in a database no PeerLens has written (SQLite's own and GRDB's
  /// bookkeeping aside), if there is one.
  static func foreignTable(_ db: Database) throws -> String? {
    try String.fetchOne(db, sql: """
      SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations' ORDER BY name LIMIT 1
      """)
  }

  /// Applies the migrations, taking turns with another process doing the
  /// same. GRDB's migrator reads which migrations are applied before it
  /// opens each migration's transaction, so two processes creating one new
  /// store can both decide to create its tables; the second then fails with
  /// "table already exists" (seen in `StoreSafetyTests`). Each migration
  /// commits whole, so looking again after such a failure finds it applied.
  static func migrate(_ queue: DatabaseQueue, with migrator: DatabaseMigrator) throws {
    try takingTurns { try migrator.migrate(queue) }
  }

  /// The migrations the store has, looking again while another process
  /// creates the store: GRDB checks that its table exists, then reads it,
  /// and a connection whose schema changed in between reads "no such table:
  /// grdb_migrations" (seen once in `concurrentIngestsTakeTurns`).
  ///
  /// With them, in the same read transaction, a table no PeerLens wrote
  /// (`foreignTable`), if there is one.
  static func appliedIdentifiersAndForeignTable(_ queue: DatabaseQueue, with migrator: DatabaseMigrator) throws
    -> (applied: Set<String>, foreign: String?) {
    try takingTurns { try queue.read { db in (try migrator.appliedIdentifiers(db), try foreignTable(db)) } }
  }

  /// Runs `body`, again up to four times 0.1 s apart while it fails with
  /// SQLite's generic error: what a schema being created by another
  /// process at that moment gives (a real error comes back the fifth time).
  private static func takingTurns<T>(_ body: () throws -> T) throws -> T {
    var attempt = 0
    while true {
      do { return try body() } catch let error as DatabaseError where error.resultCode == .SQLITE_ERROR {
        attempt += 1
        if attempt >= 5 { throw error }
        usleep(100_000)
      }
    }
  }

  static var migrator: DatabaseMigrator {
    var m = DatabaseMigrator()
    m.registerMigration("v1") { db in
      try db.create(table: "vintage") { t in
        t.autoIncrementedPrimaryKey("id")
        t.column("label", .text).notNull()
        t.column("ingested_at", .text).notNull()
        t.column("fingerprint", .text).notNull().unique()
        t.column("data_path", .text).notNull()
      }
      try db.create(table: "source_file") { t in
        t.column("vintage_id", .integer).notNull().references("vintage", onDelete: .cascade)
        t.column("name", .text).notNull()
        t.column("sha256", .text).notNull()
        t.column("bytes", .integer).notNull()
        t.column("rows", .integer).notNull()
        t.primaryKey(["vintage_id", "name"])
      }
      try db.create(table: "indicator") { t in
        t.column("vintage_id", .integer).notNull().references("vintage", onDelete: .cascade)
        t.column("id", .text).notNull()
        t.column("title", .text).notNull()
        t.column("polarity", .text).notNull()
        t.column("unit", .text).notNull()
        t.primaryKey(["vintage_id", "id"])
      }
      try db.create(table: "indicator_value") { t in
        t.column("vintage_id", .integer).notNull().references("vintage", onDelete: .cascade)
        t.column("indicator_id", .text).notNull()
        t.column("level", .text).notNull()
        t.column("area_code", .text).notNull()
        t.column("old_code", .text).notNull()
        t.column("area_name", .text).notNull()
        t.column("time_period", .text).notNull()
        t.column("period_kind", .text).notNull()
        t.column("value", .double)
        t.column("numerator", .double)
        t.column("denominator", .double)
        t.column("published", .double)
        t.column("status", .text).notNull()
        t.column("from_published", .boolean).notNull()
        t.primaryKey(["vintage_id", "indicator_id", "level", "area_code", "time_period"])
      }
    }
    m.registerMigration("v2") { db in
      try db.alter(table: "vintage") { t in
        t.add(column: "origin", .text).notNull().defaults(to: "folder")
      }
    }
    // Absence rates' chance variation counted in pupils (`pupil_clustering`).
    // Values stored before have none: their absence funnels and rank
    // intervals are left out, not drawn on sessions; importing the data
    // again restores them.
    m.registerMigration("v3") { db in
      try db.alter(table: "indicator_value") { t in
        t.add(column: "effective_denominator", .double)
        t.add(column: "pupils", .double)
      }
    }
    return m
  }

  // MARK: - Ingest

  /// Ingests the mirror's DfE files and the catalogue's values.
  ///
  /// Every file is read and checked first, then the data as a whole;
  /// any error (bad quoting, a missing column, text in a count column, a
  /// count that contradicts its published rate) is thrown before the
  /// database is written.
  ///
  /// - Parameters:
  ///   - label: a name for the vintage (default: the ingest time).
  ///   - validate: checks across files on the folder, returning problems
  ///     in words; any problem refuses the ingest
  ///     (`StoreError.inconsistentData`). As in
  ///     `ReleaseImport.run(validate:)`, checks that need the indicators'
  ///     analysis live in the layers above this one and come in here.
  ///   - now: the time of ingest (injectable for tests).
  ///   - progress: called with a message per step.
  public func ingest(mirror: DataMirror, catalogue: IndicatorCatalogue, label: String? = nil, origin: String = "folder",
                     recordedPath: String? = nil, fingerprinted: (String, [SourceFile])? = nil, now: Date = Date(),
                     validate: (DataMirror) throws -> [String] = { _ in [] },
                     progress: (String) -> Void = { _ in }) throws -> IngestOutcome {
    // A caller that has just fingerprinted the same folder passes it in, so files are read and checked once.
    let (fingerprint, files) = try fingerprinted ?? Self.fingerprint(mirror: mirror, catalogue: catalogue, progress: progress)
    let problems = try validate(mirror)
    if !problems.isEmpty { throw StoreError.inconsistentData(folder: mirror.root.path, problems: problems) }
    if let existing = try unchangedVintage(fingerprint: fingerprint) {
      return .unchanged(existing)
    }
    let calculator = IndicatorCalculator(mirror: mirror)
    var values: [IndicatorValue] = []
    for ind in catalogue.indicators {
      values += try calculator.values(ind)
      progress("computed \(ind.id)")
    }
    let stamp = ISO8601DateFormatter().string(from: now)
    // A concurrent ingest of the same files may have committed while these
    // values were computed: it waited on the busy timeout, and now finds it.
    let (vintage, created) = try queue.write { db -> (Vintage, Bool) in
      if let existing = try Self.vintage(db, fingerprint: fingerprint) { return (existing, false) }
      if let label, let taken = try Self.vintage(db, label: label) {
        throw StoreError.labelTaken(path: path, label: label, vintage: taken.id)
      }
      try db.execute(sql: "INSERT INTO vintage (label, ingested_at, fingerprint, data_path, origin) VALUES (?, ?, ?, ?, ?)",
                     arguments: [label ?? stamp, stamp, fingerprint, recordedPath ?? mirror.root.path, origin])
      let id = db.lastInsertedRowID
      for f in files {
        try db.execute(sql: "INSERT INTO source_file (vintage_id, name, sha256, bytes, rows) VALUES (?, ?, ?, ?, ?)",
                       arguments: [id, f.name, f.sha256, f.bytes, f.rows])
      }
      for ind in catalogue.indicators {
        try db.execute(sql: "INSERT INTO indicator (vintage_id, id, title, polarity, unit) VALUES (?, ?, ?, ?, ?)",
                       arguments: [id, ind.id, ind.title, ind.polarity.rawValue, ind.unit.rawValue])
      }
      let insert = try db.makeStatement(sql: """
        INSERT OR IGNORE INTO indicator_value (vintage_id, indicator_id, level, area_code, old_code, area_name,
          time_period, period_kind, value, numerator, denominator, published, status, from_published,
          effective_denominator, pupils)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """)
      for v in values {
        try insert.execute(arguments: [
          id, v.indicatorID, v.level.rawValue, v.areaCode, v.oldCode, v.name, v.period.code, v.period.kind.rawValue,
          v.value, v.numerator, v.denominator, v.published, v.status.code, v.fromPublished, v.effectiveDenominator, v.pupils,
        ])
      }
      return (Vintage(id: id, label: label ?? stamp, ingestedAt: stamp, fingerprint: fingerprint,
                      dataPath: recordedPath ?? mirror.root.path, origin: origin), true)
    }
    guard created else { return .unchanged(vintage) }
    progress("stored vintage \(vintage.id) with \(values.count) values")
    return .created(vintage)
  }

  /// The fingerprint of a data folder read with a catalogue: every DfE
  /// file's name and SHA-256, and every indicator's whole definition
  /// (filters, unit, age band and all), so that any change in either is a
  /// new vintage. Every file is read and checked first; the first error is
  /// thrown before anything is stored.
  public static func fingerprint(mirror: DataMirror, catalogue: IndicatorCatalogue,
                                 progress: (String) -> Void = { _ in }) throws -> (String, [SourceFile]) {
    let registry = try mirror.registry()
    var files: [SourceFile] = []
    var hasher = SHA256()
    let required = catalogue.columnsRead
    for name in try mirror.eesFileNames() {
      let url = mirror.url("dfe/" + name)
      let data = try Data(contentsOf: url)
      let digest = DataSnapshot.sha256(data)
      let check = try mirror.check(name, registry: registry, requiredNumeric: required[name] ?? [])
      if let first = check.errors.first { throw first }
      if let refusal = check.storageRefusal { throw DataError.invalid("dfe/\(name): \(refusal).") }
      files.append(SourceFile(name: name, sha256: digest, bytes: data.count, rows: check.rows))
      hasher.update(data: Data("\(name):\(digest)\n".utf8))
      progress("read \(name) (\(check.rows) rows)")
    }
    // The catalogue is part of the fingerprint: a changed definition is a new vintage.
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    for ind in catalogue.indicators {
      hasher.update(data: try encoder.encode(ind))
      hasher.update(data: Data("\n".utf8))
    }
    return (hasher.finalize().map { String(format: "%02x", $0) }.joined(), files)
  }

  /// The vintage these files are already, if they are the store's latest;
  /// nil if the store does not hold them. Files that match an earlier
  /// vintage are refused (`StoreError.matchesEarlierVintage`): "no
  /// change" there left the later vintage as the data in use, and
  /// `changes` and packs compared releases the user had moved away from.
  public func unchangedVintage(fingerprint: String) throws -> Vintage? {
    guard let existing = try vintage(fingerprint: fingerprint) else { return nil }
    guard let latest = try vintages().last, latest.id != existing.id else { return existing }
    throw StoreError.matchesEarlierVintage(path: path, match: "vintage \(existing.id) (\(existing.label))",
                                           latest: "vintage \(latest.id) (\(latest.label))")
  }

  /// The first vintage with this label, if any (`ingest` and `data import`
  /// refuse a label that is taken).
  public func vintage(label: String) throws -> Vintage? {
    try queue.read { db in try Self.vintage(db, label: label) }
  }

  static func vintage(_ db: Database, label: String) throws -> Vintage? {
    try Row.fetchOne(db, sql: "SELECT * FROM vintage WHERE label = ? ORDER BY id LIMIT 1", arguments: [label]).map(Self.vintage(row:))
  }

  /// The vintage with this fingerprint, if the store holds one.
  public func vintage(fingerprint: String) throws -> Vintage? {
    try queue.read { db in try Self.vintage(db, fingerprint: fingerprint) }
  }

  static func vintage(_ db: Database, fingerprint: String) throws -> Vintage? {
    try Row.fetchOne(db, sql: "SELECT * FROM vintage WHERE fingerprint = ?", arguments: [fingerprint]).map(Self.vintage(row:))
  }

  static func vintage(row: Row) -> Vintage {
    Vintage(id: row["id"], label: row["label"], ingestedAt: row["ingested_at"], fingerprint: row["fingerprint"],
            dataPath: row["data_path"], origin: row["origin"] ?? "folder")
  }

  // MARK: - Queries

  public func vintages() throws -> [Vintage] {
    try queue.read { db in try Row.fetchAll(db, sql: "SELECT * FROM vintage ORDER BY id").map(Self.vintage(row:)) }
  }

  public func files(vintage: Int64) throws -> [SourceFile] {
    try queue.read { db in
      try Row.fetchAll(db, sql: "SELECT * FROM source_file WHERE vintage_id = ? ORDER BY name", arguments: [vintage]).map {
        SourceFile(name: $0["name"], sha256: $0["sha256"], bytes: $0["bytes"], rows: $0["rows"])
      }
    }
  }

  public func indicatorIDs(vintage: Int64) throws -> [String] {
    try queue.read { db in
      try String.fetchAll(db, sql: "SELECT id FROM indicator WHERE vintage_id = ? ORDER BY id", arguments: [vintage])
    }
  }

  /// Stored values of a vintage, optionally for one indicator or area.
  public func values(vintage: Int64, indicator: String? = nil, area: String? = nil) throws -> [IndicatorValue] {
    var sql = "SELECT * FROM indicator_value WHERE vintage_id = ?"
    var args: [(any DatabaseValueConvertible)?] = [vintage]
    if let indicator { sql += " AND indicator_id = ?"; args.append(indicator) }
    if let area { sql += " AND area_code = ?"; args.append(area) }
    sql += " ORDER BY indicator_id, level, area_code, time_period"
    return try queue.read { db in
      try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)).map { r in
        let kind = TimePeriod.Kind(rawValue: r["period_kind"]) ?? .reportingYear
        let period = TimePeriod(code: r["time_period"], identifier: kind.rawValue)
          ?? TimePeriod(code: r["time_period"])!
        return IndicatorValue(
          indicatorID: r["indicator_id"], level: GeographicLevel(rawValue: r["level"]) ?? .localAuthority,
          areaCode: r["area_code"], oldCode: r["old_code"], name: r["area_name"], period: period,
          value: r["value"], numerator: r["numerator"], denominator: r["denominator"], published: r["published"],
          status: ValueStatus(code: r["status"]) ?? .missing(.empty), fromPublished: r["from_published"],
          pupilCounts: PupilCounts.stored(pupils: r["pupils"], effectiveDenominator: r["effective_denominator"]))
      }
    }
  }

  /// Edits one stored value (for building test vintages and corrections).
  public func updateValue(vintage: Int64, indicator: String, area: String, period: String, value: Double?) throws {
    try queue.write { db in
      try db.execute(sql: """
        UPDATE indicator_value SET value = ? WHERE vintage_id = ? AND indicator_id = ? AND area_code = ? AND time_period = ?
        """, arguments: [value, vintage, indicator, area, period])
    }
  }
}
