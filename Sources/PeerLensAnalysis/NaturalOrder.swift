import Foundation

/// The order in which a breakdown's categories are shown: as DfE's own
/// tables show them, not as text sorts them.
///
/// Sorted as text, age bands come out "1 to 4 years", "10 to 15 years",
/// "16 years and over", "5 to 9 years", "Under 1 year". Here:
///
/// 1. When every ordinary category carries a number (age bands, distance
///    bands, durations, "N1." to "N8."), categories go by that number,
///    youngest or smallest first. "Under 1" and "20 or less" sit just
///    below their number and "16 and over" or "more than 20" just above,
///    so "Under 1 year" leads and "Placed more than 20 miles" follows
///    "Placed 20 miles or less".
/// 2. Otherwise, by text with runs of digits compared as numbers
///    ("Group 2" before "Group 10"), ignoring case.
/// 3. Categories that say the value is unknown ("Not known", "Unknown",
///    "Not recorded", "Refused or information not yet available") come
///    after the ordinary ones, and totals ("Total", "Total in education …")
///    last of all.
///
/// The order depends only on the names, so packs are the same whatever
/// order the rows have in DfE's file.
public enum NaturalOrder {
  /// The categories in natural order.
  public static func sorted(_ categories: [String]) -> [String] {
    let ordinary = categories.filter { group($0) == 0 }
    let numeric = !ordinary.isEmpty && ordinary.allSatisfy { number(in: $0) != nil }
    return categories.sorted { a, b in
      let ga = group(a), gb = group(b)
      if ga != gb { return ga < gb }
      if numeric && ga == 0, let x = key(a), let y = key(b), x != y { return x < y }
      let t = textOrder(a, b)
      return t != 0 ? t < 0 : a < b
    }
  }

  /// 0 for an ordinary category, 1 for an unknown value, 2 for a total.
  static func group(_ category: String) -> Int {
    let s = category.lowercased().trimmingCharacters(in: .whitespaces)
    if s == "total" || s.hasPrefix("total ") { return 2 }
    let unknown = ["unknown", "not known", "not recorded", "not stated", "refused", "not yet available",
                   "information not available"]
    return unknown.contains { s.contains($0) } ? 1 : 0
  }

  /// The first number in a category's name, if any.
  static func number(in category: String) -> Double? {
    var digits = ""
    for ch in category {
      if ch.isASCII && ch.isNumber { digits.append(ch) } else if ch == ".", !digits.isEmpty, !digits.contains(".") {
        digits.append(ch)
      } else if !digits.isEmpty { break }
    }
    if digits.hasSuffix(".") { digits.removeLast() }
    return Double(digits)
  }

  /// The number, nudged below it for "under 1" or "20 or less" and above
  /// it for "16 and over" or "more than 20".
  static func key(_ category: String) -> Double? {
    guard let n = number(in: category) else { return nil }
    let words = Set(category.lowercased().split { !$0.isLetter }.map(String.init))
    if !words.isDisjoint(with: ["under", "below", "less", "fewer"]) { return n - 0.5 }
    if !words.isDisjoint(with: ["over", "above", "more"]) || category.contains("+") { return n + 0.5 }
    return n
  }

  /// Text order with runs of ASCII digits compared by value, ignoring case:
  /// negative, zero or positive.
  static func textOrder(_ a: String, _ b: String) -> Int {
    let x = chunks(a.lowercased()), y = chunks(b.lowercased())
    for (p, q) in zip(x, y) where p != q {
      if let m = Int(p), let n = Int(q) { if m != n { return m < n ? -1 : 1 } else { continue } }
      return p < q ? -1 : 1
    }
    return x.count == y.count ? 0 : (x.count < y.count ? -1 : 1)
  }

  /// Alternating runs of digits and of everything else.
  static func chunks(_ s: String) -> [String] {
    var out: [String] = []
    var current = ""
    var digits: Bool? = nil
    for ch in s {
      let d = ch.isASCII && ch.isNumber
      if digits != nil && digits != d { out.append(current); current = "" }
      current.append(ch)
      digits = d
    }
    if !current.isEmpty { out.append(current) }
    return out
  }
}
