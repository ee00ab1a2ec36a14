import Foundation
import Testing
import PeerLensData
import _PeerLensTestSupport

/// `peerlens data agreement` (issue 14.4): computed values against DfE's
/// published figures at the published precision.
@Suite(.serialized) struct DataAgreementCommandTests {
  static func json(_ arguments: [String]) throws -> [[String: Any]] {
    let out = try runCommand(["data", "agreement"] + arguments + ["--format", "json"])
    return try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [[String: Any]])
  }

  /// On the embedded data every area's children-in-care rate for 2025,
  /// computed from the published count and population, rounds to the
  /// published rate.
  @Test func childrenInCareRate2025AgreesEverywhere() throws {
    let rows = try Self.json(["--indicator", "cla_rate"])
    let r2025 = try #require(rows.first { $0["time_period"] as? String == "2025" })
    #expect(Set(r2025.keys) == ["indicator_id", "time_period", "agree", "differ", "differences", "not_compared", "zero_denominators"])
    #expect(r2025["not_compared"] as? Int == 0)
    #expect(r2025["indicator_id"] as? String == "cla_rate")
    let agree = try #require(r2025["agree"] as? Int)
    #expect(agree >= 153, "every authority, plus regions and England")
    #expect(r2025["differ"] as? Int == 0)
    #expect((r2025["differences"] as? [Any])?.isEmpty == true)
  }

  /// A fixture with one published value edited (Middlesbrough 2025: 138 →
  /// 141) shows that one difference, with its figures and a cause, and
  /// nothing else.
  @Test func findsADeliberatelyEditedPublishedValue() throws {
    let data = TestData.fixtures.appendingPathComponent("agreement").path
    let rows = try Self.json(["--data", data, "--indicator", "cla_rate"])
    #expect(rows.map { $0["time_period"] as? String } == ["2024", "2025"])
    #expect(rows[0]["agree"] as? Int == 6 && rows[0]["differ"] as? Int == 0)
    #expect(rows[1]["agree"] as? Int == 5 && rows[1]["differ"] as? Int == 1)
    let d = try #require((rows[1]["differences"] as? [[String: Any]])?.first)
    #expect(d["area_code"] as? String == "E06000002")
    #expect(d["published_value"] as? Double == 141)
    #expect(d["computed_rounded"] as? Double == 138)
    #expect(abs((d["computed"] as? Double ?? 0) - 493.0 / 35617 * 10_000) < 1e-9)
    #expect(d["cause"] as? String == "revision")
    // Text and CSV carry the same finding.
    let text = try runCommand(["data", "agreement", "--data", data, "--indicator", "cla_rate"])
    #expect(text.contains("11 of 12 area-periods agree") && text.contains("Middlesbrough (E06000002)"))
    let csv = try CSVReader.parse(try runCommand(["data", "agreement", "--data", data, "--format", "csv"]), source: "agreement.csv")
    #expect(try csv.text("area_code").filter { !$0.isEmpty } == ["E06000002"])
  }

  /// An indicator with nothing to compare is refused with a reason.
  @Test func refusesAnIndicatorWithoutAPublishedFigure() throws {
    #expect(throws: (any Error).self) { try runCommand(["data", "agreement", "--indicator", "referral_rate"]) }
  }

  /// A difference put down to rounded counts names the rounding that
  /// applies to its indicator: children's percentages the regional counts
  /// rounded to the nearest 10, workforce figures FTEs to one decimal.
  /// The words named both for every indicator.
  @Test func roundedCountsNameTheirRounding() throws {
    func words(_ id: String) throws -> [String] {
      try Self.json(["--indicator", id]).flatMap { ($0["differences"] as? [[String: Any]]) ?? [] }
        .filter { $0["cause"] as? String == "rounded_counts" }.compactMap { $0["cause_words"] as? String }
    }
    let children = try words("cla_development_assessment_pct")
    #expect(!children.isEmpty)
    #expect(children.allSatisfy { $0.contains("nearest 10") && !$0.contains("FTE") }, "\(Set(children))")
    let workforce = try words("sw_turnover_pct")
    #expect(!workforce.isEmpty)
    #expect(workforce.allSatisfy { $0.contains("FTEs to one decimal") && !$0.contains("nearest 10") }, "\(Set(workforce))")
  }
}
