import ArgumentParser
import Foundation
import PeerLensData

/// An option that takes one value, given more than once on the command
/// line (`--year 2024 … --year 2025`).
///
/// Why: ArgumentParser keeps the last value without a word, so a command
/// line edited by appending (`… --year 2025` after a script's
/// `--year 2024`) ran on a value the reader may not have meant. Options
/// that are lists (`--la`, `--region`, `--indicator`) still repeat.
public struct RepeatedOptionError: Error, CustomStringConvertible {
  public let command: String
  public let option: String
  public let values: [String]

  public var description: String {
    let given = values.map { "'\(ErrorText.quoted($0))'" }.joined(separator: ", then ")
    return "--\(option) is given \(values.count) times (\(given)); it takes one value, and only the last "
      + "would be used. Give it once.\n  See '\(command) --help' for its options."
  }

  /// The first single-value option that `arguments` give twice, or nil.
  ///
  /// Which options take one value is read from ArgumentParser's own
  /// description of the commands (`--experimental-dump-help`), so that it
  /// follows every option, including those of shared option groups; it is
  /// read only when some `--name` occurs twice.
  static func find(in arguments: [String], root: ParsableCommand.Type) -> RepeatedOptionError? {
    let options = arguments.prefix { $0 != "--" }.filter { $0.hasPrefix("--") }.map(Self.name)
    guard Set(options).count < options.count else { return nil }
    guard let tree = Self.tree(root) else { return nil }
    // Down the subcommands the arguments name.
    var node = tree
    var path = [(tree["commandName"] as? String) ?? "peerlens"]
    var rest = arguments[...]
    while let next = rest.first, !next.hasPrefix("-"),
          let sub = (node["subcommands"] as? [[String: Any]])?.first(where: { $0["commandName"] as? String == next }) {
      node = sub
      path.append(next)
      rest = rest.dropFirst()
    }
    let single = Set(((node["arguments"] as? [[String: Any]]) ?? []).compactMap { a -> [String]? in
      guard a["kind"] as? String == "option", a["isRepeating"] as? Bool != true else { return nil }
      return ((a["names"] as? [[String: Any]]) ?? []).compactMap { n in n["kind"] as? String == "long" ? n["name"] as? String : nil }
    }.joined())
    var seen: [String: [String]] = [:]
    var order: [String] = []
    var i = rest.startIndex
    while i < rest.endIndex, rest[i] != "--" {
      let token = rest[i]
      i += 1
      guard token.hasPrefix("--") else { continue }
      let name = Self.name(token)
      guard single.contains(name) else { continue }
      var value = ""
      if let eq = token.firstIndex(of: "=") {
        value = String(token[token.index(after: eq)...])
      } else if i < rest.endIndex {
        value = rest[i]
        i += 1
      }
      if seen[name] == nil { order.append(name) }
      seen[name, default: []].append(value)
    }
    guard let option = order.first(where: { seen[$0]!.count > 1 }) else { return nil }
    return RepeatedOptionError(command: path.joined(separator: " "), option: option, values: seen[option]!)
  }

  /// `--name` of `--name` or `--name=value`.
  static func name(_ token: String) -> String {
    String(token.dropFirst(2).prefix { $0 != "=" })
  }

  /// The command tree as ArgumentParser dumps it.
  static func tree(_ root: ParsableCommand.Type) -> [String: Any]? {
    do { _ = try root.parseAsRoot(["--experimental-dump-help"]) } catch {
      let text = root.fullMessage(for: error)
      guard let json = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return nil }
      return json["command"] as? [String: Any]
    }
    return nil
  }
}
