import Foundation
import Testing
@testable import PeerLensAnalysis
import PeerLensData
import PeerLensStatistics
import _PeerLensTestSupport

/// Additive funnel flags are kept only where the exact chance tail at
/// the authority's denominator reaches the limit's level: the reader's
/// review found the Isles of Scilly's 2 agency social workers of 2
/// "above the 99.8% limit for the third year running", a figure with
/// chance 0.13² = 1.7% around England's 13%.
@Suite struct ChanceCheckedFlagTests {
  static let scilly = "E06000053"

  @Test func aFigureOnAFewFTEIsNotCalledBeyondALimitItsChanceDoesNotReach() throws {
    let engine = try ContextModelTests.engine()
    let ind = try engine.indicator("sw_agency_rate_pct")
    let values = try IndicatorCalculator(mirror: DataMirror(root: TestData.data)).values(ind)
    let latest = values.filter { $0.period.code == "2025" }
    let england = try #require(latest.first { $0.level == .national }?.value)
    let funnel = try #require(IndicatorFunnel(values: latest, indicator: ind, target: england))
    let k = try #require(funnel.rows.firstIndex { $0.areaCode == Self.scilly })
    #expect(funnel.rows[k].numerator == 2 && funnel.rows[k].denominator == 2)
    // The additive line alone puts it beyond 99.8%; its chance is p².
    #expect(funnel.plot.units[k].flag == .above998)
    #expect(funnel.position(k).flag == .above95)
    let overruled = try #require(funnel.loweredByChance(k))
    let p = funnel.plot.target
    #expect(overruled.line == .above998 && abs(overruled.tail - p * p) < 1e-12, "\(overruled) against \(p * p)")

    let bench = try NationalRun.bench(ind, values: values, spec: nil, engine: engine, official: [:], period: nil)
    let latestPeriod = try #require(bench.latest)
    let position = try #require(bench.funnel[latestPeriod]?[Self.scilly])
    #expect(position.flag == .above95 && position.overruled?.line == .above998)
  }

  /// The check only ever lowers a flag, and leaves flags of authorities
  /// with large denominators as the lines give them.
  @Test func theCheckOnlyLowersFlags() throws {
    let engine = try ContextModelTests.engine()
    let calculator = IndicatorCalculator(mirror: DataMirror(root: TestData.data))
    func depth(_ f: FunnelPlot.Flag) -> Int { f == .within ? 0 : f.isOutside998 ? 2 : 1 }
    var lowered = 0, kept = 0
    for ind in engine.catalogue.indicators where ind.funnelLimits == "additive" && ind.hasCounts {
      let values = try calculator.values(ind)
      for period in Set(values.map(\.period)) {
        let inPeriod = values.filter { $0.period == period }
        let target = inPeriod.first { $0.level == .national && $0.status == .ok }?.value
        guard let f = IndicatorFunnel(values: inPeriod, indicator: ind, target: target) else { continue }
        for k in f.rows.indices {
          let line = f.plot.units[k].flag, flag = f.position(k).flag
          #expect(depth(flag) <= depth(line), "\(ind.id) \(period.label) \(f.rows[k].name)")
          if line != .within, (line == .above95 || line == .above998) != (flag == .below95 || flag == .below998) {
            if flag != line { lowered += 1 } else { kept += 1 }
          }
          if f.denominators[k] >= 100, flag != line { Issue.record("\(ind.id) \(period.label) \(f.rows[k].name): \(line) to \(flag)") }
        }
      }
    }
    // Most flags stand; a few on tiny denominators fall.
    #expect(lowered > 0 && kept > 10 * lowered, "\(lowered) lowered, \(kept) kept")
  }
}
