import Foundation
import Testing
import PeerLensAnalysis
import PeerLensData
import PeerLensReports
import _PeerLensTestSupport

/// Issue 22, items 6 and 8: packs lead with plain words (outcome headings
/// with the dashboard's numbers; statistical terms explained first and
/// kept for the methods notes and the glossary).
@Suite(.serialized) struct ReaderWordsTests {
  static let jargon = ["φ", "τ²", "winsoris", "over-dispersion", "overdispersion", "special-cause"]

  /// Headings as DfE's dashboard shows them, from a copy of its source.
  static func dashboardHeadings() throws -> [String: String] {
    let text = try String(contentsOf: TestData.fixtures.appendingPathComponent("dashboard/outcome_headings.txt"), encoding: .utf8)
    var out: [String: String] = [:]
    for line in text.split(separator: "\n") where !line.hasPrefix("#") {
      let parts = line.split(separator: ":", maxSplits: 1)
      if parts.count == 2, parts[0].hasPrefix("Outcome") {
        out[String(parts[0])] = parts[1].trimmingCharacters(in: .whitespaces)
      }
    }
    return out
  }

  /// Lower case, letters and spaces only, plural "homes" as "home": the
  /// dashboard's and the framework's wording differ only in such details.
  static func words(_ s: String) -> String {
    s.lowercased().filter { $0.isLetter || $0 == " " }.replacingOccurrences(of: "homes", with: "home")
  }

  @Test func outcomeNumbersAreTheDashboards() throws {
    let catalogue = try Fixtures.catalogue()
    let dashboard = try Self.dashboardHeadings()
    #expect(dashboard.count == 4)
    let outcomes = catalogue.frameworks.filter { $0.number?.hasPrefix("Outcome") == true }
    #expect(outcomes.count == 4)
    for f in outcomes {
      let theirs = try #require(dashboard[f.number!], "\(f.number!) is not on the dashboard")
      #expect(Self.words(theirs) == Self.words(f.title), "\(f.number!): dashboard '\(theirs)', catalogue '\(f.title)'")
      // The words lead; the number follows.
      #expect(f.heading.hasPrefix(f.title) && f.heading.hasSuffix("(\(f.number!))"))
    }
    // Shown in the dashboard's order.
    #expect(outcomes.map(\.number!) == ["Outcome 1", "Outcome 2", "Outcome 3", "Outcome 4"])
  }

  @Test func packsLeadWithTheWordsAndNoteTheNumberingOnce() throws {
    let run = try Fixtures.real.get()
    let html = try HTMLRendererProbe.render(run: run, code: "E06000017")
    // Section headings, and the captions of the summary's spine charts.
    let headings = html.components(separatedBy: "<h3>").dropFirst().map { $0.components(separatedBy: "</h3>")[0] }
      + html.components(separatedBy: "<figcaption>").dropFirst().map { $0.components(separatedBy: "</figcaption>")[0] }
    for f in run.catalogue.frameworks where run.indicators.contains(where: { $0.indicator.framework == f.id }) {
      let escaped = f.heading.replacingOccurrences(of: "'", with: "&#39;")
      #expect(headings.contains(escaped), "no overview heading '\(f.heading)'")
    }
    #expect(!headings.contains { $0.hasPrefix("Outcome ") }, "a heading leads with a number")
    #expect(html.components(separatedBy: "numbered as on DfE&#39;s Children&#39;s Social Care Outcomes and Enablers dashboard").count == 2)
  }

  /// Reader-facing text (everything but the methods notes and the
  /// glossary) has no unexplained statistical terms, and every page has
  /// the glossary that explains them.
  @Test func readerTextPutsPlainWordsFirst() throws {
    let run = try Fixtures.real.get()
    let (writer, out) = try Fixtures.htmlWriter(run)
    defer { try? FileManager.default.removeItem(at: out) }
    let northEast = try #require(run.registry.regions.first { $0.name == "North East" })
    _ = try writer.write(authorities: ["E06000017", "E08000025"], regions: [northEast.code], everything: true)
    let pages = ["authorities/E06000017.html", "authorities/E08000025.html", "regions/north-east.html", "england.html"]
    for page in pages {
      let html = try String(contentsOf: out.appendingPathComponent(page), encoding: .utf8)
      let glossary = try #require(html.components(separatedBy: "id=\"glossary\"").dropFirst().first, "\(page) has no glossary")
      for term in ["over-dispersion", "special-cause variation", "winsorised", "φ", "τ²", "Context skill", "Quartile band"] {
        #expect(glossary.contains(term), "\(page): glossary lacks \(term)")
      }
      // The reader's part: before the methods notes (provenance) and the glossary.
      let readerPart = html.components(separatedBy: "id=\"provenance\"")[0].components(separatedBy: "id=\"glossary\"")[0]
      let text = readerPart.replacingOccurrences(of: "<[^>]+>", with: " ", options: .regularExpression)
      for term in Self.jargon {
        #expect(!text.contains(term), "\(page): '\(term)' in reader-facing text")
      }
    }
  }
}

/// Every abbreviation the catalogue puts in a title, short title,
/// description or caveat (the words the spine, summary and sections show)
/// is spelled out in the glossary; UASC, SGO, ICPC, SDQ and the rest were
/// never expanded.
@Suite struct GlossaryAbbreviationTests {
  @Test func everyAbbreviationInTheCatalogueIsInTheGlossary() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let glossary = try String(contentsOf: root.appendingPathComponent("Reports/glossary.mustache"), encoding: .utf8)
    let abbreviations = try #require(glossary.components(separatedBy: "<dl class=\"abbreviations\">").last)
    let defined = Set(abbreviations.components(separatedBy: "<dt>").dropFirst().flatMap { entry in
      entry.prefix { $0 != "<" }.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    })
    let catalogue = try IndicatorCatalogue.load(from: root.appendingPathComponent("Models/indicators.toml"))
    let pattern = try NSRegularExpression(pattern: "\\b[A-Z][A-Z0-9]+\\b")
    var used = Set<String>()
    for i in catalogue.indicators {
      for text in [i.title, i.shortTitle ?? "", i.description, i.caveats ?? ""] {
        let range = NSRange(text.startIndex..., in: text)
        for m in pattern.matches(in: text, range: range) { used.insert(String(text[Range(m.range, in: text)!])) }
      }
    }
    #expect(used.count > 10, "\(used)")
    #expect(used.subtracting(defined).isEmpty, "not in the glossary: \(used.subtracting(defined).sorted())")
  }
}
