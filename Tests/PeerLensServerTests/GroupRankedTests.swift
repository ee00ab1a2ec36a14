import Foundation
import HummingbirdTesting
import PeerLensAnalysis
import PeerLensServer
import Testing

/// `group_ranked` counts the figures actually ranked: 0 for an indicator
/// without polarity (it said 153 for `group=all` of referral_rate, which is
/// never ranked), the whole group for one with polarity.
@Suite struct GroupRankedTests {
  static let wigan = "E08000035"

  @Test func anUnrankedIndicatorRanksNothing() async throws {
    let json = try Fixtures.json(try await Fixtures.get("/api/indicator/referral_rate?la=\(Self.wigan)&group=all"))
    let rows = try require(json["rows"] as? [[String: Any]], "rows")
    #expect(rows.count > 100)
    for row in rows {
      #expect(row["group_ranked"] as? Int == 0, "\(row["new_la_code"] ?? "?"): \(row["group_ranked"] ?? "absent")")
      #expect(row["group_rank"] is NSNull)
    }
  }

  @Test func theAuthorityViewCountsOnlyRankedIndicators() async throws {
    let run = try Fixtures.run.get()
    let json = try Fixtures.json(try await Fixtures.get("/api/authority/\(Self.wigan)?group=all"))
    let rows = try require(json["rows"] as? [[String: Any]], "rows")
    var ranked = 0
    for row in rows {
      let id = try require(row["indicator_id"] as? String)
      let bench = try require(run.indicators.first { $0.indicator.id == id })
      let count = try require(row["group_ranked"] as? Int, "group_ranked of \(id)")
      if bench.indicator.polarity == .noJudgement {
        #expect(count == 0, "\(id) has no polarity but \(count) ranked")
      } else if row["group_rank"] is Int {
        #expect(count >= GroupFigures.minimumRanked, "\(id)")
        ranked += 1
      }
    }
    #expect(ranked > 20)
  }
}
