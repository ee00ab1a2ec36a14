import Foundation
import Testing
import PeerLensNumerics

@Suite struct DoubleDoubleTests {
  /// 0.1 is 0.1000000000000000055511151231257827… as a double, so the low
  /// part of the decimal 0.1 is −5.5511151231257827e−18 (to 17 digits).
  @Test func lowPartOfOneTenth() throws {
    let v = try #require(DoubleDouble(decimal: "0.1"))
    #expect(v.hi == 0.1)
    #expect(abs(v.lo - -5.5511151231257827e-18) <= 1e-33)
  }

  /// Decimals that doubles hold exactly have no low part, whatever their form.
  @Test func exactDecimalsHaveNoLowPart() throws {
    for (text, value) in [("1", 1.0), ("-2.5", -2.5), ("0.125", 0.125), ("1.5e3", 1500.0), (" 42 ", 42.0), ("+7E-1", 0.7)] {
      let v = try #require(DoubleDouble(decimal: text), "\(text)")
      #expect(v.hi == value, "\(text)")
      if value != 0.7 { #expect(v.lo == 0, "\(text)") }
    }
  }

  /// (1/3 as a decimal of 30 threes) × 3 is 1 − 10⁻³⁰: the product keeps
  /// about 32 digits where a double keeps 16.
  @Test func arithmeticKeepsAboutThirtyTwoDigits() throws {
    let third = try #require(DoubleDouble(decimal: "0." + String(repeating: "3", count: 30)))
    let product = third * DoubleDouble(3)
    let gap = (DoubleDouble(1) - product)
    #expect(abs(gap.hi - 1e-30) < 1e-31)  // a double product would give 0 or ~1e-16
    let ten = DoubleDouble(10)
    #expect(((DoubleDouble(1) / ten) * ten - DoubleDouble(1)).hi.magnitude < 1e-31)
    #expect(DoubleDouble(2).power(10) == DoubleDouble(1024))
  }

  @Test func onlyPlainDecimalsAreRead() {
    for text in ["", "-", ".", "0x14", "1.2.3", "33\u{0}2", "332%", "1e", "1e+", "nan", "inf", "1,5", "e5"] {
      #expect(DoubleDouble(decimal: text) == nil, "\(text)")
    }
  }
}
