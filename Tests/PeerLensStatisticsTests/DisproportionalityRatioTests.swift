import Testing
import PeerLensStatistics

/// The disproportionality ratio on cases worked by hand.
@Suite struct DisproportionalityRatioTests {
  /// 3 of 40 children looked after are in a group that is 1,200 of 100,000
  /// residents. Share 0.075 over 0.012 = 6.25. Wilson with z = 1.95996
  /// (z² = 3.84146): root = z·√(3.84146 + 4·3·(1 − 3/40)) = z·√14.94146 = 7.57608;
  /// denominator 2·(40 + 3.84146) = 87.68292; limits (6 + 3.84146 ∓ 7.57608) / 87.68292
  /// = 0.025836 and 0.198642; over 0.012: 2.1530 and 16.5535.
  @Test func smallCountWorkedByHand() {
    let r = DisproportionalityRatio.compute(count: 3, total: 40, referenceCount: 1_200, referenceTotal: 100_000)
    #expect(r.status == .ok)
    #expect(abs(r.ratio! - 6.25) < 1e-12)
    #expect(abs(r.lower! - 2.1530) < 1e-3)
    #expect(abs(r.upper! - 16.5535) < 1e-3)
  }

  /// A zero count has ratio 0 and a positive upper limit (Wilson: z²/(n + z²)
  /// = 3.84146 / 28.84146 = 0.133192; over a reference share of 0.2: 0.66596).
  @Test func zeroCountHasAnUpperLimit() {
    let r = DisproportionalityRatio.compute(count: 0, total: 25, referenceCount: 20, referenceTotal: 100)
    #expect(r.ratio == 0 && r.lower == 0)
    #expect(abs(r.upper! - 0.66596) < 1e-4)
  }

  /// A suppressed count gives nothing: no ratio, no interval, no flag.
  @Test func suppressedCountGivesNoRatio() {
    let r = DisproportionalityRatio.compute(count: nil, total: 40, referenceCount: 1_200, referenceTotal: 100_000)
    #expect(r.status == .suppressed && r.ratio == nil && r.lower == nil && r.upper == nil)
    let none = DisproportionalityRatio.compute(count: 2, total: 40, referenceCount: 0, referenceTotal: 100_000)
    #expect(none.status == .noReference && none.ratio == nil)
  }
}
