import Foundation
import TOMLKit

/// Every TOML file PeerLens reads (model specifications, the indicator
/// catalogue, neighbour and breakdown specs) is decoded here, so that each
/// gets the same check before the parser and the same errors after it.
///
/// The check exists because of a bug in the parser TOMLKit wraps (toml++):
/// a table header whose first character is neither a key character nor a
/// quote (`[$x]`, or `[` at the end of a line) reaches an assertion,
/// which aborts the process in a debug build and is undefined behaviour
/// in a release build. Found by the `model-spec` fuzz target
/// (`Tests/Fuzz/crashes/model-spec/`). Such a header is never valid TOML,
/// so refusing it first changes no valid file's meaning.
public enum TOMLFile {
  /// Decodes `text`, naming `source` in every error.
  public static func decode<T: Decodable>(_ type: T.Type, from text: String, source: String) throws -> T {
    if let problem = headerProblem(in: text) {
      throw CatalogueError.invalidTOML(file: source, line: problem.line,
                                       reason: "a table header must start with a key (letters, digits, _ or -) or a quoted key, found \(problem.found)")
    }
    do {
      return try TOMLDecoder().decode(T.self, from: text)
    } catch let e as TOMLParseError {
      throw CatalogueError.invalidTOML(file: source, line: Int(e.source.begin.line), reason: e.description)
    } catch let e as CatalogueError {
      throw e
    } catch {
      throw CatalogueError.invalidEntry(file: source, reason: String(describing: error))
    }
  }

  /// The first table header (1-based line) that does not start with a key.
  ///
  /// A light scan: strings (basic, literal, and their multi-line forms) and
  /// comments are skipped, and brackets after `=` are counted, so that an
  /// array value spread over lines is not taken for a header.
  static func headerProblem(in text: String) -> (line: Int, found: String)? {
    let chars = Array(text.unicodeScalars)
    var i = 0, line = 1
    var arrayDepth = 0
    var atLineStart = true
    var inValue = false
    func isKeyStart(_ c: Unicode.Scalar) -> Bool {
      (c.value >= 0x30 && c.value <= 0x39) || (c.value >= 0x41 && c.value <= 0x5A) || (c.value >= 0x61 && c.value <= 0x7A)
        || c == "_" || c == "-" || c == "\"" || c == "'" || c == "]"
    }
    func starts(_ s: String, at k: Int) -> Bool {
      let u = Array(s.unicodeScalars)
      return k + u.count <= chars.count && Array(chars[k..<k + u.count]) == u
    }
    while i < chars.count {
      let c = chars[i]
      if c == "\n" { line += 1; i += 1; atLineStart = true; if arrayDepth == 0 { inValue = false }; continue }
      if atLineStart && (c == " " || c == "\t" || c == "\r") { i += 1; continue }
      if atLineStart && arrayDepth == 0 && c == "[" {
        var k = i + 1
        while k < chars.count, chars[k] == " " || chars[k] == "\t" { k += 1 }
        if k < chars.count, chars[k] == "[" {
          k += 1
          while k < chars.count, chars[k] == " " || chars[k] == "\t" { k += 1 }
        }
        if k >= chars.count { return nil }  // the parser reports a header cut short at the end
        if !isKeyStart(chars[k]) {
          let found = chars[k] == "\n" || chars[k] == "\r" ? "the end of the line" : "'\(Character(chars[k]))'"
          return (line, found)
        }
        // The rest of the header: skip to its end of line (quoted keys aside, no value follows).
        atLineStart = false
        i = k
        continue
      }
      atLineStart = false
      if c == "#" {
        while i < chars.count, chars[i] != "\n" { i += 1 }
        continue
      }
      if let quote = ["\"\"\"", "'''"].first(where: { starts($0, at: i) }) {
        i += 3
        while i < chars.count, !starts(quote, at: i) {
          if chars[i] == "\n" { line += 1 }
          if quote == "\"\"\"" && chars[i] == "\\" { i += 1 }
          i += 1
        }
        i += 3
        continue
      }
      let d = chars[i]
      if d == "\"" || d == "'" {
        i += 1
        while i < chars.count, chars[i] != d, chars[i] != "\n" {
          if d == "\"" && chars[i] == "\\" { i += 1 }
          i += 1
        }
        if i < chars.count, chars[i] != "\n" { i += 1 }
        continue
      }
      if d == "=" { inValue = true }
      if inValue && d == "[" { arrayDepth += 1 }
      if inValue && d == "]" { arrayDepth = max(0, arrayDepth - 1) }
      i += 1
    }
    return nil
  }
}
