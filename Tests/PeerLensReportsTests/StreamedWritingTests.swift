import Foundation
import Testing
import PeerLensAnalysis
import PeerLensData
@testable import PeerLensReports
import _PeerLensTestSupport

/// Issue 18.3 (memory): values.csv is written a line at a time and the
/// parsed source files are let go before the pages are written; neither
/// may change a byte of what is written.
@Suite struct StreamedWritingTests {
  static func folder() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("streamed-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
  }

  @Test func streamedTextIsTheTextAcrossBufferBoundaries() throws {
    let dir = try Self.folder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let url = dir.appendingPathComponent("big.csv")
    // Pieces of varied length, multi-byte letters among them, past the
    // 1 MiB buffer several times.
    var expected = ""
    let pieces = (0..<150_000).map { k in "\(k),Île-de-\(String(repeating: "é", count: k % 7)),\(k * k)\n" }
    for p in pieces { expected += p }
    #expect(expected.utf8.count > 3 << 20)
    try AtomicFile.write(to: url) { append in for p in pieces { try append(p) } }
    #expect(try Data(contentsOf: url) == Data(expected.utf8))
    // The in-memory path writes the same bytes.
    let other = dir.appendingPathComponent("whole.csv")
    try AtomicFile.write(expected, to: other)
    #expect(try Data(contentsOf: other) == Data(expected.utf8))
  }

  struct Interrupted: Error {}

  @Test func aFailedWriteLeavesThePreviousFileAndNoTemporaryFile() throws {
    let dir = try Self.folder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let url = dir.appendingPathComponent("values.csv")
    try AtomicFile.write("previous\n", to: url)
    #expect(throws: Interrupted.self) {
      try AtomicFile.write(to: url) { append in
        for k in 0..<200_000 { try append("line \(k)\n") }
        throw Interrupted()
      }
    }
    #expect(try String(contentsOf: url, encoding: .utf8) == "previous\n")
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["values.csv"])
  }

  @Test func valuesWrittenLineByLineAreTheRenderedTable() throws {
    let run = try Fixtures.real.get()
    let builder = PackBuilder(run: run, software: "PeerLens test")
    let extras = builder.valuesExtraRows()
    let dir = try Self.folder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let url = dir.appendingPathComponent("values.csv")
    try ValuesTable.write(run, extras: extras, rankIntervals: builder.rankIntervals, to: url)
    let rendered = ValuesTable.render(run, extras: extras, rankIntervals: builder.rankIntervals)
    let written = try Data(contentsOf: url)
    #expect(written.count > 1_000_000)
    #expect(written == Data(rendered.utf8))
  }

  @Test func releasedFilesAreReadAgainTheSame() throws {
    let mirror = DataMirror(root: TestData.data)
    let name = try #require(try mirror.eesFileNames().first)
    let before = try mirror.eesFile(name)
    mirror.releaseFiles()
    let after = try mirror.eesFile(name)
    #expect(after.table.cells == before.table.cells && after.rows.count == before.rows.count)
  }
}
