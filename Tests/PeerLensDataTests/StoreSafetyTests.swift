import Foundation
import GRDB
import Testing
import PeerLensData
import _PeerLensTestSupport

/// The store refuses files it cannot trust, lets concurrent writers take
/// turns, and fingerprints whole indicator definitions (issues 16.4, 21.5).
@Suite(.serialized) struct StoreSafetyTests {
  @Test func aFileThatIsNotSQLiteIsRefusedAndLeftAlone() throws {
    let path = temporaryPath(".sqlite")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let text = String(repeating: "new_la_code,value\nE06000001,1\n", count: 200)
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    #expect {
      _ = try ReleaseStore(path: path)
    } throws: { error in
      guard case StoreError.notAStore(let p, _) = error else { return false }
      return p == path && error.localizedDescription.contains("is not a PeerLens store")
    }
    #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
  }

  /// Opened only to read, an empty file or another program's SQLite
  /// database is refused as not a store and left byte for byte as it was;
  /// opened to write, SQLite made the empty file a 49 KB store.
  @Test func readingNeverTurnsAFileIntoAStore() throws {
    let empty = temporaryPath(".txt")
    let foreign = temporaryPath(".sqlite")
    defer { for p in [empty, foreign] { try? FileManager.default.removeItem(atPath: p) } }
    FileManager.default.createFile(atPath: empty, contents: Data())
    let other = try DatabaseQueue(path: foreign)
    try other.write { db in try db.execute(sql: "CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('hello')") }
    try other.close()
    for (path, isEmpty) in [(empty, true), (foreign, false)] {
      let before = try Data(contentsOf: URL(fileURLWithPath: path))
      #expect {
        _ = try ReleaseStore(path: path, access: .readOnly)
      } throws: { error in
        error as? StoreError == .noStoreTables(path: path, isEmpty: isEmpty)
          && error.localizedDescription.hasPrefix("\(path) is not a PeerLens store")
      }
      #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before, "\(path)")
    }
    // The data directory's store is read the same way.
    let home = URL(fileURLWithPath: temporaryPath("-home"))
    defer { try? FileManager.default.removeItem(at: home) }
    try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    let library = DataLibrary(root: home)
    FileManager.default.createFile(atPath: library.storePath, contents: Data())
    #expect(throws: StoreError.noStoreTables(path: library.storePath, isEmpty: true)) { try library.store() }
    #expect(try Data(contentsOf: URL(fileURLWithPath: library.storePath)).isEmpty)
  }

  /// A store written by this PeerLens reads the same opened read-only.
  @Test func aStoreOpensReadOnly() throws {
    let path = temporaryPath(".sqlite")
    defer { try? FileManager.default.removeItem(atPath: path) }
    _ = try ReleaseStore(path: path)
    let before = try Data(contentsOf: URL(fileURLWithPath: path))
    #expect(try ReleaseStore(path: path, access: .readOnly).vintages().isEmpty)
    #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
  }

  @Test func aStoreFromANewerPeerLensIsRefusedUnchanged() throws {
    let path = temporaryPath(".sqlite")
    defer { try? FileManager.default.removeItem(atPath: path) }
    _ = try ReleaseStore(path: path)
    // A later version's migration, as GRDB records it.
    let queue = try DatabaseQueue(path: path)
    try queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-future')") }
    try queue.close()
    let before = try Data(contentsOf: URL(fileURLWithPath: path))
    #expect {
      _ = try ReleaseStore(path: path)
    } throws: { error in
      error as? StoreError == .newerSchema(path: path, migration: "v99-future")
        && error.localizedDescription.contains("newer PeerLens")
    }
    #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
  }

  /// Two ingests started together into one new store: both finish (the
  /// second waits for the first), one vintage, nothing lost.
  @Test func concurrentIngestsTakeTurns() throws {
    let catalogue = try MirrorTests.catalogue()
    let path = temporaryPath(".sqlite")
    defer { try? FileManager.default.removeItem(atPath: path) }
    final class Box: @unchecked Sendable {
      let lock = NSLock()
      var results: [Result<ReleaseStore.IngestOutcome, any Error>] = []
    }
    let box = Box()
    DispatchQueue.concurrentPerform(iterations: 2) { _ in
      let r = Result { try ReleaseStore(path: path).ingest(mirror: DataMirror(root: TestData.data), catalogue: catalogue) }
      box.lock.lock(); box.results.append(r); box.lock.unlock()
    }
    let outcomes = try box.results.map { try $0.get() }
    // One created the vintage; the other found it.
    #expect(outcomes.filter { if case .created = $0 { true } else { false } }.count == 1)
    #expect(outcomes.count == 2)
    let store = try ReleaseStore(path: path)
    #expect(try store.vintages().count == 1)
    let v = try #require(store.vintages().first)
    #expect(try store.values(vintage: v.id, indicator: "cla_rate").count > 700)
  }

  /// Changing an indicator's unit or filters is a new vintage, not "no change".
  @Test func theFingerprintCoversTheWholeDefinition() throws {
    let catalogue = try MirrorTests.catalogue()
    let mirror = DataMirror(root: TestData.data)
    let (base, _) = try ReleaseStore.fingerprint(mirror: mirror, catalogue: catalogue)
    let url = TestData.packageRoot.appendingPathComponent("Models/indicators.toml")
    let text = try String(contentsOf: url, encoding: .utf8)
    for (from, to) in [("unit = \"rate_per_10000\"", "unit = \"count\""), ("\"Children looked after on 31 March each year\"", "\"Children starting to be looked after each year\"")] {
      let edited = try #require(text.range(of: from)).lowerBound
      let changed = text.replacingCharacters(in: edited..<text.index(edited, offsetBy: from.count), with: to)
      let file = temporaryPath(".toml")
      defer { try? FileManager.default.removeItem(atPath: file) }
      try changed.write(toFile: file, atomically: true, encoding: .utf8)
      let other = try IndicatorCatalogue.load(from: URL(fileURLWithPath: file))
      let (fp, _) = try ReleaseStore.fingerprint(mirror: mirror, catalogue: other)
      #expect(fp != base, "\(from) → \(to)")
    }
  }
}

/// Naming a vintage before any import says why there is none and what to
/// do, for the `--vintage 1` the README gives as "the data before".
@Suite struct VintageBeforeImportTests {
  @Test func vintageOneBeforeAnyImportSaysTheEmbeddedDataIsRead() throws {
    let home = FileManager.default.temporaryDirectory.appendingPathComponent("vintage-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: home) }
    let library = DataLibrary(root: home)
    #expect(try library.mirror(vintage: nil) == nil)
    let error = try #require(throws: ImportError.self) { try library.mirror(vintage: "1") }
    #expect(error == .unknownVintage("1", available: []))
    let text = try #require(error.errorDescription)
    #expect(text.contains("leave out --vintage"))
    #expect(text.contains("records the data in use before it as vintage 1"))
  }
}
