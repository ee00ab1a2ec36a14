import Foundation

/// A request's query string, read strictly: `key=value` pairs split on
/// `&`, `+` read as a space, percent escapes decoded as UTF-8. A malformed
/// escape is refused rather than guessed at.
///
/// Lists come two ways and are read the same: `members=A,B` and
/// `members=A&members=B` (what an HTML form's checkboxes send).
struct QueryString: Sendable {
  let pairs: [(key: String, value: String)]

  /// The most pairs read: a query with more is refused (a form sends at most 153 members).
  static let maximumPairs = 400

  init(_ query: String?) throws(ExplorerError) {
    guard let query, !query.isEmpty else {
      pairs = []
      return
    }
    let parts = query.split(separator: "&", omittingEmptySubsequences: true)
    guard parts.count <= Self.maximumPairs else {
      throw .badRequest("Too many query parameters (at most \(Self.maximumPairs)).")
    }
    var out: [(String, String)] = []
    for part in parts {
      let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      guard let key = Self.decode(kv[0]), let value = Self.decode(kv.count > 1 ? kv[1] : "") else {
        throw .badRequest("The query string has a malformed percent escape.")
      }
      out.append((key, value))
    }
    pairs = out
  }

  /// The last value given for `key` (trimmed), or `nil` when absent or empty.
  func value(_ key: String) -> String? {
    let v = pairs.last { $0.key == key }?.value.trimmingCharacters(in: .whitespaces)
    return v?.isEmpty == true ? nil : v
  }

  /// Every value of `key`, comma-separated lists split, trimmed, empty ones dropped.
  func list(_ key: String) -> [String] {
    pairs.filter { $0.key == key }.flatMap { $0.value.split(separator: ",") }
      .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
  }

  static func decode(_ s: Substring) -> String? {
    var bytes: [UInt8] = []
    var i = s.utf8.startIndex
    let u = s.utf8
    while i < u.endIndex {
      let c = u[i]
      if c == UInt8(ascii: "+") {
        bytes.append(UInt8(ascii: " "))
      } else if c == UInt8(ascii: "%") {
        let h1 = u.index(after: i)
        guard h1 < u.endIndex else { return nil }
        let h2 = u.index(after: h1)
        guard h2 < u.endIndex, let a = hex(u[h1]), let b = hex(u[h2]) else { return nil }
        bytes.append(a << 4 | b)
        i = h2
      } else {
        bytes.append(c)
      }
      i = u.index(after: i)
    }
    return String(validating: bytes, as: UTF8.self)
  }

  private static func hex(_ c: UInt8) -> UInt8? {
    switch c {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
    default: return nil
    }
  }
}
