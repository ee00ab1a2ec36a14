import Foundation
import Testing
import PeerLensNumerics

/// ψ and ψ′, which the beta-binomial precision's Newton steps use (issues
/// 17.4, 18.3).
@Suite struct PolygammaTests {
  /// (x, ψ(x), ψ′(x)) from mpmath at 30 digits (`mpmath.digamma`,
  /// `mpmath.psi(1, x)`), across the recurrence (x < 10), the hand-over
  /// at 10 and the asymptotic series.
  static let reference: [(x: Double, digamma: Double, trigamma: Double)] = [
    (1e-6, -1000000.5772140199687, 1000000000001.6449317),
    (0.03, -33.862254420618763835, 1112.6867360264795184),
    (0.5, -1.9635100260214234794, 4.9348022005446793094),
    (1, -0.57721566490153286061, 1.6449340668482264365),
    (2.75, 0.81890102497543259228, 0.43757125764893076144),
    (9.99, 2.2507003728312010995, 0.10527695014824178675),
    (10, 2.2517525890667211076, 0.10516633568168574612),
    (37.5, 3.610948344596338412, 0.027025382266785013993),
    (1234.5, 7.1180162318279978433, 0.0008103727271269666527),
    (2.5e6, 14.731801089838415836, 4.0000008000001066667e-7),
  ]

  @Test func agreesWithMpmath() {
    for r in Self.reference {
      let d = SpecialFunctions.digamma(r.x), t = SpecialFunctions.trigamma(r.x)
      #expect(abs(d - r.digamma) <= 1e-13 * max(1, abs(r.digamma)), "ψ(\(r.x)) = \(d), mpmath \(r.digamma)")
      #expect(abs(t - r.trigamma) <= 1e-13 * abs(r.trigamma), "ψ′(\(r.x)) = \(t), mpmath \(r.trigamma)")
    }
  }

  /// The pair computed together is the same two doubles as each alone, so
  /// switching a caller to it changes no number.
  @Test func togetherIsBitForBitTheSameAsApart() {
    var state: UInt64 = 7
    func u() -> Double {
      state = state &* 6364136223846793005 &+ 1442695040888963407
      return Double(state >> 11) / Double(1 << 53)
    }
    for x in Self.reference.map(\.x) + (0..<20_000).map({ _ in exp(-12 + 28 * u()) }) {
      let both = SpecialFunctions.digammaTrigamma(x)
      #expect(both.digamma.bitPattern == SpecialFunctions.digamma(x).bitPattern, "ψ(\(x))")
      #expect(both.trigamma.bitPattern == SpecialFunctions.trigamma(x).bitPattern, "ψ′(\(x))")
    }
  }
}
