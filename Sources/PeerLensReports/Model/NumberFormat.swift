import Foundation
import PeerLensData

/// Number formatting for reports, in one place: DfE rounding (half away
/// from zero) to the indicator's decimals, thousands separators, units.
public enum NumberFormat {
  public static func plain(_ x: Double?, decimals: Int, rule: RoundingRule = .halfUp) -> String {
    guard let x, x.isFinite else { return "–" }
    let r = PublishedRounding.round(x, decimals: decimals, rule: rule)
    let s = String(format: "%.\(decimals)f", r)
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

  public static func value(_ x: Double?, _ indicator: Indicator) -> String {
    guard x != nil else { return "–" }
    return plain(x, decimals: indicator.decimals, rule: indicator.rounding) + indicator.unit.suffix
  }
}
