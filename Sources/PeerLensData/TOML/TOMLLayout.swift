import Foundation
import PeerLensStatistics

/// What a kind of TOML file holds, key by key, in words for people.
///
/// Why: the decoder knows only Swift types, so a file that is not what a
/// command reads (the catalogue given where a model specification is
/// wanted, a year written as a number) was refused in Swift's words,
/// naming a `CodingKeys` case and a `Context`. With a layout the error
/// names the key, what the file holds there, and what was expected
/// (`TOMLFile.describe(_:in:layout:)`).
public struct TOMLLayout: Sendable, Equatable {
  /// One top-level key.
  public struct Key: Sendable, Equatable {
    public let name: String
    /// What the value should be, e.g. "a string: the model formula".
    public let expected: String
    public let required: Bool

    public init(_ name: String, expected: String, required: Bool = true) {
      self.name = name
      self.expected = expected
      self.required = required
    }
  }

  /// The kind of file, e.g. "model specification".
  public let noun: String
  public let keys: [Key]

  public init(noun: String, keys: [Key]) {
    self.noun = noun
    self.keys = keys
  }

  /// The kind of file with its article: "a model specification".
  public var document: String { ("aeiou".contains(noun.prefix(1).lowercased()) ? "an " : "a ") + noun }

  /// What the value at a dotted key path should be, if the layout says.
  public func expected(at path: String) -> String? { keys.first { $0.name == path }?.expected }

  /// "a model specification has the keys indicator, family and formula
  /// (link, notes and year are optional)".
  public var summary: String {
    let list = { (names: [String]) in EnglishList.joined(names) }
    let required = keys.filter(\.required).map(\.name), optional = keys.filter { !$0.required }.map(\.name)
    var text = "\(document) has the key\(required.count == 1 ? "" : "s") \(list(required))"
    if !optional.isEmpty { text += " (\(list(optional)) \(optional.count == 1 ? "is" : "are") optional)" }
    return text
  }
}
