import Foundation

/// Whether a value is present, and if not, why.
public enum ValueStatus: Sendable, Equatable, Hashable, Codable {
  case ok
  case missing(MissingReason)
  case zeroDenominator

  /// `ok`, a missing reason (`suppressed`, `not_applicable`, …) or `zero_denominator`.
  public var code: String {
    switch self {
    case .ok: return "ok"
    case .missing(let r): return r.rawValue
    case .zeroDenominator: return "zero_denominator"
    }
  }

  public init?(code: String) {
    switch code {
    case "ok": self = .ok
    case "zero_denominator": self = .zeroDenominator
    default:
      guard let r = MissingReason(rawValue: code) else { return nil }
      self = .missing(r)
    }
  }

  /// Words for reports ("suppressed", "not applicable").
  public var words: String {
    switch self {
    case .ok: return ""
    case .missing(let r): return r.words
    case .zeroDenominator: return "no denominator"
    }
  }

  public init(from decoder: Decoder) throws {
    let s = try decoder.singleValueContainer().decode(String.self)
    guard let v = ValueStatus(code: s) else {
      throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown status \(s)"))
    }
    self = v
  }

  public func encode(to encoder: Encoder) throws {
    var c = encoder.singleValueContainer()
    try c.encode(code)
  }
}

/// One indicator's value for one area and period.
public struct IndicatorValue: Sendable, Equatable, Codable {
  public let indicatorID: String
  public let level: GeographicLevel
  /// `new_la_code`, region code or country code.
  public let areaCode: String
  public let oldCode: String
  public let name: String
  public let period: TimePeriod
  /// The value in the indicator's unit; `nil` unless `status == .ok`.
  public let value: Double?
  public let numerator: Double?
  public let denominator: Double?
  /// DfE's published (rounded) value, where the file has one.
  public let published: Double?
  public let status: ValueStatus
  /// `true` when `value` is DfE's published figure rather than computed
  /// here from the numerator and denominator.
  public let fromPublished: Bool
  /// An absence rate's pupils and effective denominator
  /// (`Indicator.pupilClustering`); nil for every other figure.
  ///
  /// Why a reference: a national run holds a few hundred thousand values,
  /// of which a few thousand are absence rates. Two optional numbers on
  /// every value put the run's peak memory up by 8 MiB; a reference that
  /// is nil for the rest costs a word each.
  public var pupilCounts: PupilCounts? = nil

  /// The denominator chance variation rests on, where the denominator
  /// counts repeated observations of the same children (absence: sessions
  /// of the same pupils); `nil` where the denominator itself is the right
  /// count.
  public var effectiveDenominator: Double? { pupilCounts?.effectiveDenominator }
  /// The pupils an absence rate's sessions belong to, for the pack's note
  /// on small numbers: 2,448 sessions are 7 pupils.
  public var pupils: Double? { pupilCounts?.pupils }
}

/// An absence rate's pupils and its effective denominator, pupils × (κ + 1)
/// (`PupilClusteredRate`).
public final class PupilCounts: Sendable, Equatable, Codable {
  public let pupils: Double
  public let effectiveDenominator: Double

  public init(pupils: Double, effectiveDenominator: Double) {
    self.pupils = pupils
    self.effectiveDenominator = effectiveDenominator
  }

  /// From a store's columns: both or neither.
  public static func stored(pupils: Double?, effectiveDenominator: Double?) -> PupilCounts? {
    guard let pupils, let effectiveDenominator else { return nil }
    return PupilCounts(pupils: pupils, effectiveDenominator: effectiveDenominator)
  }

  public static func == (a: PupilCounts, b: PupilCounts) -> Bool {
    a.pupils == b.pupils && a.effectiveDenominator == b.effectiveDenominator
  }
}

extension IndicatorValue {
  /// The authorities of a joint return, in file order: codes, DfE numbers
  /// and names split at " / " (`E09000021 / E09000027`, `314 / 318`,
  /// `Kingston upon Thames / Richmond upon Thames`); empty for any other row.
  public var jointMembers: [(code: String, oldCode: String, name: String)] {
    guard level == .localAuthority, AuthorityRegistry.isJointReturn(areaCode) else { return [] }
    func parts(_ s: String) -> [String] { s.split(separator: "/").map { $0.trimmingCharacters(in: .whitespaces) } }
    let codes = parts(areaCode), olds = parts(oldCode), names = parts(name)
    return codes.enumerated().map { k, c in
      (c, k < olds.count ? olds[k] : "", k < names.count && names.count == codes.count ? names[k] : name)
    }
  }

  /// The same figure without its numerator and denominator: its published
  /// figure alone, for analyses that must not use counts known to
  /// contradict it.
  public func withoutCounts() -> IndicatorValue {
    IndicatorValue(indicatorID: indicatorID, level: level, areaCode: areaCode, oldCode: oldCode, name: name, period: period,
                   value: value, numerator: nil, denominator: nil, published: published, status: status,
                   fromPublished: true)
  }

  /// The same figure for another area: each authority of a joint return
  /// shows the joint figure as its own.
  public func forArea(code: String, oldCode: String, name: String) -> IndicatorValue {
    IndicatorValue(indicatorID: indicatorID, level: level, areaCode: code, oldCode: oldCode, name: name, period: period,
                   value: value, numerator: numerator, denominator: denominator, published: published, status: status,
                   fromPublished: fromPublished, pupilCounts: pupilCounts)
  }

  /// The numerator and denominator chance variation rests on: the
  /// effective denominator, with the numerator scaled to keep the rate,
  /// where the indicator has one; otherwise the counts as published.
  /// `nil` without counts, or where an effective denominator is needed
  /// and absent (a vintage stored before they were kept).
  public func chanceCounts(_ indicator: Indicator) -> (numerator: Double, denominator: Double)? {
    guard let x = numerator, let n = denominator else { return nil }
    guard indicator.pupilClustering != nil else { return (x, n) }
    guard let m = effectiveDenominator, m > 0, n > 0 else { return nil }
    return (x / n * m, m)
  }

  /// The same figure with its counts as chance variation counts them
  /// (`chanceCounts`), for a contextual model: an absence rate's model is
  /// then weighted, dispersed and given intervals in pupils, not
  /// sessions. The value is unchanged. Without an effective denominator
  /// where one is needed, the counts are dropped (the figure stays).
  public func countedForChance(_ indicator: Indicator) -> IndicatorValue {
    guard indicator.pupilClustering != nil else { return self }
    let c = chanceCounts(indicator)
    return IndicatorValue(indicatorID: indicatorID, level: level, areaCode: areaCode, oldCode: oldCode, name: name,
                          period: period, value: value, numerator: c?.numerator, denominator: c?.denominator,
                          published: published, status: status, fromPublished: fromPublished,
                          pupilCounts: pupilCounts)
  }
}
