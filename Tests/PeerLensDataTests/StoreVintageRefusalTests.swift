import Foundation
import GRDB
import Testing
import PeerLensData
import _PeerLensTestSupport

/// What the store refuses rather than store somewhere no one can see, or
/// answer with "no change" when the data in use would then be wrong.
@Suite(.serialized) struct StoreVintageRefusalTests {
  /// The test data with one referral count changed to `count`: a release
  /// that differs from the test data, as a revision would.
  func revised(_ count: String) throws -> TemporaryMirror {
    let name = "dfe/c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv"
    var lines = try String(contentsOf: TestData.data.appendingPathComponent(name), encoding: .utf8).components(separatedBy: "\n")
    let column = try #require(lines[0].components(separatedBy: ",").firstIndex(of: "referral_count"))
    var fields = lines[5].components(separatedBy: ",")
    fields[column] = count
    lines[5] = fields.joined(separator: ",")
    return try TemporaryMirror(replacing: [name: lines.joined(separator: "\n")])
  }

  @Test func anEmptyPathIsNotATemporaryStore() {
    #expect(throws: StoreError.emptyPath) { try ReleaseStore(path: "") }
    #expect(StoreError.emptyPath.localizedDescription.contains("path is empty"))
  }

  @Test func anotherProgramsDatabaseIsLeftAsItWas() throws {
    let path = temporaryPath(".sqlite")
    defer { try? FileManager.default.removeItem(atPath: path) }
    try DatabaseQueue(path: path).write { db in try db.execute(sql: "CREATE TABLE foo (x)") }
    #expect(throws: StoreError.foreignDatabase(path: path, table: "foo")) { try ReleaseStore(path: path) }
    let tables = try DatabaseQueue(path: path).read { db in
      try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name")
    }
    #expect(tables == ["foo"])
    // A new file, and an empty one, still become stores.
    let fresh = temporaryPath(".sqlite")
    defer { try? FileManager.default.removeItem(atPath: fresh) }
    #expect(try ReleaseStore(path: fresh).vintages().isEmpty)
    FileManager.default.createFile(atPath: fresh + "-empty", contents: Data())
    defer { try? FileManager.default.removeItem(atPath: fresh + "-empty") }
    #expect(try ReleaseStore(path: fresh + "-empty").vintages().isEmpty)
  }

  @Test func filesOfAnEarlierVintageAndATakenLabelAreRefused() throws {
    let catalogue = try MirrorTests.catalogue()
    let path = temporaryPath(".sqlite")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let store = try ReleaseStore(path: path)
    let first = try store.ingest(mirror: DataMirror(root: TestData.data), catalogue: catalogue, label: "first").vintage
    let second = try revised("12345")
    defer { second.remove() }
    let v2 = try store.ingest(mirror: DataMirror(root: second.root), catalogue: catalogue, label: "second")
    guard case .created(let latest) = v2 else { Issue.record("expected a new vintage"); return }

    // The latest again is no change.
    #expect(try store.ingest(mirror: DataMirror(root: second.root), catalogue: catalogue) == .unchanged(latest))
    // The first again is not: the second would stay the data in use.
    #expect(throws: StoreError.matchesEarlierVintage(path: path, match: "vintage \(first.id) (first)",
                                                     latest: "vintage \(latest.id) (second)")) {
      try store.ingest(mirror: DataMirror(root: TestData.data), catalogue: catalogue)
    }
    // A third release under a label already taken.
    let third = try revised("12346")
    defer { third.remove() }
    #expect(throws: StoreError.labelTaken(path: path, label: "first", vintage: first.id)) {
      try store.ingest(mirror: DataMirror(root: third.root), catalogue: catalogue, label: "first")
    }
    #expect(try store.vintages().map(\.id) == [first.id, latest.id])
    #expect(StoreError.labelTaken(path: path, label: "first", vintage: first.id).localizedDescription
      .contains("already has a vintage labelled 'first' (vintage \(first.id))"))
  }
}
