import Foundation
import PeerLensData

/// Ranks as LAIT ranks: 1 is the best by the indicator's polarity, ties
/// share the lowest (minimum) rank, and indicators with no polarity get
/// no rank at all (a rank would imply a judgement the data do not make).
public enum PolarityRank {
  public static func ranks(_ values: [String: Double], polarity: Polarity) -> [String: Int] {
    guard polarity != .noJudgement else { return [:] }
    let sorted = values.sorted { a, b in
      a.value != b.value ? (polarity == .higherIsBetter ? a.value > b.value : a.value < b.value) : a.key < b.key
    }
    var out: [String: Int] = [:]
    var rank = 0
    var previous: Double? = nil
    for (k, (code, v)) in sorted.enumerated() {
      if v != previous { rank = k + 1; previous = v }
      out[code] = rank
    }
    return out
  }
}
