import Foundation
import Testing
import PeerLensReports

/// A run's output replaces the previous one as a whole.
@Suite struct StagedOutputTests {
  let fm = FileManager.default

  func scratch() throws -> URL {
    let u = fm.temporaryDirectory.appendingPathComponent("peerlens-staged-\(UUID().uuidString)")
    try fm.createDirectory(at: u, withIntermediateDirectories: true)
    return u
  }

  func text(_ u: URL) -> String? { try? String(contentsOf: u, encoding: .utf8) }

  @Test func untilCommitTheTargetIsUntouchedThenItIsTheNewRun() throws {
    let root = try scratch()
    defer { try? fm.removeItem(at: root) }
    let out = root.appendingPathComponent("out")
    try fm.createDirectory(at: out.appendingPathComponent("authorities"), withIntermediateDirectories: true)
    try AtomicFile.write("old A", to: out.appendingPathComponent("authorities/a.html"))
    try AtomicFile.write("old B", to: out.appendingPathComponent("authorities/b.html"))

    let staged = try StagedOutput.begin(target: out)
    // The staging folder starts as the previous output…
    #expect(text(staged.staging.appendingPathComponent("authorities/b.html")) == "old B")
    // …and writing into it leaves the target as it was.
    try AtomicFile.write("new A", to: staged.staging.appendingPathComponent("authorities/a.html"))
    try AtomicFile.write("new C", to: staged.staging.appendingPathComponent("authorities/c.html"))
    #expect(text(out.appendingPathComponent("authorities/a.html")) == "old A")
    #expect(!fm.fileExists(atPath: out.appendingPathComponent("authorities/c.html").path))

    try staged.commit()
    #expect(text(out.appendingPathComponent("authorities/a.html")) == "new A")
    #expect(text(out.appendingPathComponent("authorities/b.html")) == "old B")
    #expect(text(out.appendingPathComponent("authorities/c.html")) == "new C")
    #expect(try fm.contentsOfDirectory(atPath: root.path) == ["out"])
  }

  /// What a run owns (`replacing`) is not carried over, so an earlier
  /// run's packs go as a whole; anything else in the folder stays.
  @Test func aRunsOwnEntriesAreReplacedAndOtherFilesKept() throws {
    let root = try scratch()
    defer { try? fm.removeItem(at: root) }
    let out = root.appendingPathComponent("out")
    try fm.createDirectory(at: out.appendingPathComponent("authorities"), withIntermediateDirectories: true)
    try AtomicFile.write("old A", to: out.appendingPathComponent("authorities/a.html"))
    try AtomicFile.write("old B", to: out.appendingPathComponent("authorities/b.html"))
    try AtomicFile.write("old index", to: out.appendingPathComponent("index.html"))
    try AtomicFile.write("mine", to: out.appendingPathComponent("notes.txt"))

    let staged = try StagedOutput.begin(target: out, replacing: ["authorities", "index.html"])
    try fm.createDirectory(at: staged.staging.appendingPathComponent("authorities"), withIntermediateDirectories: true)
    try AtomicFile.write("new A", to: staged.staging.appendingPathComponent("authorities/a.html"))
    try AtomicFile.write("new index", to: staged.staging.appendingPathComponent("index.html"))
    // Until the commit the earlier run is whole.
    #expect(text(out.appendingPathComponent("authorities/b.html")) == "old B")
    try staged.commit()
    #expect(try fm.contentsOfDirectory(atPath: out.appendingPathComponent("authorities").path) == ["a.html"])
    #expect(text(out.appendingPathComponent("authorities/a.html")) == "new A")
    #expect(text(out.appendingPathComponent("index.html")) == "new index")
    #expect(text(out.appendingPathComponent("notes.txt")) == "mine")
  }

  @Test func aFirstRunCreatesTheTarget() throws {
    let root = try scratch()
    defer { try? fm.removeItem(at: root) }
    let out = root.appendingPathComponent("new/out")
    let staged = try StagedOutput.begin(target: out)
    try AtomicFile.write("x", to: staged.staging.appendingPathComponent("values.csv"))
    try staged.commit()
    #expect(text(out.appendingPathComponent("values.csv")) == "x")
  }

  @Test func staleStagingFromADeadRunIsClearedAndAFailedRunLeavesNothing() throws {
    let root = try scratch()
    defer { try? fm.removeItem(at: root) }
    let out = root.appendingPathComponent("out")
    // A staging folder of a process that no longer exists (pid 2^22 + 1 is above Linux's pid_max default).
    let stale = root.appendingPathComponent(".out.staging-4194305-deadbeef")
    try fm.createDirectory(at: stale, withIntermediateDirectories: true)
    let staged = try StagedOutput.begin(target: out)
    #expect(!fm.fileExists(atPath: stale.path))
    staged.abandon()
    #expect(try fm.contentsOfDirectory(atPath: root.path).isEmpty)
  }

  @Test func aFileInPlaceOfTheFolderIsRefused() throws {
    let root = try scratch()
    defer { try? fm.removeItem(at: root) }
    let out = root.appendingPathComponent("out")
    try AtomicFile.write("not a folder", to: out)
    #expect(throws: StagedOutputError.self) { try StagedOutput.begin(target: out) }
    #expect(text(out) == "not a folder")
  }
}
