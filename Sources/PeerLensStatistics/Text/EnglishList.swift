/// Lists of names in a sentence, for messages and pack text.
///
/// In the lowest layer that writes sentences, so the statistics' own errors
/// (a collinear set of variables), the data layer's messages and the packs
/// all join a list the same way instead of each by hand.
public enum EnglishList {
  /// "A", "A and B", "A, B and C" (or "A, B or C"); empty for no names.
  public static func joined(_ names: [String], conjunction: String = "and") -> String {
    guard let last = names.last else { return "" }
    return names.count == 1 ? last : names.dropLast().joined(separator: ", ") + " \(conjunction) " + last
  }

  /// The first `shown` names joined by `separator`, then how many more:
  /// "a, b, c and 4 more". A message that lists every one of 150
  /// authorities is not read.
  public static func first(_ shown: Int, of names: [String], separator: String = ", ") -> String {
    let head = names.prefix(shown).joined(separator: separator)
    return names.count > shown ? head + " and \(names.count - shown) more" : head
  }
}
