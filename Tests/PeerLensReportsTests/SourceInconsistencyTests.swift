import Foundation
import Testing
@testable import PeerLensData
@testable import PeerLensReports
import _PeerLensTestSupport

/// Issue 21, item 4: a pack marks a figure whose own counts contradict it
/// (Hartlepool's 2025 count edited to 3,320 beside a published rate of 157).
@Suite struct SourceInconsistencyTests {
  static func claRate() throws -> Indicator {
    let catalogue = try IndicatorCatalogue.load(from: TestData.packageRoot.appendingPathComponent("Models/indicators.toml"))
    return try #require(catalogue.indicator(id: "cla_rate"))
  }

  static func hartlepool(count: Double) -> IndicatorValue {
    IndicatorValue(indicatorID: "cla_rate", level: .localAuthority, areaCode: "E06000001", oldCode: "805", name: "Hartlepool",
                   period: TimePeriod(code: "2025")!, value: 157, numerator: count, denominator: 21090,
                   published: 157, status: .ok, fromPublished: false)
  }

  @Test func aCountThatContradictsItsRateIsMarked() throws {
    let ind = try Self.claRate()
    let note = try #require(PackBuilder.sourceInconsistency(Self.hartlepool(count: 3320), among: [], indicator: ind, registry: nil))
    #expect(note.contains("Inconsistent at source"), "\(note)")
    #expect(note.contains("3,320") && note.contains("21,090") && note.contains("1,574") && note.contains("157"), "\(note)")
  }

  @Test func theCountAsPublishedIsNotMarked() throws {
    // 332 of 21,090 is 157.4 per 10,000: 157 at the published precision.
    #expect(PackBuilder.sourceInconsistency(Self.hartlepool(count: 332), among: [], indicator: try Self.claRate(), registry: nil) == nil)
  }

  /// The pack builder finds each indicator's revisions once, among every
  /// authority's latest value; a note made from them is the note made from
  /// the values themselves, for authorities in the pool and one outside it.
  @Test func revisionsFoundOnceGiveTheSameNotes() throws {
    let ind = try Self.claRate()
    func value(_ code: String, count: Double, published: Double) -> IndicatorValue {
      IndicatorValue(indicatorID: "cla_rate", level: .localAuthority, areaCode: code, oldCode: "", name: code,
                     period: TimePeriod(code: "2025")!, value: published, numerator: count, denominator: 10000,
                     published: published, status: .ok, fromPublished: false)
    }
    let pool = [Self.hartlepool(count: 3320), value("E06000002", count: 90, published: 90), value("E06000003", count: 120, published: 80)]
    let revisions = PackBuilder.revisions(among: pool, indicator: ind, registry: nil)
    #expect(Set(revisions.keys) == ["E06000001", "E06000003"])
    let outsider = value("E06000004", count: 50, published: 70)
    var notes = 0
    for v in pool + [outsider] {
      let slow = PackBuilder.sourceInconsistency(v, among: pool, indicator: ind, registry: nil)
      let fast = PackBuilder.sourceInconsistency(v, among: pool, indicator: ind, registry: nil, revisions: revisions)
      #expect(slow == fast, "\(v.areaCode)")
      if fast != nil { notes += 1 }
    }
    #expect(notes == 3)  // Hartlepool, E06000003 and the outsider
  }
}
