import Foundation
import Testing
@testable import PeerLensReports

/// Issue 18.3: the pages' HTML escaping (`HTMLEscaping`) and the XML
/// escaping of charts and workbooks (`XMLText`) work on UTF-8 bytes. They
/// must give what escaping by Unicode scalars gives, on any text, and
/// never leave a special character unescaped because a combining mark
/// follows it.
@Suite struct ByteEscapingTests {
  /// Escaping by Unicode scalars: the five HTML specials, nothing else.
  static func htmlByScalars(_ s: String) -> String {
    var out = ""
    for u in s.unicodeScalars {
      switch u {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default: out.unicodeScalars.append(u)
      }
    }
    return out
  }

  /// `XMLText.escape` as it was written before, by Unicode scalars: the
  /// characters XML cannot carry dropped, then the five specials escaped.
  static func xmlByScalars(_ s: String) -> String {
    var kept = String.UnicodeScalarView()
    for u in s.unicodeScalars {
      let control = u.value < 0x20 && u != "\t" && u != "\n" && u != "\r"
      if !control && u.value != 0xFFFE && u.value != 0xFFFF { kept.append(u) }
    }
    return htmlByScalars(String(kept))
  }

  /// Random text mixing the specials, controls, combining marks, CRLF,
  /// U+FFFE/U+FFFF and their neighbours, two- and four-byte characters.
  static func texts(count: Int) -> [String] {
    let pieces: [String] = ["a", "Z", " ", "&", "<", ">", "\"", "'", "\u{301}", "\u{338}", "\r\n", "\t", "\n", "\u{0}",
                            "\u{1F}", "\u{7F}", "é", "£", "\u{FFFE}", "\u{FFFF}", "\u{FFFD}", "\u{FEFF}", "\u{EFFF}",
                            "😀", "👩‍👩‍👧", "St Helens", "Bath & North East Somerset"]
    var state: UInt64 = 0x5EED_1234
    func next() -> Int {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Int(truncatingIfNeeded: state >> 33)
    }
    return (0..<count).map { _ in (0..<(next() % 12)).map { _ in pieces[next() % pieces.count] }.joined() }
  }

  @Test func htmlEscapingMatchesEscapingByScalars() {
    for s in Self.texts(count: 20_000) {
      #expect(HTMLEscaping.escape(s) == Self.htmlByScalars(s), "\(Array(s.unicodeScalars))")
    }
  }

  @Test func xmlEscapingMatchesEscapingByScalars() {
    for s in Self.texts(count: 20_000) {
      #expect(XMLText.escape(s) == Self.xmlByScalars(s), "\(Array(s.unicodeScalars))")
    }
  }

  /// A quote followed by a combining mark is one Swift `Character`, but
  /// the browser still ends the attribute at the quote: it must be
  /// escaped, in a value rendered through the real page templates.
  @Test func aQuoteBeforeACombiningMarkIsEscapedInPages() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("escaping-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    for name in ["authority", "region", "england", "glossary", "index"] {
      try FileManager.default.copyItem(at: Fixtures.reports.appendingPathComponent("\(name).mustache"),
                                       to: folder.appendingPathComponent("\(name).mustache"))
    }
    try FileManager.default.copyItem(at: Fixtures.reports.appendingPathComponent("style.css"),
                                     to: folder.appendingPathComponent("style.css"))
    try FileManager.default.removeItem(at: folder.appendingPathComponent("index.mustache"))
    try "<a title=\"{{name}}\">{{name}}</a>\n{{#items}}<i>{{.}}</i>{{/items}}\n"
      .write(to: folder.appendingPathComponent("index.mustache"), atomically: true, encoding: .utf8)
    let templates = try TemplateSet(folder: folder)
    let name = "x\"\u{301} onmouseover=alert(1) <\u{338}script>"
    let html = try templates.render("index", ["name": name, "items": ["'\u{301}", "&\u{301}"]])
    #expect(html == "<a title=\"x&quot;\u{301} onmouseover=alert(1) &lt;\u{338}script&gt;\">"
      + "x&quot;\u{301} onmouseover=alert(1) &lt;\u{338}script&gt;</a>\n<i>&#39;\u{301}</i><i>&amp;\u{301}</i>\n")
  }
}
