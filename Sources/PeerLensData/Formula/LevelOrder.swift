/// The order in which category levels are sorted, so that the baseline
/// (the first level) is the one R picks.
///
/// R sorts factor levels with the locale's collation (ICU / glibc, which
/// follow the Unicode Collation Algorithm), not by code point: punctuation
/// and symbols sort before digits, digits before letters, and letters
/// compare case-insensitively first (`"<1l" < ">2l" < "1-1.5l"`, as in the
/// MASS Insurance data). This reproduces that for the characters real
/// data uses; it is checked against the R reference fits.
public enum LevelOrder {
  /// CLDR root order of the ASCII punctuation and symbols.
  private static let punctuation: [Character] = Array("_-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$")

  private static func primaryKey(_ c: Character) -> (Int, Int) {
    if c.isWhitespace { return (0, 0) }
    if let k = punctuation.firstIndex(of: c) { return (1, k) }
    if let d = c.wholeNumberValue, c.isASCII { return (3, d) }
    if c.isLetter {
      let lower = Character(c.lowercased())
      return (4, Int(lower.unicodeScalars.first!.value))
    }
    return (2, Int(c.unicodeScalars.first!.value))
  }

  /// `true` when `a` sorts before `b`.
  public static func precedes(_ a: String, _ b: String) -> Bool {
    let ka = a.map(primaryKey), kb = b.map(primaryKey)
    for (x, y) in zip(ka, kb) where x != y { return x < y }
    if ka.count != kb.count { return ka.count < kb.count }
    // Tertiary: lower case before upper case, then code points.
    for (x, y) in zip(a, b) where x != y {
      if x.isLowercase != y.isLowercase { return x.isLowercase }
      return x.unicodeScalars.first!.value < y.unicodeScalars.first!.value
    }
    return false
  }

  public static func sorted<S: Sequence>(_ levels: S) -> [String] where S.Element == String {
    Array(Set(levels)).sorted(by: precedes)
  }
}
