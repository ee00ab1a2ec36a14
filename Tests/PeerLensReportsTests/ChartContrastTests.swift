import Foundation
import Testing
import PeerLensAnalysis
import PeerLensData
import PeerLensReports
import _PeerLensTestSupport

/// Charts a person can read (issue 22.7), measured on generated pages:
/// WCAG 2.1 contrast on white of every data mark (3:1) and every text
/// (4.5:1), and chart text of at least 9 pt when printed on A4.
@Suite(.serialized) struct ChartContrastTests {
  /// WCAG 2.1 relative luminance of `#rgb` or `#rrggbb`.
  static func luminance(_ hex: String) -> Double? {
    var h = hex.trimmingCharacters(in: .whitespaces).lowercased()
    guard h.hasPrefix("#") else { return nil }
    h.removeFirst()
    if h.count == 3 { h = h.map { "\($0)\($0)" }.joined() }
    guard h.count == 6, let v = Int(h, radix: 16) else { return nil }
    func channel(_ c: Int) -> Double {
      let s = Double(c) / 255
      return s <= 0.04045 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4)
    }
    return 0.2126 * channel(v >> 16 & 255) + 0.7152 * channel(v >> 8 & 255) + 0.0722 * channel(v & 255)
  }

  static func contrast(_ a: String, _ b: String = "#ffffff") -> Double? {
    guard let x = luminance(a), let y = luminance(b) else { return nil }
    return (max(x, y) + 0.05) / (min(x, y) + 0.05)
  }

  @Test func theContrastFormulaGivesWCAGsFigures() {
    // The issue's figures for the old greys, and black on white.
    #expect(abs(Self.contrast("#BBBBBB")! - 1.9) < 0.05)
    #expect(abs(Self.contrast("#DDDDDD")! - 1.4) < 0.05)
    #expect(abs(Self.contrast("#000")! - 21) < 1e-9)
  }

  /// An element's attributes (name → value) from its start tag.
  static func attributes(_ tag: Substring) -> [String: String] {
    var out: [String: String] = [:]
    for piece in tag.components(separatedBy: "\" ") + [] {
      let kv = piece.split(separator: "=", maxSplits: 1).map(String.init)
      guard kv.count == 2 else { continue }
      let key = kv[0].split(separator: " ").last.map(String.init) ?? kv[0]
      out[key] = kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"/"))
    }
    return out
  }

  /// Every element of every `<svg>` in a page: (svg width, element name, attributes).
  static func elements(_ html: String) -> [(width: Double, name: String, attributes: [String: String])] {
    var out: [(Double, String, [String: String])] = []
    for svg in html.components(separatedBy: "<svg ").dropFirst() {
      let body = svg.components(separatedBy: "</svg>")[0]
      let head = attributes(body.prefix { $0 != ">" })
      let width = Double(head["width"] ?? "") ?? 0
      for tag in body.components(separatedBy: "<").dropFirst() where !tag.hasPrefix("/") {
        let name = String(tag.prefix { $0.isLetter })
        guard ["circle", "rect", "polygon", "polyline", "line", "text", "path", "ellipse"].contains(name) else { continue }
        out.append((width, name, attributes(tag.prefix { $0 != ">" })))
      }
    }
    return out
  }

  /// The print width of the page's content from the stylesheet's `@page`
  /// rule (A4 less the left and right margins), in CSS px.
  static func printWidth(_ css: String) throws -> Double {
    let page = try #require(css.components(separatedBy: "@page {").dropFirst().first?.components(separatedBy: "}").first)
    #expect(page.contains("size: A4"))
    let margins = try #require(page.components(separatedBy: "margin:").dropFirst().first)
      .split(separator: ";")[0].split(separator: " ").compactMap { Double($0.replacingOccurrences(of: "mm", with: "")) }
    let horizontal = margins.count >= 2 ? margins[1] : margins[0]
    return (210 - 2 * horizontal) / 25.4 * 96
  }

  @Test func dataMarksAndTextInGeneratedChartsAreLegible() throws {
    let run = try Fixtures.real.get()
    let (writer, out) = try Fixtures.htmlWriter(run)
    defer { try? FileManager.default.removeItem(at: out) }
    _ = try writer.write(authorities: ["E06000017"], regions: ["E12000004"], everything: true)
    let css = try String(contentsOf: Fixtures.reports.appendingPathComponent("style.css"), encoding: .utf8)
    let width = try Self.printWidth(css)
    #expect(abs(width - 703) < 1)
    // In print, two-column chart grids are stacked so charts keep their width.
    let print = try #require(css.components(separatedBy: "@media print").dropFirst().first)
    #expect(print.contains(".two, .small-multiples { display: block; }"))
    // The glossary's heading and note stay with its first entry (the reader's review found the heading at a page foot).
    #expect(print.contains("section.glossary > p.note, dt { break-after: avoid; page-break-after: avoid; }"))

    var checked = (marks: 0, text: 0)
    for page in ["authorities/E06000017.html", "regions/east-midlands.html", "england.html"] {
      let html = try String(contentsOf: out.appendingPathComponent(page), encoding: .utf8)
      let elements = Self.elements(html)
      #expect(!elements.isEmpty, "\(page) has no charts")
      for e in elements where e.attributes["class"] != "grid" {
        let a = e.attributes
        if e.name == "text" {
          let fill = a["fill"] ?? "#000"
          #expect((Self.contrast(fill) ?? 0) >= 4.5, "\(page): text in \(fill)")
          // Printed size: SVG units scaled to the printed width.
          let size = Double(a["font-size"] ?? "") ?? 0
          let printed = size * min(1, width / e.width)
          #expect(printed >= 12, "\(page): text at \(printed) px (\(printed * 0.75) pt) in print")
          checked.text += 1
          continue
        }
        // A mark stands out through its fill or its outline.
        let fill = a["fill"].flatMap { Self.contrast($0) } ?? 0
        let stroke = a["stroke"].flatMap { Self.contrast($0) } ?? 0
        let best = e.name == "line" || e.name == "polyline" ? stroke : max(fill, stroke)
        #expect(best >= 3, "\(page): \(e.name) fill \(a["fill"] ?? "-") stroke \(a["stroke"] ?? "-")")
        checked.marks += 1
      }
    }
    #expect(checked.marks > 500 && checked.text > 200)

    // The stylesheet's text colours, on white and on the panel grey.
    let panel = try #require(css.components(separatedBy: "--panel:").dropFirst().first?.split(separator: ";").first)
      .trimmingCharacters(in: .whitespaces)
    var variables: [String: String] = [:]
    for v in ["--ink", "--muted", "--accent"] {
      variables[v] = css.components(separatedBy: "\(v):").dropFirst().first?.split(separator: ";").first
        .map { $0.trimmingCharacters(in: .whitespaces) }
    }
    let colours = css.components(separatedBy: "color:").dropFirst()
      .map { $0.split(separator: ";")[0].split(separator: "}")[0].trimmingCharacters(in: .whitespaces) }
      .filter { !$0.hasPrefix("inherit") }
    #expect(colours.count >= 5)
    for c in colours {
      let hex = c.hasPrefix("var(") ? variables[String(c.dropFirst(4).dropLast())] ?? c : c
      #expect((Self.contrast(hex) ?? 0) >= 4.5, "text colour \(c) on white")
      #expect((Self.contrast(hex, panel) ?? 0) >= 4.5, "text colour \(c) on \(panel)")
    }
    // The legend keys of the authority pack, as the marks they key.
    let rutland = try String(contentsOf: out.appendingPathComponent("authorities/E06000017.html"), encoding: .utf8)
    for swatch in rutland.components(separatedBy: "class=\"swatch").dropFirst() {
      let style = swatch.components(separatedBy: "style=\"")[1].split(separator: "\"")[0]
      let background = style.components(separatedBy: "background:")[1].split(separator: ";")[0]
      let border = style.contains("border-color:")
        ? String(style.components(separatedBy: "border-color:")[1].split(separator: ";")[0]) : "#000"
      let best = max(Self.contrast(String(background)) ?? 0, Self.contrast(border) ?? 0)
      #expect(best >= 3, "legend swatch \(style)")
    }
  }
}
