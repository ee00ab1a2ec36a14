import Foundation

/// The closest known name to a misspelt one, for "did you mean …?".
///
/// Edit distance (Levenshtein) on lower-cased text: `Rutlnd` is one
/// deletion from `Rutland`. A suggestion is offered only when it is close
/// relative to the name's length, so that a wholly different word gets the
/// list of valid names rather than a guess.
public enum NameSuggestion {
  /// The candidate nearest to `input`, if any is within about a third of
  /// its length (at least 2 edits allowed, so short codes still match).
  public static func closest(to input: String, among candidates: [String]) -> String? {
    let a = Array(input.lowercased().prefix(200))
    guard !a.isEmpty else { return nil }
    let allowed = max(2, a.count / 3)
    var best: (name: String, distance: Int)?
    for c in candidates {
      let b = Array(c.lowercased())
      guard abs(b.count - a.count) <= allowed else { continue }
      let d = distance(a, b)
      if d <= allowed, d < (best?.distance ?? Int.max) { best = (c, d) }
    }
    return best?.name
  }

  /// Levenshtein distance between two character arrays.
  public static func distance(_ a: [Character], _ b: [Character]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      current[0] = i
      for j in 1...b.count {
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
      }
      swap(&previous, &current)
    }
    return previous[b.count]
  }

  /// " Did you mean X?" or an empty string. A candidate that differs
  /// from the input only by an invisible character (a byte-order mark in
  /// a header) is named as such, with the character shown.
  public static func hint(for input: String, among candidates: [String]) -> String {
    guard let name = closest(to: input, among: candidates) else { return "" }
    if name != input, ErrorText.visible(name) == ErrorText.visible(input) {
      return " The header '\(ErrorText.quoted(name))' has an invisible character in it (shown as <U+…>), such as a byte-order"
        + " mark left by joining files: remove it from the header."
    }
    return " Did you mean \(ErrorText.quoted(name))?"
  }
}
