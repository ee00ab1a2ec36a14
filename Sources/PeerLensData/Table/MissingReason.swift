/// Why a published value is absent, from the DfE's standard symbols.
///
/// A missing value is never zero and is never back-calculated: a
/// suppressed count (`c`) stays suppressed in every figure derived from it.
public enum MissingReason: String, Sendable, Codable, CaseIterable, Comparable {
  /// `c`: suppressed to protect confidentiality (a small count).
  case suppressed
  /// `x`: not available.
  case notAvailable = "not_available"
  /// `z`: not applicable (for example an authority that did not exist).
  case notApplicable = "not_applicable"
  /// `u`: low reliability (used where no value is given with it).
  case lowReliability = "low_reliability"
  /// `low`: rounds to zero but is not zero.
  case roundsToZero = "rounds_to_zero"
  /// `k`: less than 0.5.
  case lessThanHalf = "less_than_half"
  /// `-` or `:`: no data.
  case noData = "no_data"
  /// An empty cell.
  case empty

  /// The published symbol for this reason.
  public var symbol: String {
    switch self {
    case .suppressed: return "c"
    case .notAvailable: return "x"
    case .notApplicable: return "z"
    case .lowReliability: return "u"
    case .roundsToZero: return "low"
    case .lessThanHalf: return "k"
    case .noData: return "-"
    case .empty: return ""
    }
  }

  /// Words for a report ("suppressed", "not applicable").
  public var words: String {
    switch self {
    case .suppressed: return "suppressed"
    case .notAvailable: return "not available"
    case .notApplicable: return "not applicable"
    case .lowReliability: return "low reliability"
    case .roundsToZero: return "rounds to zero"
    case .lessThanHalf: return "less than 0.5"
    case .noData: return "no data"
    case .empty: return "missing"
    }
  }

  /// Recognises a symbol (case-insensitive, surrounding spaces ignored).
  public init?(symbol raw: String) {
    // Symbols are short; skip the allocation of trimming long text.
    guard raw.utf8.count <= 6 else { return nil }
    switch raw.trimmingCharacters(in: .whitespaces).lowercased() {
    case "c": self = .suppressed
    case "x": self = .notAvailable
    case "z": self = .notApplicable
    case "u": self = .lowReliability
    case "low": self = .roundsToZero
    case "k": self = .lessThanHalf
    case "-", ":", "..", "na": self = .noData
    case "": self = .empty
    default: return nil
    }
  }

  public static func < (a: MissingReason, b: MissingReason) -> Bool {
    allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
  }
}

/// A cell that holds a number or the reason it does not.
public enum CellValue: Sendable, Equatable {
  case number(Double)
  case missing(MissingReason)

  /// Parses a published cell: a number (commas as thousands separators
  /// and a trailing `%` tolerated), or a missing-value symbol; `nil` for
  /// anything else.
  public init?(parsing raw: String) {
    // Fast path: most cells are plain numbers.
    if let v = Double(raw) {
      guard v.isFinite else { return nil }
      self = .number(v)
      return
    }
    if let reason = MissingReason(symbol: raw) { self = .missing(reason); return }
    var s = raw.trimmingCharacters(in: .whitespaces)
    if s.hasSuffix("%") { s.removeLast() }
    if s.contains(",") { s = s.replacingOccurrences(of: ",", with: "") }
    guard let v = Double(s), v.isFinite else { return nil }
    self = .number(v)
  }

  public var number: Double? {
    if case .number(let v) = self { return v }
    return nil
  }

  public var missingReason: MissingReason? {
    if case .missing(let r) = self { return r }
    return nil
  }
}

import Foundation
