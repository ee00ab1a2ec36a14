import Foundation
import Testing
@testable import PeerLensCLI
import PeerLensData
import _PeerLensTestSupport

/// `changes` compares the store the user named, and only reads it: a file
/// named by mistake is refused and left as it was, never turned into a store.
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

  /// `--data-home DIR` (or `--store`) wins over a `peerlens.sqlite` in the
  /// current folder: `data import FILE --label L` then `changes --data-home
  /// DIR`, as `data import --help` says, read the current folder's store
  /// whenever one was there ("The store has 1 vintage(s)…"). With neither
  /// option, the current folder's store is still the default.
  @Test func anExplicitDataHomeOrStoreWinsOverTheStoreHere() throws {
    let folder = URL(fileURLWithPath: temporaryPath("-here"))
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let here = folder.appendingPathComponent("peerlens.sqlite").path
    _ = try ReleaseStore(path: here)
    let home = folder.appendingPathComponent("home").path
    #expect(ChangesCommand.storePath(file: nil, dataHome: home, localStore: here) == DataLibrary.locate(home).storePath)
    #expect(ChangesCommand.storePath(file: "other.sqlite", dataHome: nil, localStore: here) == "other.sqlite")
    #expect(ChangesCommand.storePath(file: nil, dataHome: nil, localStore: here) == here)
  }

  /// "Comparing needs two" names the store it read, so a user can see
  /// which file was compared.
  @Test func storeAndDataHomeTogetherAreRefused() throws {
    #expect { try runCommand(["changes", "--store", "a.sqlite", "--data-home", "/tmp/d"]) } throws: { error in
      "\(error)".contains("--store and --data-home each name the store to compare: give one of them.")
    }
  }

  @Test func tooFewVintagesNamesTheStore() throws {
    let home = URL(fileURLWithPath: temporaryPath("-home"))
    try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: home) }
    let store = DataLibrary.locate(home.path).storePath
    _ = try ReleaseStore(path: store)
    let error = try #require(try runCapturing(["changes", "--data-home", home.path]).error)
    let message = PeerLensCommand.message(afterRunning: error)
    #expect(message.contains("The store \(store) has 0 vintage(s); comparing needs two"), "\(message)")
  }

  /// `ingest` (a store here, one vintage), then `data import` (a second
  /// vintage in the data directory's store), then `changes`: the store
  /// here is read, and the answer names the store that has two vintages
  /// and the option that compares them, where it said "Ingest a newer
  /// release first" to a user who had just imported one.
  @Test func tooFewVintagesHereNamesTheImportsThatHaveTwo() throws {
    let folder = URL(fileURLWithPath: temporaryPath("-two-stores"))
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let here = folder.appendingPathComponent("peerlens.sqlite").path
    _ = try runCommand(["ingest", "--data", TestData.data.path, "--store", here])
    let home = folder.appendingPathComponent("home").path
    let revised = try DataConsistencyTests.mirror([DataConsistencyTests.edited("241,46,19.1", "241,47,19.5")])
    defer { revised.remove() }
    _ = try runCommand(["data", "import", revised.root.appendingPathComponent(DataConsistencyTests.file).path,
                        "--data-home", home])
    let library = DataLibrary.locate(home)
    let hint = ChangesCommand.otherStoreHint(chosen: here, storeFile: nil, dataHome: nil, localStore: here, library: library)
    #expect(hint.contains("\(library.storePath) has 2 vintages") && hint.contains("--data-home \(library.root.path)"), "\(hint)")
    // Named explicitly, the store is what the user meant: no other is offered.
    let named = ChangesCommand.otherStoreHint(chosen: here, storeFile: here, dataHome: nil, localStore: here, library: library)
    #expect(named.contains("data import") && !named.contains("has 2 vintages"), "\(named)")
  }
}
