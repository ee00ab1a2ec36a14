import Foundation
import TOMLKit
import PeerLensStatistics

/// Every TOML file PeerLens reads (model specifications, the indicator
/// catalogue, neighbour and breakdown specs) is decoded here, so that each
/// gets the same check before the parser and the same errors after it.
///
/// The check exists because of bugs in the parser TOMLKit wraps (toml++):
/// some malformed documents reach an internal assertion instead of an
/// error, which aborts the process in a debug build and is undefined
/// behaviour in a release build. The `model-spec` fuzz target found two:
/// a table header that starts with neither a key nor a quote (`[$x]`), and
/// a value position holding a terminator (`family = [}`); both inputs are
/// kept under `Tests/Fuzz/crashes/model-spec/`. The check walks the
/// document's structure and refuses, with the line, any place where a key
/// or a value must start and neither does: never valid TOML, so no valid
/// file changes meaning.
public enum TOMLFile {
  /// Decodes `text`, naming `source` in every error.
  ///
  /// - Parameter layout: what the file should hold, so that a key that is
  ///   missing or holds the wrong kind of value is refused with what was
  ///   expected (`describe(_:in:layout:)`).
  ///   - strictKeys: refuse keys the type does not read (the default;
  ///     off only to check a document's structure alone).
  public static func decode<T: Decodable>(_ type: T.Type, from text: String, source: String,
                                          layout: TOMLLayout? = nil, strictKeys: Bool = true) throws -> T {
    if let problem = structureProblem(in: text) {
      throw CatalogueError.invalidTOML(file: source, line: problem.line, reason: problem.reason)
    }
    do {
      // Strict: a key no type reads is refused. A misspelt key (`lnk =
      // "log"`, `metirc = …`) was skipped, and the model fitted with the
      // default in its place without a word.
      return try TOMLDecoder(strictDecoding: strictKeys).decode(T.self, from: text)
    } catch let e as UnexpectedKeysError {
      throw CatalogueError.invalidEntry(file: source, reason: unexpectedKeys(e, in: text))
    } catch let e as TOMLParseError {
      throw CatalogueError.invalidTOML(file: source, line: Int(e.source.begin.line), reason: e.description)
    } catch let e as CatalogueError {
      throw e
    } catch let e as DecodingError {
      throw CatalogueError.invalidEntry(file: source, reason: describe(e, in: text, layout: layout))
    } catch {
      throw CatalogueError.invalidEntry(file: source, reason: String(describing: error))
    }
  }

  /// Keys no type reads, in words: each dotted key with its line, and the
  /// nearest key the same table does read where one is close.
  static func unexpectedKeys(_ e: UnexpectedKeysError, in text: String) -> String {
    let keys = e.keys.map { key, path in (path.map(\.stringValue).joined(separator: "."), key) }
      .sorted { $0.0 < $1.0 }
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    let described = keys.map { dotted, key -> String in
      // The line that sets it: the first line starting with the key itself.
      let line = lines.firstIndex { l in
        let t = l.drop { $0 == " " || $0 == "\t" }
        return t.hasPrefix(key) && t.dropFirst(key.count).drop { $0 == " " || $0 == "\t" }.first.map { $0 == "=" || $0 == "." } == true
          || t.hasPrefix("[\(dotted)]") || t.hasPrefix("[\(key)]")
      }.map { " (line \($0 + 1))" } ?? ""
      return "'\(dotted)'\(line)"
    }
    return "\(keys.count == 1 ? "the key" : "the keys") \(EnglishList.first(5, of: described)) \(keys.count == 1 ? "is" : "are") "
      + "not read by PeerLens (a misspelling would otherwise be skipped and its default used without a word); "
      + "check the spelling against the documented keys, or remove \(keys.count == 1 ? "it" : "them")"
  }

  /// The most dotted parts a key or table header may have.
  static let maxKeyParts = 64

  static func isKeyStart(_ c: Unicode.Scalar) -> Bool {
    (c.value >= 0x30 && c.value <= 0x39) || (c.value >= 0x41 && c.value <= 0x5A) || (c.value >= 0x61 && c.value <= 0x7A)
      || c == "_" || c == "-" || c == "\"" || c == "'"
  }

  /// What can start a value: a string, a number, a boolean, inf/nan, an
  /// array or an inline table.
  static func isValueStart(_ c: Unicode.Scalar) -> Bool {
    (c.value >= 0x30 && c.value <= 0x39) || "\"'+-.tfTFinIN[{".unicodeScalars.contains(c)
  }

  static func describe(_ c: Unicode.Scalar?) -> String {
    guard let c else { return "the end of the file" }
    if c == "\n" || c == "\r" { return "the end of the line" }
    return "'\(Character(c))'"
  }

  /// The first place (1-based line) where a key or value must start and
  /// does not, with what was expected.
  ///
  /// A structural scan, not a parser: it skips strings and comments, tracks
  /// arrays and inline tables, and looks only at the character that opens
  /// each key and value. The parser still reports every other error.
  static func structureProblem(in text: String) -> (line: Int, reason: String)? {
    let tooManyParts = "a key with more than \(maxKeyParts) dotted parts (tables nested that deep are not read)"
    let chars = Array(text.unicodeScalars)
    var i = 0, line = 1
    enum Want { case nothing, value, keyOrClose, valueOrClose }
    var want = Want.nothing
    var stack: [Unicode.Scalar] = []  // "[" for an array, "{" for an inline table
    var atLineStart = true
    // Dots in the key being read: toml++ recurses once per dotted part when
    // it closes the tables, so a header 100,000 parts long overflowed the
    // stack; no file PeerLens reads nests more than three.
    var keyParts = 1, inKey = true
    func at(_ k: Int) -> Unicode.Scalar? { k < chars.count ? chars[k] : nil }
    func starts(_ s: String, at k: Int) -> Bool {
      let u = Array(s.unicodeScalars)
      return k + u.count <= chars.count && Array(chars[k..<k + u.count]) == u
    }
    /// Skips a string starting at `i`; false if none starts there.
    func skipString() -> Bool {
      for quote in ["\"\"\"", "'''"] where starts(quote, at: i) {
        i += 3
        while i < chars.count, !starts(quote, at: i) {
          if chars[i] == "\n" { line += 1 }
          if quote == "\"\"\"", chars[i] == "\\", at(i + 1) != "\n" { i += 1 }
          i += 1
        }
        i += 3
        return true
      }
      guard let d = at(i), d == "\"" || d == "'" else { return false }
      i += 1
      while let c = at(i), c != d, c != "\n" {
        if d == "\"", c == "\\", at(i + 1) != "\n" { i += 1 }
        i += 1
      }
      if at(i) == d { i += 1 }
      return true
    }
    while i < chars.count {
      let c = chars[i]
      if c == " " || c == "\t" || c == "\r" { i += 1; continue }
      if c == "\n" {
        // A value after `=` must start on the same line.
        if want == .value { return (line, "a value after '=' must be on the same line, found the end of the line") }
        line += 1; i += 1
        atLineStart = stack.isEmpty
        if atLineStart { inKey = true; keyParts = 1 }
        continue
      }
      if c == "#" {
        if want == .value { return (line, "expected a value after '=', found a comment") }
        while i < chars.count, chars[i] != "\n" { i += 1 }
        continue
      }
      switch want {
      case .value, .valueOrClose:
        if want == .valueOrClose, c == "]" { break }
        guard isValueStart(c) else { return (line, "expected a value, found \(describe(c))") }
      case .keyOrClose:
        if c == "}" { break }
        guard isKeyStart(c) else { return (line, "expected a key in the inline table, found \(describe(c))") }
      case .nothing:
        if atLineStart, stack.isEmpty, c != "[", !isKeyStart(c) {
          return (line, "expected a key or a table header, found \(describe(c))")
        }
      }
      let wanted = want
      want = .nothing
      if atLineStart && stack.isEmpty && c == "[" {
        // A table header: `[` or `[[`, then a key.
        atLineStart = false
        var k = i + 1
        while let s = at(k), s == " " || s == "\t" { k += 1 }
        if at(k) == "[" {
          k += 1
          while let s = at(k), s == " " || s == "\t" { k += 1 }
        }
        guard let s = at(k), isKeyStart(s) else {
          return (line, "a table header must start with a key (letters, digits, _ or -) or a quoted key, found \(describe(at(k)))")
        }
        // The rest of the header, to its end of line (quoted keys skipped).
        i = k
        var parts = 1
        while let s = at(i), s != "\n", s != "#" {
          if skipString() { continue }
          if s == "." { parts += 1 }
          if parts > maxKeyParts { return (line, tooManyParts) }
          i += 1
        }
        inKey = false
        continue
      }
      atLineStart = false
      if skipString() { continue }
      if inKey, c == "." {
        keyParts += 1
        if keyParts > maxKeyParts { return (line, tooManyParts) }
      }
      switch c {
      case "=": want = .value; inKey = false
      case "[" where wanted == .value || wanted == .valueOrClose:
        stack.append("["); want = .valueOrClose
      case "{" where wanted == .value || wanted == .valueOrClose:
        stack.append("{"); want = .keyOrClose; inKey = true; keyParts = 1
      case "]", "}":
        if let top = stack.last, (top == "[" && c == "]") || (top == "{" && c == "}") { stack.removeLast() }
        atLineStart = false
      case ",":
        if let top = stack.last {
          want = top == "[" ? .valueOrClose : .keyOrClose
          if top == "{" { inKey = true; keyParts = 1 }
        }
      default: break
      }
      i += 1
    }
    if want == .value { return (line, "expected a value after '=', found the end of the file") }
    return nil
  }
}
