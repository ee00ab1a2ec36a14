import Foundation
import Testing
import PeerLensCLI
import _PeerLensTestSupport

/// `--store ""` (an unset shell variable) is refused by every command that
/// takes a store: SQLite reads an empty name as a temporary database, and
/// `ingest` said "Stored vintage 1 … in ." of a store that was nowhere.
@Suite struct StoreOptionTests {
  @Test(arguments: [["ingest", "--store", ""], ["changes", "--store", ""], ["packs", "--store", " ", "--out", "x"]])
  func anEmptyStorePathIsRefused(arguments: [String]) {
    #expect {
      try runCommand(arguments)
    } throws: { error in
      PeerLensCommand.fullMessage(for: error).contains("--store is empty: give the path of a store file")
    }
  }
}

/// Re-ingesting the latest vintage's files under a new label stores
/// nothing, and says the label was not applied (it was dropped in silence).
@Suite struct IngestLabelTests {
  @Test func aNewLabelForUnchangedFilesIsSaidNotApplied() throws {
    let store = temporaryPath(".sqlite")
    defer { try? FileManager.default.removeItem(atPath: store) }
    _ = try runCommand(["ingest", "--data", TestData.data.path, "--store", store, "--label", "rel A"])
    let again = try runCommand(["ingest", "--data", TestData.data.path, "--store", store, "--label", "rel A2"])
    #expect(again.contains("No change") && again.contains("vintage 1 (rel A)") && again.contains("The label 'rel A2' was not applied."),
            "\(again)")
    let same = try runCommand(["ingest", "--data", TestData.data.path, "--store", store, "--label", "rel A"])
    #expect(same.contains("No change") && !same.contains("not applied"), "\(same)")
  }
}
