import Foundation
import Testing
@testable import PeerLensReports

/// `NumberFormat.fixed` replaces Foundation's `%.Nf` on the hot path of
/// every pack and explorer page; it must give the same text.
@Suite struct NumberFormatTests {
  @Test func fixedMatchesTheFormatterOnRoundedValues() {
    var generator = SystemRandomNumberGenerator()
    var checked = 0
    for decimals in 0...6 {
      for _ in 0..<20_000 {
        // Magnitudes from 1e-7 to 1e13, both signs, rounded as the packs round.
        let magnitude = pow(10, Double.random(in: -7...13, using: &generator))
        let x = Bool.random(using: &generator) ? -magnitude : magnitude
        let f = pow(10, Double(decimals))
        let r = (x * f).rounded() / f
        #expect(NumberFormat.fixed(r, decimals: decimals) == String(format: "%.\(decimals)f", r), "\(r) at \(decimals)")
        checked += 1
      }
    }
    #expect(checked == 140_000)
  }

  @Test func edgeValues() {
    for (r, d) in [(0.0, 0), (-0.0, 1), (0.5, 0), (2.5, 0), (-2.5, 0), (999_999.95, 1), (1e14 + 0.25, 2),
                   (123.456, 3), (0.001, 3), (-0.001, 3), (1e15, 1), (1e16, 0), (5e-324, 2), (.infinity, 1)] {
      #expect(NumberFormat.fixed(r, decimals: d) == String(format: "%.\(d)f", r), "\(r) at \(d)")
    }
    #expect(NumberFormat.plain(1_234_567.891, decimals: 1) == "1,234,567.9")
    #expect(NumberFormat.plain(-1_234.5, decimals: 0) == "-1,235")
  }
}
