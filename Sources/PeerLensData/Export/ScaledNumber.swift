import Foundation

/// Numbers printed after scaling (a proportion × 100, a rate × 10,000, a
/// target given per 10,000 and taken back to per one), without the last
/// bit of error the scaling adds.
///
/// Why: `JSONValue.format` writes the shortest text that reads back as
/// the same double, so the error of one multiplication shows in full:
/// 7 / 100 × 100 is 7.000000000000001 and a limit of 1200 can print as
/// 1199.9999999999998. Such a value is not more precise, only noisier.
public enum ScaledNumber {
  /// The number of significant digits kept: DBL_DIG, the most for which
  /// every decimal survives a trip through a double, so rounding to it
  /// drops no digit the double really holds and removes an error of a few
  /// units in the last place (about 2e-16 of the value each), which is
  /// what a scaling by a multiplier and back adds.
  public static let significantDigits = 15

  /// `x` rounded to `significantDigits` significant decimal digits, as the
  /// double nearest that decimal; non-finite values and zero unchanged.
  ///
  /// Postcondition: `|result − x| ≤ 5e-15 · |x|`, so anything compared
  /// at the precision a funnel's inputs carry (counts, published rates)
  /// is unaffected.
  public static func cleaned(_ x: Double) -> Double {
    guard x.isFinite, x != 0 else { return x }
    return Double(String(format: "%.\(significantDigits)g", x)) ?? x
  }

  /// `nil` stays `nil`.
  public static func cleaned(_ x: Double?) -> Double? { x.map(cleaned) }
}
