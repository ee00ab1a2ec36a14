import Foundation
import Testing
import PeerLensData
import ZIPFoundation
import _PeerLensTestSupport

/// Inputs shaped wrong in ways a message should name: a ZIP of empty
/// folders (it said "it is empty"), and a file named `dfe` where a data
/// folder's `dfe/` folder should be (every file in it was "missing").
@Suite(.serialized) struct FolderShapeTests {
  @Test func aZIPOfFoldersOnlyNamesItsFolders() throws {
    let zip = URL(fileURLWithPath: temporaryPath(".zip"))
    defer { try? FileManager.default.removeItem(at: zip) }
    let archive = try Archive(url: zip, accessMode: .create)
    for folder in ["data/", "data/sub/"] {
      try archive.addEntry(with: folder, type: .directory, uncompressedSize: Int64(0)) { _, _ in Data() }
    }
    let home = temporaryPath("-home")
    defer { try? FileManager.default.removeItem(atPath: home) }
    let error = try #require(try runCapturing(["data", "import", zip.path, "--data-home", home]).error)
    let text = error.localizedDescription
    #expect(text.contains("has no CSV file (it holds only folders: 'data/', 'data/sub/')"), "\(text)")
  }

  @Test func aFileWhereTheDfEFolderShouldBeIsNamed() throws {
    let root = URL(fileURLWithPath: temporaryPath("-data"))
    defer { try? FileManager.default.removeItem(at: root) }
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    try Data("not a folder".utf8).write(to: root.appendingPathComponent("dfe"))
    for arguments in [["data", "check", "--data", root.path], ["values", "--data", root.path, "--indicator", "cla_rate"]] {
      let error = try #require(try runCapturing(arguments).error, "\(arguments)")
      #expect(error.localizedDescription == "\(root.path)/dfe is a file, not a folder: a data folder's dfe/ is a folder holding the DfE CSV files.",
              "\(arguments): \(error.localizedDescription)")
    }
    // A folder that is simply absent is still "missing".
    try FileManager.default.removeItem(at: root.appendingPathComponent("dfe"))
    let missing = try #require(try runCapturing(["values", "--data", root.path, "--indicator", "cla_rate"]).error)
    #expect(missing.localizedDescription.hasPrefix("Missing data file:"), "\(missing.localizedDescription)")
  }
}
