import Foundation
import Testing
@testable import PeerLensNumerics

/// `FixedCountBinomial` stands in for `logBinomialDensityRaw` in the
/// logit-normal τ² search, which must not move a digit of any pack: every
/// value must be the same double, edges included.
@Suite struct FixedCountBinomialTests {
  @Test func everyValueIsTheFunctionsDouble() {
    var g = SeededGenerator(seed: 20_261_207)
    var cases: [(Double, Double)] = [(0, 0), (0, 7), (7, 7), (3, 7), (-1, 7), (8, 7), (.nan, 7), (3, .nan), (0.5, 3), (1, 1e7)]
    for _ in 0..<300 {
      let n = (g.uniform() * 3000).rounded()
      cases.append(((g.uniform() * n).rounded(), n))
    }
    var probabilities: [(Double, Double)] = [(0, 1), (1, 0), (0.5, 0.5), (1e-300, 1), (1, 1e-300)]
    for _ in 0..<60 {
      let e = (g.uniform() - 0.5) * 40
      probabilities.append((1 / (1 + exp(-e)), 1 / (1 + exp(e))))
    }
    var compared = 0
    for (x, n) in cases {
      let fixed = FixedCountBinomial(x: x, n: n)
      for (p, q) in probabilities {
        let expected = SpecialFunctions.logBinomialDensityRaw(x, n, p, q), got = fixed.logDensity(p, q)
        #expect(got.bitPattern == expected.bitPattern || (got.isNaN && expected.isNaN),
                "x \(x), n \(n), p \(p): \(got) against \(expected)")
        compared += 1
      }
    }
    #expect(compared > 19_000)
  }
}
