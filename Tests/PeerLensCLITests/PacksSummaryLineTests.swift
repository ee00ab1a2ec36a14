import Testing
@testable import PeerLensCLI

/// The last line of `packs` counts what it wrote in words, singular and
/// plural as the numbers need, as the index page does.
@Suite struct PacksSummaryLineTests {
  @Test func countsInWords() {
    #expect(PacksCommand.summaryLine(authorities: 153, regions: 9, england: true, out: "out/packs", seconds: 10.44)
      == "Wrote 153 authority packs, 9 regional packs, the England pack and values.csv to out/packs in 10.4 s.")
    #expect(PacksCommand.summaryLine(authorities: 1, regions: 0, england: false, out: "o", seconds: 0.31)
      == "Wrote 1 authority pack, 0 regional packs and values.csv to o in 0.3 s.")
  }
}
