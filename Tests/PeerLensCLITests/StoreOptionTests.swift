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
