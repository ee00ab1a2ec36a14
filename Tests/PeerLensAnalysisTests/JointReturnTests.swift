import Foundation
import Testing
@testable import PeerLensAnalysis
@testable import PeerLensData
import PeerLensStatistics

/// Joint workforce returns (issue 22.3): one row for two authorities is
/// each authority's figure, counted once in ranks, bands and neighbour
/// summaries.
@Suite struct JointReturnTests {
  typealias T = OfficialToolSummaryTests

  static func joint(_ id: String, value x: Double) -> IndicatorValue {
    IndicatorValue(indicatorID: id, level: .localAuthority, areaCode: "J1 / J2", oldCode: "901 / 902",
                   name: "Joint One / Joint Two", period: TimePeriod(code: "2025")!, value: x, numerator: nil,
                   denominator: nil, published: x, status: .ok, fromPublished: false)
  }

  /// "A" has both joint authorities and two others as neighbours:
  /// values 10 (joint), 20, 30. Counted once, the median of 10, 20, 30 is
  /// 20; counted twice (10, 10, 20, 30) it would be 15.
  @Test func theJointFigureIsEachAuthoritysAndCountsOnce() throws {
    let ind = try T.indicator("pct")
    let p = TimePeriod(code: "2025")!
    let values = [Self.joint(ind.id, value: 10), T.value(ind.id, "B", value: 20, published: 20),
                  T.value(ind.id, "C", value: 30, published: 30), T.value(ind.id, "A", value: 25, published: 25)]
    let official = ["A": ["J1", "J2", "B", "C"].map { (code: $0, band: "Close") }]
    let mirror = DataMirror(root: URL(fileURLWithPath: NSTemporaryDirectory()))
    let engine = ContextEngine(mirror: mirror, catalogue: try IndicatorCatalogue.parse(T.catalogueText, source: "t"))
    let bench = try NationalRun.bench(ind, values: values, spec: nil, engine: engine, official: official, period: nil)
    // Each authority of the joint return has the joint figure, under its own name.
    #expect(bench.value("J1", p)?.value == 10 && bench.value("J2", p)?.value == 10)
    #expect(bench.value("J1", p)?.name == "Joint One" && bench.value("J2", p)?.oldCode == "902")
    #expect(bench.local["J1 / J2"] == nil)
    #expect(bench.jointReturn("J1", p) == "J1 / J2" && bench.jointPartners("J2", p) == ["J1"])
    let s = try #require(bench.neighbourSummary["A"]?[p])
    #expect(s.median == 20 && s.count == 3 && s.leftOut == 0)
    #expect(abs(s.mean - 20) < 1e-9)
    // Ranks among four returns (lower is better): joint 1, B 2, A 3, C 4.
    #expect(bench.rank[p]?["J1"] == 1 && bench.rank[p]?["J2"] == 1)
    #expect(bench.rank[p]?["B"] == 2 && bench.rank[p]?["A"] == 3 && bench.rank[p]?["C"] == 4)
    #expect(bench.quartileBand[p]?["J1"] == bench.quartileBand[p]?["J2"])
    #expect(bench.countedOnce(["A", "J1", "J2", "B"], p) == ["A", "J1", "B"])
    #expect(bench.countedOnce(["J2", "C"], p) == ["J2", "C"])
  }

  /// An authority's own row wins over a joint row for the same period.
  @Test func anAuthoritysOwnRowWins() throws {
    let ind = try T.indicator("pct")
    let p = TimePeriod(code: "2025")!
    let values = [T.value(ind.id, "J1", value: 40, published: 40), Self.joint(ind.id, value: 10)]
    let mirror = DataMirror(root: URL(fileURLWithPath: NSTemporaryDirectory()))
    let engine = ContextEngine(mirror: mirror, catalogue: try IndicatorCatalogue.parse(T.catalogueText, source: "t"))
    let bench = try NationalRun.bench(ind, values: values, spec: nil, engine: engine, official: [:], period: nil)
    #expect(bench.value("J1", p)?.value == 40 && bench.jointReturn("J1", p) == nil)
    #expect(bench.value("J2", p)?.value == 10 && bench.jointReturn("J2", p) == "J1 / J2")
    // J2 alone shows the joint figure, so it is counted (under J2) with J1's own.
    #expect(bench.countsInSummaries("J2", p) && bench.rank[p]?["J2"] == 1 && bench.rank[p]?["J1"] == 2)
  }
}
