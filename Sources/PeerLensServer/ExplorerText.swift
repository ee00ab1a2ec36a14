import Foundation
import PeerLensAnalysis
import PeerLensData
import PeerLensReports

/// Text for the explorer's pages: HTML escaping and the neutral words for
/// statuses and positions.
enum ExplorerText {
  /// Escapes text for HTML element content and quoted attribute values:
  /// the packs' own escaping, so a page and a pack show the same text.
  static func escape(_ s: String) -> String { XMLText.escape(s) }

  /// User input echoed in a plain-text message: at most 40 characters, control characters dropped.
  static func shown(_ s: String) -> String {
    let kept = String(s.unicodeScalars.filter { !CharacterSet.controlCharacters.contains($0) })
    return kept.count > 40 ? String(kept.prefix(40)) + "…" : kept
  }

  /// A count with thousands separators (77112 as "77,112"), for messages.
  static func grouped(_ n: Int) -> String {
    var digits = String(n), out = ""
    while digits.count > 3 { out = "," + digits.suffix(3) + out; digits.removeLast(3) }
    return digits + out
  }

  /// Percent-encodes a query value.
  static func query(_ s: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-_.,")
    return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
  }

  /// A value at the indicator's published precision, or "–".
  static func number(_ x: Double?, _ ind: Indicator) -> String {
    x.map { NumberFormat.plain($0, decimals: ind.decimals) } ?? "–"
  }

  /// Where a value sits against the funnel limits, in neutral words.
  static func funnel(_ flag: String?) -> String {
    switch flag {
    case "above_99.8"?: return "above the 99.8% limit"
    case "above_95"?: return "above the 95% limit"
    case "below_99.8"?: return "below the 99.8% limit"
    case "below_95"?: return "below the 95% limit"
    case "within"?: return "within the limits"
    default: return "–"
    }
  }

  /// Where a value sits against its contextual expectation, in neutral words.
  static func context(_ position: String?) -> String {
    switch position {
    case "above_99.8"?: return "higher than expected given context (outside the 99.8% interval)"
    case "above_95"?: return "higher than expected given context (outside the 95% interval)"
    case "below_99.8"?: return "lower than expected given context (outside the 99.8% interval)"
    case "below_95"?: return "lower than expected given context (outside the 95% interval)"
    case "within"?: return "within the range expected given context"
    case "no_expectation"?: return "no expected value given context"
    default: return "–"
    }
  }

  /// The polarity in words (a band or rank is shown only with one).
  static func polarity(_ p: Polarity) -> String {
    switch p {
    case .higherIsBetter: return "higher is better"
    case .lowerIsBetter: return "lower is better"
    case .noJudgement: return "no judgement: never ranked, banded or coloured"
    }
  }
}
