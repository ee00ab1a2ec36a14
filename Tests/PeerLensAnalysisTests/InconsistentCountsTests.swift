import Foundation
import Testing
@testable import PeerLensAnalysis
@testable import PeerLensData
import PeerLensStatistics

/// A count that contradicts its own published figure (a typing slip, a
/// revision of one but not the other) is left out of the funnels and the
/// contextual model, so it cannot move every other authority's limits
/// and flags; its published figure stays the authority's value.
@Suite struct InconsistentCountsTests {
  static let p = TimePeriod(code: "2025")!

  static func indicator() throws -> Indicator {
    let catalogue = try IndicatorCatalogue.load(from: ContextModelTests.models.appendingPathComponent("indicators.toml"))
    return try #require(catalogue.indicator(id: "cla_rate"))
  }

  /// Children in care per 10,000: authority k has 40 + 3k per 10,000 of
  /// 20,000 + 1,000k children, published rounded as DfE does.
  static func value(_ ind: Indicator, _ k: Int, count: Double? = nil) -> IndicatorValue {
    let d = 20_000 + 1_000 * Double(k)
    let x = ((40 + 3 * Double(k)) * d / 10_000).rounded()
    let published = ind.rounded(x / d * 10_000)
    let n = count ?? x
    let computed = n / d * 10_000
    // As `IndicatorCalculator`: the published figure where the counts do not give it.
    let agrees = ind.rounded(computed) == published
    return IndicatorValue(indicatorID: ind.id, level: .localAuthority, areaCode: String(format: "E0600%04d", k),
                          oldCode: "", name: "Authority \(k)", period: p, value: agrees ? computed : published,
                          numerator: n, denominator: d, published: published, status: .ok, fromPublished: !agrees)
  }

  static func bench(_ ind: Indicator, _ values: [IndicatorValue]) throws -> IndicatorBench {
    let mirror = DataMirror(root: URL(fileURLWithPath: NSTemporaryDirectory()))
    let engine = ContextEngine(mirror: mirror, catalogue: try IndicatorCatalogue.parse(OfficialToolSummaryTests.catalogueText, source: "t"))
    return try NationalRun.bench(ind, values: values, spec: nil, engine: engine, official: [:], period: nil)
  }

  @Test func aContradictingCountIsLeftOutOfTheFunnelAndMovesNoOtherFlag() throws {
    let ind = try Self.indicator()
    let clean = (0..<30).map { Self.value(ind, $0) }
    // Authority 7's count typed with three zeros too many.
    var typo = clean
    typo[7] = Self.value(ind, 7, count: clean[7].numerator! * 1000)
    let withTypo = try Self.bench(ind, typo)
    let withoutRow = try Self.bench(ind, clean.enumerated().filter { $0.offset != 7 }.map(\.element))
    let code = clean[7].areaCode
    // No funnel position for the contradicting row …
    #expect(withTypo.funnel[Self.p]?[code] == nil)
    // … and every other authority's exactly as if the row were absent.
    for v in clean where v.areaCode != code {
      let a = try #require(withTypo.funnel[Self.p]?[v.areaCode]), b = try #require(withoutRow.funnel[Self.p]?[v.areaCode])
      #expect(a.flag == b.flag && a.z == b.z, "\(v.areaCode)")
    }
    // The authority keeps its published figure as its value.
    #expect(withTypo.value(code, Self.p)?.value == clean[7].published)
    #expect(withTypo.value(code, Self.p)?.numerator == clean[7].numerator! * 1000)
  }

  @Test func onlyContradictingRowsLoseTheirCounts() throws {
    let ind = try Self.indicator()
    var values = (0..<10).map { Self.value(ind, $0) }
    values[3] = Self.value(ind, 3, count: values[3].numerator! + 1000)
    let counted = NationalRun.inconsistentCounts(values, indicator: ind, registry: nil)
    #expect(counted[3].numerator == nil && counted[3].denominator == nil)
    #expect(counted[3].value == values[3].published && counted[3].fromPublished)
    for k in values.indices where k != 3 {
      #expect(counted[k].numerator == values[k].numerator && counted[k].denominator == values[k].denominator)
    }
    // A count one child off, within the published rounding, is no contradiction.
    let close = (0..<10).map { Self.value(ind, $0) }
    #expect(NationalRun.inconsistentCounts(close, indicator: ind, registry: nil).allSatisfy { $0.numerator != nil })
  }

  /// A computed figure of 10²⁰ beside a published 40 is no "tie at the
  /// rounding boundary", however its digits fall: a tie needs the
  /// published figure to be one of the two it lies between.
  @Test func aHugeCountIsARevisionNotATie() throws {
    let ind = try Self.indicator()
    var values = (0..<10).map { Self.value(ind, $0) }
    // 10²⁰ of 22,000 children: 4.5e19 per 10,000, whose digits are whole.
    values[2] = Self.value(ind, 2, count: 1e20)
    let differences = PublishedAgreement.compare(values, indicator: ind).flatMap(\.differences)
    #expect(differences.map(\.areaCode) == [values[2].areaCode])
    #expect(differences.first?.cause == .revision)
    // A genuine tie: 45.5 computed (46 rounded), published 45.
    let d = 20_000.0, tie = IndicatorValue(indicatorID: ind.id, level: .localAuthority, areaCode: "E06009999", oldCode: "",
                                            name: "Tie", period: Self.p, value: 45, numerator: 91, denominator: d,
                                            published: 45, status: .ok, fromPublished: true)
    let cause = PublishedAgreement.compare([tie], indicator: ind).flatMap(\.differences).first?.cause
    #expect(cause == .roundingTie)
  }

  /// Another denominator (a population from another file or year) explains
  /// a difference of a few per cent, never a factor of a hundred.
  @Test func anotherDenominatorExplainsSmallDifferencesOnly() throws {
    let text = """
      [[framework]]
      id = "outcome_1"
      title = "Outcome 1"

      [[indicator]]
      id = "r"
      title = "A rate over a population from another file"
      framework = "outcome_1"
      unit = "rate_per_10000"
      decimals = 0
      rounding = "half_up"
      polarity = "no_judgement"
      description = "Test"
      source = "t.csv"
      numerator = { columns = ["n"] }
      denominator = { file = "pop.csv", columns = ["pop"] }
      published = { columns = ["rate"] }
      """
    let ind = try #require(try IndicatorCatalogue.parse(text, source: "t.toml").indicator(id: "r"))
    func value(_ code: String, count: Double) -> IndicatorValue {
      IndicatorValue(indicatorID: "r", level: .localAuthority, areaCode: code, oldCode: "", name: code, period: Self.p,
                     value: 40, numerator: count, denominator: 10_000, published: 40, status: .ok, fromPublished: true)
    }
    let causes = Dictionary(uniqueKeysWithValues: PublishedAgreement.compare(
      [value("A", count: 42), value("B", count: 4_000)], indicator: ind).flatMap(\.differences).map { ($0.areaCode, $0.cause) })
    #expect(causes["A"] == .denominatorSource)
    #expect(causes["B"] == .revision)
  }

  /// Above authority level a difference is put down to rounded counts only
  /// where counts that round to those published could give the figure:
  /// 1,000 of 100,000 is 100 per 10,000, and counts within 5 of those give
  /// up to 101, but never 110.
  @Test func roundedCountsExplainOnlyWhatRoundingCan() throws {
    let ind = try Self.indicator()
    func region(_ code: String, published: Double) -> IndicatorValue {
      IndicatorValue(indicatorID: ind.id, level: .regional, areaCode: code, oldCode: "", name: code, period: Self.p, value: published,
                     numerator: 1_000, denominator: 100_000, published: published, status: .ok, fromPublished: true)
    }
    let causes = Dictionary(uniqueKeysWithValues: PublishedAgreement.compare([region("E12000001", published: 101),
                                                                              region("E12000002", published: 110)], indicator: ind)
      .flatMap(\.differences).map { ($0.areaCode, $0.cause) })
    #expect(causes["E12000001"] == .roundedCounts)
    #expect(causes["E12000002"] == .aggregateDefinition)
  }
}
