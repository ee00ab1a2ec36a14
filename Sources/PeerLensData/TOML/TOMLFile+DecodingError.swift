import Foundation
import TOMLKit

extension TOMLFile {
  /// A decoding error in words for people: the key, what the file holds
  /// there, and what was expected.
  ///
  /// Why not the error's own text: `DecodingError`'s description is
  /// Swift's (`keyNotFound(CodingKeys(stringValue: "formula", …), Context(…))`).
  /// TOMLKit also reports a key holding the wrong kind of value as
  /// `keyNotFound`, so the document is looked up to tell "missing" from
  /// "the wrong kind of value" and to show what is there.
  ///
  /// - Parameters:
  ///   - text: the document the error came from (already parsed once, so
  ///     parsing it again cannot fail in a new way).
  ///   - layout: what the file should hold; without one, the message names
  ///     the key and what it holds but cannot say what was expected.
  static func describe(_ error: DecodingError, in text: String, layout: TOMLLayout?) -> String {
    let path: [CodingKey], problem: String
    // A type's own explanation (a custom `init(from:)` saying which values
    // are allowed and why) is kept; Swift's generic enum failure is not.
    var explanation: String? = nil
    switch error {
    case .keyNotFound(let key, let context):
      path = context.codingPath.last?.stringValue == key.stringValue && context.codingPath.last?.intValue == key.intValue
        ? context.codingPath : context.codingPath + [key]
      problem = "missing"
    case .typeMismatch(_, let context), .valueNotFound(_, let context):
      path = context.codingPath
      problem = "wrong kind"
    case .dataCorrupted(let context):
      path = context.codingPath
      problem = "not allowed"
      let said = context.debugDescription
      if !said.isEmpty, !said.hasPrefix("Cannot initialize"), !said.hasPrefix("The given data") { explanation = said }
    @unknown default:
      return String(describing: error)
    }
    let name = dotted(path)
    let expected = layout?.expected(at: name)
    let found = value(at: path, in: text)
    var sentence: String
    switch (problem, found) {
    case ("missing", nil):
      sentence = "the key '\(name)' is missing"
    case ("not allowed", let found?):
      // With a reason, the reason is the sentence: "not one of the values
      // allowed" read as if there were a list, where the rule was another.
      sentence = explanation.map { "the key '\(name)' holds \(found), which is not allowed here: \($0)" }
        ?? "the key '\(name)' holds \(found), which is not one of the values allowed"
    case ("not allowed", nil) where explanation != nil:
      sentence = "the key '\(name)' is not allowed as written (\(explanation ?? ""))"
    case (_, let found?):
      sentence = "the key '\(name)' holds \(found), which is not the kind of value expected"
    default:
      sentence = "the key '\(name)' could not be read"
    }
    if let expected { sentence += "; expected \(expected)" }
    if let layout {
      // A file of another kind fails on its first key: say what this kind holds.
      return "not a valid \(layout.noun): \(sentence). \(capitalized(layout.summary))"
    }
    return sentence
  }

  /// `weights.x1`, `indicator[2].id`.
  static func dotted(_ path: [CodingKey]) -> String {
    var out = ""
    for key in path {
      if let i = key.intValue { out += "[\(i)]"; continue }
      out += (out.isEmpty ? "" : ".") + key.stringValue
    }
    return out.isEmpty ? "(top level)" : out
  }

  /// What the document holds at `path`, in words ("an integer (2024)",
  /// "an array"), or nil if nothing is there.
  static func value(at path: [CodingKey], in text: String) -> String? {
    guard !path.isEmpty, let root = try? TOMLTable(string: text) else { return nil }
    var node: TOMLValueConvertible = root
    for key in path {
      if let i = key.intValue {
        guard node.type == .array, let array = node.array, i >= 0, i < array.count else { return nil }
        node = array[i]
      } else {
        guard node.type == .table, let next = node.table?[key.stringValue] else { return nil }
        node = next
      }
    }
    let v = node.tomlValue
    switch v.type {
    case .table: return "a table"
    case .array: return "an array"
    case .string: return "the string \"\(shortened(v.string ?? ""))\""
    case .int: return "an integer (\(v.debugDescription))"
    case .double: return "a number (\(v.debugDescription))"
    case .bool: return v.bool == true ? "true" : "false"
    case .date: return "a date (\(v.debugDescription))"
    case .time: return "a time (\(v.debugDescription))"
    case .dateTime: return "a date and time (\(v.debugDescription))"
    }
  }

  private static func shortened(_ s: String) -> String { s.count > 60 ? String(s.prefix(60)) + "…" : s }

  private static func capitalized(_ s: String) -> String { s.prefix(1).uppercased() + s.dropFirst() }
}
