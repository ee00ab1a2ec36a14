import Foundation
import Testing
import PeerLensStatistics
@testable import PeerLensAnalysis
@testable import PeerLensReports

/// The meeting summary on a constructed authority with exactly one
/// statement of each kind (issue 19, "tests that can fail"): every flag of
/// the authority is cleared, then four indicators are given one finding
/// each. The summary must list those four and nothing else, strongest
/// evidence first, and each must agree with what its indicator section
/// shows (its flag, its sentence and its place in the printed page).
@Suite struct ConstructedStandOutTests {
  static let code = "E06000017"

  @Test func oneStatementOfEachKindReachesTheSummaryInOrder() throws {
    let real = try Fixtures.real.get()
    let (run, chosen) = try Self.constructed(from: real)
    let builder = PackBuilder(run: run, software: "PeerLens test")
    let pack = try builder.authorityPack(code: Self.code)
    let summary = try #require(pack.summary)

    // Exactly the four findings, strongest evidence first.
    #expect(summary.standsOut.map(\.kind) == [.outsideGivenContext, .sustainedChange, .outsideAgainstEngland, .unusualPoint])
    #expect(summary.standsOut.map(\.indicatorID) == [chosen.context, chosen.trend, chosen.funnel, chosen.point])
    #expect(summary.moreStandOut == 0)
    #expect(pack.prompts.count == 4, "one learning prompt a statement: \(pack.prompts)")

    // Each statement agrees with its section, read independently.
    let sections = Dictionary(uniqueKeysWithValues: pack.indicators.map { ($0.id, $0) })
    let context = try #require(sections[chosen.context])
    #expect(context.contextPosition == "above_99.8")
    #expect(context.sentence.hasPrefix("Higher than expected given the area's context; outside the 99.8% prediction limit."),
            "section sentence: \(context.sentence)")
    let trend = try #require(sections[chosen.trend]?.trend.last)
    #expect(trend.spcFlags.contains("trend"))
    let funnel = try #require(sections[chosen.funnel])
    #expect(funnel.funnelFlag == "above_99.8")
    #expect(summary.standsOut[2].years == 3 && summary.standsOut[2].statement.contains("third year running"))
    let point = try #require(sections[chosen.point]?.trend.last)
    #expect(point.spcFlags == ["astronomical"])

    // No other section carries a flag the summary leaves out.
    for s in pack.indicators where ![chosen.context, chosen.trend, chosen.funnel, chosen.point].contains(s.id) {
      #expect(s.funnelFlag?.hasSuffix("99.8") != true, "\(s.id): \(s.funnelFlag ?? "")")
      #expect(s.contextPosition?.hasSuffix("99.8") != true, "\(s.id): \(s.contextPosition ?? "")")
      #expect(s.trend.last?.spcFlags.isEmpty ?? true, "\(s.id): \(s.trend.last?.spcFlags ?? [])")
    }

    // The printed page: each statement in the summary links to its section,
    // and that section is in the page.
    let html = try HTMLRenderer(templates: TemplateSet(folder: Fixtures.reports), run: run)
      .authority(pack)
    for s in summary.standsOut {
      #expect(html.contains("href=\"#\(s.anchor)\""), "no link to \(s.anchor)")
      #expect(html.contains("id=\"\(s.anchor)\""), "no section \(s.anchor)")
      #expect(html.contains(Self.escaped(s.statement)), "statement not printed: \(s.statement)")
    }
  }

  /// The real run with every flag of the authority cleared, then one
  /// finding of each kind put on four different indicators.
  static func constructed(from real: NationalRun) throws
    -> (NationalRun, (context: String, trend: String, funnel: String, point: String)) {
    let code = Self.code
    // Indicators that can carry each finding: a model that shows its
    // expectation; series long enough for SPC limits (12 periods) or a
    // trend (7); funnel positions in the last three periods.
    let withModel = try #require(real.indicators.first { b in
      b.model?.showsExpectation == true && b.model?.authorities.contains { $0.code == code && $0.expected != nil } == true
        && b.latest != nil && b.value(code, b.latest!)?.status == .ok
    }).indicator.id
    let long = real.indicators.filter { $0.periods.count >= 12 && $0.spc[code] != nil && $0.indicator.id != withModel }
    let pointID = try #require(long.first).indicator.id
    let trendID = try #require(real.indicators.first {
      $0.periods.count >= 8 && $0.spc[code] != nil && ![withModel, pointID].contains($0.indicator.id)
    }).indicator.id
    let funnelID = try #require(real.indicators.first { b in
      b.periods.count >= 3 && b.periods.suffix(3).allSatisfy { b.funnel[$0]?[code] != nil }
        && ![withModel, pointID, trendID].contains(b.indicator.id)
    }).indicator.id

    let benches = real.indicators.map { b -> IndicatorBench in
      let id = b.indicator.id
      // SPC: a flat, noisy series gives no signal; a rise, a trend; a spike, one point.
      var spc = b.spc
      if spc[code] != nil {
        let n = b.periods.count
        var values: [Double?] = (0..<n).map { 10 + ($0 % 2 == 0 ? 0.5 : -0.5) }
        if id == trendID { for k in 0..<8 { values[n - 8 + k] = 10 + Double(k) * 0.7 } }
        if id == pointID { values[n - 1] = 40 }
        spc[code] = XmRChart(values: values, direction: b.direction)
      }
      // Funnel: within everywhere, but above 99.8% for three years running on one indicator.
      var funnel = b.funnel
      for (k, p) in b.periods.enumerated() where funnel[p]?[code] != nil {
        let outside = id == funnelID && k >= b.periods.count - 3
        funnel[p]![code] = .init(z: outside ? 4 : 0, flag: outside ? .above998 : .within)
      }
      // Model: observed at its expectation, or well above the 99.8% limit on one indicator.
      let model = b.model.map { m -> ContextModelRun in
        let authorities = m.authorities.map { e -> AuthorityExpectation in
          guard e.code == code, let expected = e.expected else { return e }
          let observed = id == withModel ? (e.predictionUpper998 ?? expected) * 1.5 + 1 : expected
          return AuthorityExpectation(
            code: e.code, name: e.name, observed: observed, status: e.status, expected: expected,
            expectedLower: e.expectedLower, expectedUpper: e.expectedUpper,
            predictionLower95: e.predictionLower95, predictionUpper95: e.predictionUpper95,
            predictionLower998: e.predictionLower998, predictionUpper998: e.predictionUpper998,
            ratio: e.ratio, pearsonResidual: e.pearsonResidual, rawRank: e.rawRank, adjustedRank: e.adjustedRank,
            zScore: e.zScore, funnelFlag: e.funnelFlag, shrunk: e.shrunk, denominator: e.denominator)
        }
        return ContextModelRun(spec: m.spec, indicator: m.indicator, period: m.period, model: m.model, frame: m.frame,
                               authorities: authorities, funnelPhi: m.funnelPhi, funnelTauSquared: m.funnelTauSquared,
                               warnings: m.warnings, skill: m.skill)
      }
      return IndicatorBench(indicator: b.indicator, periods: b.periods, latest: b.latest, local: b.local,
                            england: b.england, regions: b.regions, funnel: funnel, funnelPhi: b.funnelPhi,
                            model: model, modelError: b.modelError, spc: spc, neighbourSummary: b.neighbourSummary,
                            rank: b.rank, quartileBand: b.quartileBand, jointReturns: b.jointReturns)
    }
    let run = NationalRun(
      mirror: real.mirror, catalogue: real.catalogue, registry: real.registry, context: real.context,
      authorities: real.authorities, officialNeighbours: real.officialNeighbours, officialSource: real.officialSource,
      officialLabel: real.officialLabel, officialRelease: real.officialRelease, modelNeighbours: real.modelNeighbours,
      neighbourSpec: real.neighbourSpec, indicators: benches, files: real.files, modelSpecFiles: real.modelSpecFiles,
      modelsFolder: real.modelsFolder)
    return (run, (withModel, trendID, funnelID, pointID))
  }

  /// Text as the Mustache templates escape it into HTML.
  static func escaped(_ s: String) -> String {
    s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
      .replacingOccurrences(of: "'", with: "&#39;")
  }
}
