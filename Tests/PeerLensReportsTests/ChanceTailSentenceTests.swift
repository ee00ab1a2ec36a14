import Foundation
import Testing
import PeerLensReports
import _PeerLensTestSupport

/// A point drawn beyond a funnel line that its exact chance does not
/// reach says so beside its flag (`Phrases.chanceTail`), so the chart's
/// dot beyond the line and the words below it do not contradict.
@Suite struct ChanceTailSentenceTests {
  @Test func theIslesOfScillysAgencyRateSaysWhyItIsNotBeyondTheLineItCrosses() throws {
    let run = try Fixtures.real.get()
    let pack = try PackBuilder(run: run, software: "PeerLens test").authorityPack(code: "E06000053")
    let agency = try #require(pack.indicators.first { $0.id == "sw_agency_rate_pct" })
    #expect(agency.funnelFlag == "above_95")
    #expect(agency.sentence.contains("above the 95% limit, inside the 99.8% limit. Its point is drawn beyond the 99.8% line"),
            "\(agency.sentence)")
    #expect(agency.sentence.contains("more than the line's 0.1%, so it is not called outside that limit."))
    // An authority of ordinary size has no such sentence anywhere.
    let kent = try PackBuilder(run: run, software: "PeerLens test").authorityPack(code: "E10000016")
    #expect(!kent.indicators.contains { $0.sentence.contains("Its point is drawn beyond") })
  }
}
