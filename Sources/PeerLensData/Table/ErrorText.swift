import Foundation

/// Input quoted in an error message, made safe to print.
///
/// A message that repeats a 1 MiB cell or column name in full is a 1 MiB
/// message nobody can read, and an invisible NUL or control character
/// makes the quoted text look like a number it is not. So quotes keep at
/// most `limit` characters (saying how long the text was) and show
/// control characters as `<NUL>`, `<U+001B>`.
public enum ErrorText {
  /// The most characters of input an error message quotes.
  public static let limit = 200

  public static func quoted<S: StringProtocol>(_ text: S, limit: Int = ErrorText.limit) -> String {
    var out = ""
    var shown = 0
    var truncated = false
    for ch in text {
      if shown == limit { truncated = true; break }
      shown += 1
      if ch.unicodeScalars.count == 1, let s = ch.unicodeScalars.first, s.properties.generalCategory == .control {
        out += s.value == 0 ? "<NUL>" : "<U+\(String(format: "%04X", s.value))>"
      } else {
        out.append(ch)
      }
    }
    guard truncated else { return out }
    return out + "… (\(text.count) characters in all)"
  }

  /// A list of names, each quoted as above, itself cut to about `limit`
  /// characters overall.
  public static func list(_ names: [String], limit: Int = ErrorText.limit) -> String {
    var out = ""
    for (k, n) in names.enumerated() {
      let piece = (k == 0 ? "" : ", ") + quoted(n, limit: max(20, limit / 4))
      if out.count + piece.count > limit && k > 0 {
        return out + ", … (\(names.count) in all)"
      }
      out += piece
    }
    return out
  }
}
