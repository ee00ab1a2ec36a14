/// What an indicator's counts count, in one and many ("referral",
/// "referrals"), for sentences that give a count: notes on small numbers
/// and errors about counts.
public struct CountNoun: Sendable, Equatable, Codable {
  public let one: String
  public let many: String

  public init(one: String, many: String) {
    self.one = one
    self.many = many
  }

  /// As the catalogue writes it: `["referral", "referrals"]`.
  public init(from decoder: Decoder) throws {
    let words = try decoder.singleValueContainer().decode([String].self)
    guard words.count == 2 else {
      throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                              debugDescription: "Two words, one and many; got \(words)."))
    }
    self.init(one: words[0], many: words[1])
  }

  public func encode(to encoder: Encoder) throws {
    var c = encoder.singleValueContainer()
    try c.encode([one, many])
  }

  /// The default: most indicators count children.
  public static let children = CountNoun(one: "child", many: "children")

  /// The word for `count` of them: one for exactly 1, many otherwise
  /// (0 children, 4.4 social workers).
  public func word(for count: Double) -> String { count == 1 ? one : many }
}
