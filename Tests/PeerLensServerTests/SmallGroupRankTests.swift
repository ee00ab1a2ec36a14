import Foundation
import HummingbirdTesting
import PeerLensAnalysis
import PeerLensServer
import Testing

/// A comparator group too small to cut into quartiles gets no rank and no
/// band (`members=E06000001` gave band D at rank 2 of 2), and each reply
/// says so, the page in words; a group of the authority alone (which gave
/// rank 1 and band A, then "custom group of 0") is refused; from `GroupFigures.minimumRanked` figures on, ranks and bands
/// are given as before.
@Suite struct SmallGroupRankTests {
  static let rutland = "E06000017"

  func rows(_ uri: String) async throws -> (reply: [String: Any], rows: [[String: Any]]) {
    let json = try Fixtures.json(try await Fixtures.get(uri))
    return (json, try require(json["rows"] as? [[String: Any]], "rows"))
  }

  @Test(arguments: ["E06000001", "E06000001,E06000002"])
  func aGroupOfFewerThanFourHasNoRankOrBand(members: String) async throws {
    let (reply, rows) = try await rows("/api/authority/\(Self.rutland)?group=custom&members=\(members)")
    #expect(rows.count > 40)
    for row in rows {
      let id = row["indicator_id"] as? String ?? "?"
      #expect((row["group_ranked"] as? Int ?? 99) < GroupFigures.minimumRanked, "\(id)")
      #expect(row["group_rank"] is NSNull, "\(id): \(row["group_rank"] ?? "absent")")
      #expect(row["group_quartile_band"] is NSNull, "\(id): \(row["group_quartile_band"] ?? "absent")")
    }
    #expect(reply["group_rank_minimum"] as? Int == 4)
    #expect((reply["group_rank_rule"] as? String)?.contains("at least 4") == true)
  }

  /// rereferral_pct has a polarity (lower is better), so it is ranked in larger groups.
  @Test func theIndicatorViewSaysSoToo() async throws {
    let (reply, rows) = try await rows("/api/indicator/rereferral_pct?la=\(Self.rutland)&group=custom&members=E06000001")
    #expect(rows.count == 2)
    for row in rows { #expect(row["group_rank"] is NSNull && row["group_quartile_band"] is NSNull, "\(row)") }
    #expect(reply["group_rank_minimum"] as? Int == 4 && reply["group_rank_rule"] is String)
  }

  @Test func aGroupOfFourIsRankedAndBanded() async throws {
    let (_, rows) = try await rows("/api/authority/\(Self.rutland)?group=custom&members=E06000001,E06000002,E06000003")
    let ranked = rows.filter { $0["group_ranked"] as? Int == 4 && $0["group_rank"] is Int && $0["group_quartile_band"] is String }
    #expect(ranked.count > 20)
  }

  @Test func theAuthorityAloneIsRefused() async throws {
    let uri = "/api/authority/\(Self.rutland)?group=custom&members=\(Self.rutland)"
    let r = try await Fixtures.get(uri)
    ExplorerBadInputTests.expectPlain(r, .badRequest, uri)
    #expect(Fixtures.text(r).contains("named only the authority itself (E06000017)"), "\(Fixtures.text(r))")
  }

  @Test func thePageSaysWhyThereIsNoRank() async throws {
    let page = Fixtures.text(try await Fixtures.get("/indicator/rereferral_pct?la=\(Self.rutland)&group=custom&members=E06000001"))
    #expect(page.contains("(no rank or band: fewer than 4 authorities, the group and this one, have a figure)"), "\(page.prefix(3000))")
  }
}
