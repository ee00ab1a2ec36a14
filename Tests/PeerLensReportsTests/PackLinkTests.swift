import Foundation
import Testing
import PeerLensAnalysis
import PeerLensData
import PeerLensReports
import _PeerLensTestSupport

/// Every link in a run's pages resolves (issue 22.4): relative links to a
/// file that exists, fragment links to an id on the page.
@Suite(.serialized) struct PackLinkTests {
  /// One authority and a region it does not belong to: the region's other
  /// members, the other regions and England are not written, so no page
  /// may link to them; each page still links to the index.
  @Test func aPartialRunLinksOnlyToPagesItWrote() throws {
    let run = try Fixtures.real.get()
    let (writer, out) = try Fixtures.htmlWriter(run)
    defer { try? FileManager.default.removeItem(at: out) }
    // Rutland (East Midlands) and the North East region pack.
    _ = try writer.write(authorities: ["E06000017"], regions: ["E12000001"], everything: false)
    let problems = try LinkCheck.broken(in: out)
    #expect(problems.isEmpty, "\(problems.prefix(5))")
    let rutland = try String(contentsOf: out.appendingPathComponent("authorities/E06000017.html"), encoding: .utf8)
    #expect(rutland.contains("href=\"../index.html\""))
    #expect(!rutland.contains("east-midlands.html") && !rutland.contains("england.html"))
    let index = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
    #expect(index.contains("href=\"authorities/E06000017.html\"") && index.contains("href=\"regions/north-east.html\""))
    #expect(HTMLCheck.problems(index).isEmpty, "\(HTMLCheck.problems(index).prefix(3))")
    // What the index holds, counted in words (it read "1 authority pack(s) · regional packs").
    #expect(index.contains("<p>1 authority pack · 1 regional pack</p>"))
    let region = try String(contentsOf: out.appendingPathComponent("regions/north-east.html"), encoding: .utf8)
    #expect(!region.contains("../authorities/"), "the North East's authorities have no pages in this run")
  }
}

/// Walks every `href` of every HTML page under a folder.
enum LinkCheck {
  /// The `href` values of a page, in order (entities as Mustache writes them).
  static func hrefs(_ html: String) -> [String] {
    html.components(separatedBy: "href=\"").dropFirst().compactMap { $0.split(separator: "\"", maxSplits: 1).first }
      .map { String($0).replacingOccurrences(of: "&amp;", with: "&") }
  }

  /// Problems found: absolute links, targets that do not exist, fragments
  /// with no matching `id`.
  static func broken(in root: URL) throws -> [String] {
    var problems: [String] = []
    let pages = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)!
      .compactMap { $0 as? URL }.filter { $0.pathExtension == "html" }
    for page in pages {
      let html = try String(contentsOf: page, encoding: .utf8)
      let name = page.path.replacingOccurrences(of: root.path, with: "")
      for href in hrefs(html) {
        if href.contains("://") || href.hasPrefix("/") {
          problems.append("\(name): \(href) is not relative")
          continue
        }
        let parts = href.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        var target = html
        if !parts[0].isEmpty {
          let file = page.deletingLastPathComponent().appendingPathComponent(parts[0]).standardizedFileURL
          guard FileManager.default.fileExists(atPath: file.path) else {
            problems.append("\(name): \(href) does not exist")
            continue
          }
          target = parts.count > 1 ? try String(contentsOf: file, encoding: .utf8) : ""
        }
        if parts.count > 1, !target.contains("id=\"\(parts[1])\"") {
          problems.append("\(name): no id for \(href)")
        }
      }
    }
    return problems
  }
}
