import Foundation
import Testing
@testable import PeerLensAnalysis
@testable import PeerLensData
import PeerLensStatistics

/// Neighbour medians, averages, ranks and quartile bands as the DfE
/// dashboard and LAIT compute them (issue 14).
@Suite struct OfficialToolSummaryTests {
  static let catalogueText = """
    [[framework]]
    id = "outcome_1"
    title = "Outcome 1"

    [[indicator]]
    id = "rate"
    title = "A rate published to whole numbers"
    framework = "outcome_1"
    unit = "rate_per_10000"
    decimals = 0
    rounding = "half_up"
    polarity = "no_judgement"
    description = "Test"
    source = "t.csv"
    published = { columns = ["rate"] }

    [[indicator]]
    id = "pct"
    title = "A percentage published to one decimal"
    framework = "outcome_1"
    unit = "percentage"
    decimals = 1
    polarity = "lower_is_better"
    description = "Test"
    source = "t.csv"
    published = { columns = ["pct"] }
    """

  static func indicator(_ id: String) throws -> Indicator {
    try #require(try IndicatorCatalogue.parse(catalogueText, source: "test.toml").indicator(id: id))
  }

  /// An authority value; `published` is DfE's rounded figure, `value` the unrounded one.
  static func value(_ id: String, _ code: String, value: Double?, published: Double?,
                    status: ValueStatus = .ok) -> IndicatorValue {
    IndicatorValue(indicatorID: id, level: .localAuthority, areaCode: code, oldCode: "", name: code,
                   period: TimePeriod(code: "2025")!, value: value, numerator: nil, denominator: nil,
                   published: published, status: status, fromPublished: false)
  }

  /// Authority "A" with neighbours N0…N9 and the given values.
  static func bench(_ ind: Indicator, neighbours: [IndicatorValue], own: Double = 70) throws -> IndicatorBench {
    let official = ["A": neighbours.map { (code: $0.areaCode, band: "Close") }]
    let values = neighbours + [value(ind.id, "A", value: own, published: ind.rounded(own))]
    let mirror = DataMirror(root: URL(fileURLWithPath: NSTemporaryDirectory()))
    let engine = ContextEngine(mirror: mirror, catalogue: try IndicatorCatalogue.parse(catalogueText, source: "t"))
    return try NationalRun.bench(ind, values: values, spec: nil, engine: engine, official: official, period: nil)
  }

  /// The 59.4 against 60 case: ten neighbours whose unrounded rates have a
  /// median of 59.4 (shown as 59) while their published figures, 59 and 60
  /// in the middle, have a median of 59.5, which the dashboard shows as 60.
  @Test func medianOfPublishedValuesGivesTheDashboardsSixty() throws {
    let ind = try Self.indicator("rate")
    let unrounded = [50.2, 55.0, 57.1, 58.0, 59.3, 59.5, 61.0, 62.2, 63.0, 64.9]
    let neighbours = unrounded.enumerated().map { k, x in
      Self.value(ind.id, "N\(k)", value: x, published: PublishedRounding.round(x, decimals: 0))
    }
    let bench = try Self.bench(ind, neighbours: neighbours)
    let p = TimePeriod(code: "2025")!
    #expect(bench.neighbourMedian("A", p) == 60)
    // The old rule (median of unrounded rates) would have said 59.4, shown as 59.
    #expect(abs(Quantiles.median(unrounded) - 59.4) < 1e-9)
    #expect(PublishedRounding.round(Quantiles.median(unrounded), decimals: 0) == 59)
    // LAIT's average is the plain mean of the published figures (590 / 10).
    let s = try #require(bench.neighbourSummary["A"]?[p])
    #expect(abs(s.mean - 59) < 1e-9 && s.count == 10 && s.leftOut == 0)
    // Without a published column, the value rounded at the published precision stands in for it.
    let computedOnly = unrounded.enumerated().map { k, x in Self.value(ind.id, "N\(k)", value: x, published: nil) }
    #expect(try Self.bench(ind, neighbours: computedOnly).neighbourMedian("A", p) == 60)
  }

  /// The catalogue records how DfE rounds each indicator.
  @Test func catalogueRecordsTheRoundingRule() throws {
    #expect(try Self.indicator("rate").rounding == .halfUp)
    #expect(try Self.indicator("pct").rounding == .halfUp)  // the default when absent
    let even = Self.catalogueText.replacingOccurrences(of: "rounding = \"half_up\"", with: "rounding = \"half_even\"")
    #expect(try IndicatorCatalogue.parse(even, source: "t").indicator(id: "rate")?.rounding == .halfEven)
    let bad = Self.catalogueText.replacingOccurrences(of: "rounding = \"half_up\"", with: "rounding = \"bankers\"")
    #expect(throws: (any Error).self) { try IndicatorCatalogue.parse(bad, source: "t") }
  }

  /// Half-up at .5, for a whole-number rate and a one-decimal percentage;
  /// banker's rounding (R's `round`) would give 2, 12.2 and 0.2 instead.
  @Test func halfwayCasesRoundUp() throws {
    #expect(PublishedRounding.round(59.5, decimals: 0) == 60)
    #expect(PublishedRounding.round(2.5, decimals: 0) == 3)
    #expect(PublishedRounding.round(12.25, decimals: 1) == 12.3)
    #expect(PublishedRounding.round(12.35, decimals: 1) == 12.4)  // 12.35 is stored as 12.3499999…
    #expect(PublishedRounding.round(2.5, decimals: 0, rule: .halfEven) == 2)
    #expect(PublishedRounding.round(12.25, decimals: 1, rule: .halfEven) == 12.2)
    // Medians that land on .5 of the last published digit.
    #expect(NeighbourSummary(publishedValues: [2, 3], decimals: 0)?.median == 3)
    #expect(NeighbourSummary(publishedValues: [12.3, 12.4], decimals: 1)?.median == 12.4)
    #expect(NeighbourSummary(publishedValues: [0.1, 0.2], decimals: 1)?.median == 0.2)
    #expect(NeighbourSummary(publishedValues: [12.1, 12.4], decimals: 1)?.median == 12.3)  // 12.25
    // Through a one-decimal percentage indicator.
    let pct = try Self.indicator("pct")
    let neighbours = [12.34, 12.36, 12.41, 12.29].enumerated().map { k, x in
      Self.value(pct.id, "N\(k)", value: x, published: PublishedRounding.round(x, decimals: 1))
    }  // published 12.3, 12.4, 12.4, 12.3: median 12.35, shown as 12.4
    #expect(try Self.bench(pct, neighbours: neighbours).neighbourMedian("A", TimePeriod(code: "2025")!) == 12.4)
  }

  /// Suppressed and missing neighbours are left out (never read as zero)
  /// and counted.
  @Test func suppressedNeighboursAreLeftOutAndCounted() throws {
    let ind = try Self.indicator("rate")
    var neighbours = [40.0, 42, 44, 46, 48, 50, 52].enumerated().map { k, x in
      Self.value(ind.id, "N\(k)", value: x, published: x)
    }
    neighbours.append(Self.value(ind.id, "N7", value: nil, published: nil, status: .missing(.suppressed)))
    neighbours.append(Self.value(ind.id, "N8", value: nil, published: nil, status: .missing(.suppressed)))
    neighbours.append(Self.value(ind.id, "N9", value: nil, published: nil, status: .missing(.notAvailable)))
    let bench = try Self.bench(ind, neighbours: neighbours)
    let s = try #require(bench.neighbourSummary["A"]?[TimePeriod(code: "2025")!])
    #expect(s.count == 7 && s.leftOut == 3)
    #expect(s.median == 46)  // zeros for the three would give 42
    #expect(s.mean == 46 && s.minimum == 40 && s.maximum == 52)
    // No neighbour with a value: no summary at all.
    #expect(NeighbourSummary(publishedValues: [nil, nil], decimals: 0) == nil)
  }

  /// LAIT's quartile bands on R type-7 quartiles; `quantile(c(10, 20, 30,
  /// 40, 40, 55))` in R is 22.5, 35, 40, so both 40s sit in the band that
  /// ends at Q3 (cut points belong to the band below).
  @Test func quartileBandsFollowPolarity() throws {
    let values: [String: Double] = ["a": 10, "b": 20, "c": 30, "d": 40, "e": 40, "f": 55]
    let q = try #require(QuartileBand.quartiles(Array(values.values)))
    #expect(q.q1 == 22.5 && q.q2 == 35 && q.q3 == 40)
    let lower = QuartileBand.bands(values, polarity: .lowerIsBetter).mapValues(\.rawValue)
    #expect(lower == ["a": "A", "b": "A", "c": "B", "d": "C", "e": "C", "f": "D"])
    let higher = QuartileBand.bands(values, polarity: .higherIsBetter).mapValues(\.rawValue)
    #expect(higher == ["a": "D", "b": "D", "c": "C", "d": "B", "e": "B", "f": "A"])
    #expect(QuartileBand.bands(values, polarity: .noJudgement).isEmpty)
    // 1…9: quartiles 3, 5, 7 exactly; the minimum and Q1 are both in A.
    let nine = Dictionary(uniqueKeysWithValues: (1...9).map { ("x\($0)", Double($0)) })
    let bands = QuartileBand.bands(nine, polarity: .lowerIsBetter)
    #expect((1...9).map { bands["x\($0)"]!.rawValue }.joined() == "AAABBCCDD")
  }

  /// LAIT ranks: ties take the lowest rank, 1 is best by polarity, no
  /// polarity no rank (R: `rank(-x, ties.method = "min")` is 3 1 1 4).
  @Test func ranksTieToTheMinimum() throws {
    let values: [String: Double] = ["a": 5, "b": 7, "c": 7, "d": 3]
    #expect(PolarityRank.ranks(values, polarity: .higherIsBetter) == ["a": 3, "b": 1, "c": 1, "d": 4])
    #expect(PolarityRank.ranks(values, polarity: .lowerIsBetter) == ["a": 2, "b": 3, "c": 3, "d": 1])
    #expect(PolarityRank.ranks(values, polarity: .noJudgement).isEmpty)
    // Through a bench: ranks and bands are on published figures, for the percentage (lower is better).
    let pct = try Self.indicator("pct")
    let neighbours = [12.34, 12.31, 15.0].enumerated().map { k, x in
      Self.value(pct.id, "N\(k)", value: x, published: PublishedRounding.round(x, decimals: 1))
    }
    let bench = try Self.bench(pct, neighbours: neighbours, own: 20)
    let p = TimePeriod(code: "2025")!
    #expect(bench.rank[p] == ["N0": 1, "N1": 1, "N2": 3, "A": 4])
    #expect(bench.quartileBand[p]?["A"] == .d && bench.quartileBand[p]?["N0"] == .a)
    let rate = try Self.indicator("rate")
    let rb = try Self.bench(rate, neighbours: [Self.value(rate.id, "N0", value: 5, published: 5)])
    #expect(rb.rank[p]?.isEmpty == true && rb.quartileBand[p]?.isEmpty == true)
  }
}
