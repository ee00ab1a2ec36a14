import Foundation
import Testing
@testable import PeerLensStatistics

/// Issue 18.3: a negative-binomial funnel flags a count from F at the count
/// (two values) instead of from the limits (two searches over counts per
/// level). Checked against the flag read off `countLimits`, as it was.
@Suite struct NegativeBinomialFlagTests {
  /// The flag from the limits: above the outermost level's upper limit
  /// first, then below its lower one, then the next level.
  static func flagFromLimits(_ f: DistributionFunnel, unit i: Int, levels: [Double]) -> String {
    for level in levels.sorted(by: >) {
      let (l, u) = f.countLimits(denominator: f.denominators[i], level: level)
      if f.numerators[i] > u { return "above_" + FunnelPlot.levelLabel(level) }
      if f.numerators[i] < l { return "below_" + FunnelPlot.levelLabel(level) }
    }
    return "within"
  }

  /// Rate funnels shaped like the care indicators (counts from none to
  /// thousands, over-dispersed), with counts pushed outside each limit,
  /// counts of zero, and counts that are not whole (a rate's numerator
  /// derived from a rounded figure).
  @Test func sameFlagsAsTheLimits() throws {
    var state: UInt64 = 36
    func u() -> Double {
      state = state &* 6364136223846793005 &+ 1442695040888963407
      return Double(state >> 11) / Double(1 << 53)
    }
    let levels = [0.95, 0.998]
    var flagged = Set<String>(), units = 0, boundaries = 0
    for spread in [0.05, 0.3, 0.8] {
      let n = (0..<60).map { _ in (2_000 + 120_000 * u()).rounded() }
      var x = n.map { ($0 * 0.007 * exp(spread * (u() - 0.5) * 2)).rounded() }
      x[0] = 0
      x[1] *= 3
      x[2] = (x[2] / 4).rounded()
      x[3] += 0.5
      x[4] = x[4] * 1.7 + 0.25
      for (k, m) in [1.2, 1.3, 1.45, 1.6, 2.0].enumerated() { x[5 + k] = (x[5 + k] * m).rounded() }
      let f = try DistributionFunnel(family: .negativeBinomial, numerators: x, denominators: n)
      // Counts on each limit and one beyond it, for every unit's size:
      // there F(x) and F(x − 1) fall either side of the tail, and the
      // flag from F must still be the one read off the limits.
      for i in x.indices {
        for level in levels {
          let (l, u) = f.countLimits(denominator: n[i], level: level)
          for c in [l - 1, l, u, u + 1] where c >= 0 {
            var expected = "within"
            for lv in levels.sorted(by: >) {
              let (l2, u2) = f.countLimits(denominator: n[i], level: lv)
              if c > u2 { expected = "above_" + FunnelPlot.levelLabel(lv); break }
              if c < l2 { expected = "below_" + FunnelPlot.levelLabel(lv); break }
            }
            let got = DistributionFunnel.flag(below: f.cdf(c - 1, denominator: n[i]), atOrBelow: f.cdf(c, denominator: n[i]),
                                              sortedLevels: levels.sorted(by: >))
            #expect(got == expected, "count \(c) of \(n[i]) at level \(level)")
            boundaries += 1
          }
        }
      }
      for i in x.indices {
        let expected = Self.flagFromLimits(f, unit: i, levels: levels)
        #expect(f.flag(unit: i, levels: levels) == expected, "unit \(i): x \(x[i]) n \(n[i])")
        let position = f.position(unit: i, levels: levels)
        #expect(position.flag == expected, "unit \(i): x \(x[i]) n \(n[i])")
        #expect(position.z.bitPattern == f.z(unit: i).bitPattern, "unit \(i)")
        flagged.insert(expected)
        units += 1
      }
    }
    // Every kind of flag was compared, not only "within".
    #expect(units == 180 && boundaries > 600 && flagged.isSuperset(of: ["within", "above_95", "above_99.8", "below_95", "below_99.8"]),
            "\(flagged)")
  }
}
