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
    switch Self.normalisedSymbol(raw) {
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

  /// `raw` trimmed of whitespace and lowercased, as `trimmingCharacters(in:
  /// .whitespaces).lowercased()` gives it.
  ///
  /// Why: every cell that is not a number comes here, and Foundation's
  /// trimming bridges through NSString. ASCII text (nearly all of it) is
  /// trimmed of the two ASCII members of `.whitespaces`, space and tab,
  /// and lowercased byte by byte; anything else takes Foundation's path.
  static func normalisedSymbol(_ raw: String) -> String {
    guard raw.utf8.allSatisfy({ $0 < 0x80 }) else { return raw.trimmingCharacters(in: .whitespaces).lowercased() }
    return String(decoding: spacesAndTabsTrimmed(raw).map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
  }

  public static func < (a: MissingReason, b: MissingReason) -> Bool {
    allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
  }
}

/// A cell that holds a number or the reason it does not.
public enum CellValue: Sendable, Equatable {
  case number(Double)
  case missing(MissingReason)

  /// Parses a published cell: a plain decimal number (optional sign,
  /// digits, optional point and fraction, optional exponent: `-12.5`,
  /// `3e4`) or a missing-value symbol; `nil` for anything else.
  ///
  /// Surrounding spaces and tabs are trimmed. Nothing else is tolerated:
  /// hexadecimal (`0x14C`), percentages (`332%`), thousands separators
  /// (`1,234`), `inf`, `nan` and text after an embedded NUL (`33<NUL>2`)
  /// would otherwise be read as a different number without a word.
  public init?(parsing raw: String) {
    if let v = CellValue.plainDecimal(raw) { self = .number(v); return }
    if let reason = MissingReason(symbol: raw) { self = .missing(reason); return }
    return nil
  }

  /// The value of a plain decimal number, trimmed of surrounding spaces
  /// and tabs; `nil` unless the whole text matches
  /// `[+-]?(digits[.digits?]|.digits)([eE][+-]?digits)?` and the value is
  /// finite.
  public static func plainDecimal(_ raw: String) -> Double? {
    let bytes = spacesAndTabsTrimmed(raw)
    var i = bytes.startIndex
    let end = bytes.endIndex
    func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    if i < end, bytes[i] == 0x2B || bytes[i] == 0x2D { i = bytes.index(after: i) }
    var mantissaDigits = 0
    while i < end, isDigit(bytes[i]) { mantissaDigits += 1; i = bytes.index(after: i) }
    if i < end, bytes[i] == 0x2E {
      i = bytes.index(after: i)
      while i < end, isDigit(bytes[i]) { mantissaDigits += 1; i = bytes.index(after: i) }
    }
    guard mantissaDigits > 0 else { return nil }
    if i < end, bytes[i] == 0x65 || bytes[i] == 0x45 {
      i = bytes.index(after: i)
      if i < end, bytes[i] == 0x2B || bytes[i] == 0x2D { i = bytes.index(after: i) }
      var exponentDigits = 0
      while i < end, isDigit(bytes[i]) { exponentDigits += 1; i = bytes.index(after: i) }
      guard exponentDigits > 0 else { return nil }
    }
    guard i == end, let v = Double(Substring(bytes)), v.isFinite else { return nil }
    return v
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

/// The UTF-8 of `raw` without leading and trailing spaces and tabs.
private func spacesAndTabsTrimmed(_ raw: String) -> Substring.UTF8View {
  var bytes = Substring(raw).utf8[...]
  while let f = bytes.first, f == 0x20 || f == 0x09 { bytes = bytes.dropFirst() }
  while let l = bytes.last, l == 0x20 || l == 0x09 { bytes = bytes.dropLast() }
  return bytes
}
