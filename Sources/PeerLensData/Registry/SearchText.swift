/// Authority names as a search compares them: people type "st helens" for
/// "St. Helens", "kings lynn" for "King's Lynn" and "stockton on tees" for
/// "Stockton-on-Tees", so case and punctuation must not decide a match.
///
/// Letters and digits are kept (lowercased); dots, hyphens, commas, slashes
/// and runs of spaces become one space ("st.helens" is "st helens"); every
/// other mark (apostrophes, brackets) is dropped.
///
/// In the data layer because the explorer's search and the command line's
/// `--la` answer the same question, the same way.
public enum SearchText {
  public static func normalised(_ s: String) -> String {
    var out = ""
    var pendingSpace = false
    for c in s.lowercased() {
      if c.isLetter || c.isNumber {
        if pendingSpace && !out.isEmpty { out.append(" ") }
        pendingSpace = false
        out.append(c)
      } else if c.isWhitespace || c == "." || c == "-" || c == "‐" || c == "–" || c == "," || c == "/" {
        pendingSpace = true
      }
    }
    return out
  }

  /// "1 authority matches" or "3 authorities match".
  public static func matches(_ n: Int) -> String {
    n == 1 ? "1 authority matches" : "\(n) authorities match"
  }
}
