import Foundation
import PeerLensData

/// Number formatting for reports, in one place: DfE rounding (half away
/// from zero) to the indicator's decimals, thousands separators, units.
public enum NumberFormat {
  public static func plain(_ x: Double?, decimals: Int, rule: RoundingRule = .halfUp) -> String {
    guard let x, x.isFinite else { return "–" }
    // A small negative number rounds to zero, never "-0.00".
    let r = PublishedRounding.round(x, decimals: decimals, rule: rule)
    let s = fixed(r == 0 ? 0 : r, decimals: decimals)
    // Thousands separators on the integer part.
    let parts = s.split(separator: ".", maxSplits: 1)
    var int = String(parts[0])
    let negative = int.hasPrefix("-")
    if negative { int.removeFirst() }
    var grouped = ""
    for (k, c) in int.reversed().enumerated() {
      if k > 0 && k % 3 == 0 { grouped.append(",") }
      grouped.append(c)
    }
    let head = (negative ? "-" : "") + String(grouped.reversed())
    return parts.count > 1 ? head + "." + parts[1] : head
  }

  /// `String(format: "%.<decimals>f", r)`; for a value already rounded to
  /// `decimals` (every call from `plain`), from its digits as an integer: the same text (a test
  /// compares the two), without Foundation's formatter, which was a sixth
  /// of the time of an explorer page. Values too large for exact integer
  /// digits, and more than 9 decimals, go to the formatter.
  static func fixed(_ r: Double, decimals: Int) -> String {
    guard (0...9).contains(decimals), r.isFinite else { return String(format: "%.\(decimals)f", r) }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let exact = abs(r) * scale
    let scaled = exact.rounded()
    // Only a value that sits on (within rounding of) a multiple of 10^−decimals:
    // anything else, a tie in particular, is the formatter's to round.
    guard scaled < 1e15, abs(exact - scaled) < 1e-6 else { return String(format: "%.\(decimals)f", r) }
    let n = UInt64(scaled)
    var digits = String(n)
    if digits.count <= decimals { digits = String(repeating: "0", count: decimals + 1 - digits.count) + digits }
    let sign = r.sign == .minus ? "-" : ""
    guard decimals > 0 else { return sign + digits }
    let cut = digits.index(digits.endIndex, offsetBy: -decimals)
    return sign + digits[..<cut] + "." + digits[cut...]
  }

  public static func value(_ x: Double?, _ indicator: Indicator) -> String {
    guard x != nil else { return "–" }
    return plain(x, decimals: indicator.decimals, rule: indicator.rounding) + indicator.unit.suffix
  }
}
