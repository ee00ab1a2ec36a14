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
      if ch.unicodeScalars.contains(where: isInvisible) {
        for s in ch.unicodeScalars {
          if isInvisible(s) { out += s.value == 0 ? "<NUL>" : "<U+\(String(format: "%04X", s.value))>" } else { out.unicodeScalars.append(s) }
        }
      } else {
        out.append(ch)
      }
    }
    guard truncated else { return out }
    return out + "… (\(text.count) characters in all)"
  }

  /// Whether a character prints as nothing, or as a space that is not
  /// one: control characters, format characters (a byte-order mark
  /// U+FEFF left inside a header by joining two files, a zero-width space)
  /// and spaces other than U+0020 (a no-break space from a spreadsheet).
  /// A column named '\u{FEFF}num' printed as 'num' beside "no column named
  /// 'num'" left the reader nothing to go on.
  public static func isInvisible(_ s: Unicode.Scalar) -> Bool {
    switch s.properties.generalCategory {
    case .control, .format: return true
    case .spaceSeparator: return s.value != 0x20
    default: return false
    }
  }

  /// The text without invisible characters or surrounding spaces: what a
  /// reader sees, to find the name they meant.
  public static func visible(_ text: String) -> String {
    var out = String.UnicodeScalarView()
    out.append(contentsOf: text.unicodeScalars.filter { !isInvisible($0) })
    return String(out).trimmingCharacters(in: .whitespaces)
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
