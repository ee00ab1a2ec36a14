import Foundation
import Testing
import PeerLensStatistics

/// Exact chance tails behind the check on additive funnel flags
/// (`ChanceTail`), against mpmath.
@Suite struct ChanceTailTests {
  @Test func binomialTailsMatchTheirSums() {
    // 2 of 2 at 13%: 0.13², the Isles of Scilly's agency rate.
    #expect(abs(ChanceTail.proportion(2, of: 2, target: 0.13, above: true) - 0.0169) < 1e-14)
    // 0 of 5 at 20%: 0.8⁵.
    #expect(abs(ChanceTail.proportion(0, of: 5, target: 0.2, above: false) - 0.32768) < 1e-14)
    // A fraction (FTEs): mpmath betainc(2.5, 3, 0, 0.3, regularized=True).
    #expect(abs(ChanceTail.proportion(2.5, of: 4.5, target: 0.3, above: true) - 0.241237553921182) < 1e-12)
    // The tails of one figure from both sides cover every outcome (whole numbers).
    for x in 0...6 {
      let up = ChanceTail.proportion(Double(x), of: 6, target: 0.35, above: true)
      let down = ChanceTail.proportion(Double(x), of: 6, target: 0.35, above: false)
      let point = Double([1, 6, 15, 20, 15, 6, 1][x]) * pow(0.35, Double(x)) * pow(0.65, Double(6 - x))
      #expect(abs(up + down - 1 - point) < 1e-13, "\(x)")
    }
  }

  @Test func poissonTailsMatchMpmath() {
    // 1 − Σ_{k<5} e^−1.5 1.5^k/k!
    #expect(abs(ChanceTail.count(5, expected: 1.5, above: true) - 0.0185759362221407) < 1e-13)
    // Σ_{k≤1} e^−7.2 7.2^k/k!
    #expect(abs(ChanceTail.count(1, expected: 7.2, above: false) - 0.00612200362868877) < 1e-14)
    #expect(ChanceTail.count(0, expected: 3, above: true) == 1)
  }
}
