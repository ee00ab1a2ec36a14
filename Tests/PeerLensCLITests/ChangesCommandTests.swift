import Foundation
import Testing
import PeerLensData
import _PeerLensTestSupport

/// `changes` only reads the store it compares: a file named by mistake is
/// refused and left as it was, never turned into a store.
@Suite(.serialized) struct ChangesCommandTests {
  /// `changes --store notes.txt` on an empty notes.txt made it a 49 KB
  /// SQLite database, then said the store had 0 vintages. Now the empty
  /// file gets the answer a text file gets, "is not a PeerLens store", and
  /// both keep their bytes (another program's database: `StoreSafetyTests`).
  @Test func aFileThatIsNotAStoreIsRefusedAndLeftAsItWas() throws {
    let folder = URL(fileURLWithPath: temporaryPath("-changes"))
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let empty = folder.appendingPathComponent("notes.txt")
    FileManager.default.createFile(atPath: empty.path, contents: Data())
    let text = folder.appendingPathComponent("notes.md")
    try Data(String(repeating: "new_la_code,value\nE06000001,1\n", count: 200).utf8).write(to: text)
    for file in [empty, text] {
      let before = try Data(contentsOf: file)
      let error = try #require(try runCapturing(["changes", "--store", file.path]).error, "\(file.lastPathComponent)")
      let message = error.localizedDescription
      #expect(message.hasPrefix("\(file.path) is not a PeerLens store"), "\(message)")
      #expect(try Data(contentsOf: file) == before, "\(file.lastPathComponent) was written to")
    }
  }
}
