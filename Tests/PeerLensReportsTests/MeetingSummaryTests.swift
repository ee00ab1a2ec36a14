import Foundation
import Testing
import PeerLensAnalysis
@testable import PeerLensReports

/// The two-page meeting summary at the front of every authority pack
/// (issue 19): it says exactly what the indicator sections say, strongest
/// evidence first, and prints on two A4 pages for every authority.
@Suite(.serialized) struct MeetingSummaryTests {
  /// For every authority: the summary's statements are the first (at most
  /// eight) of the pack's stand-out statements in order of evidence, each
  /// with its learning prompt and a section to link to; none is made up.
  @Test func summaryStatementsAreTheSectionsStandOutStatements() throws {
    let run = try Fixtures.real.get()
    let builder = PackBuilder(run: run, software: "PeerLens test")
    var kindsSeen = Set<StandOut.Kind>()
    var capped = 0
    for a in run.authorities {
      let pack = try builder.authorityPack(code: a.code)
      let summary = try #require(pack.summary)
      // Everything the sections say, rebuilt from the run independently of the summary.
      let all = run.indicators.flatMap { builder.standOuts($0, code: a.code) }
      #expect(summary.standsOut.count + summary.moreStandOut == all.count, "\(a.name)")
      #expect(summary.standsOut.count == min(all.count, MeetingSummary.cap), "\(a.name)")
      #expect(pack.prompts.count == all.count, "\(a.name): a statement without its prompt, or a prompt without a statement")
      let anchors = Set(pack.indicators.map(\.anchor))
      for s in summary.standsOut {
        #expect(all.contains(s), "\(a.name): '\(s.statement)' is not a section's statement")
        #expect(pack.prompts.contains(s.prompt), "\(a.name): '\(s.statement)' has no learning prompt")
        #expect(anchors.contains(s.anchor), "\(a.name): '\(s.statement)' links to no section")
        kindsSeen.insert(s.kind)
      }
      // Strongest evidence first: kinds never go back up the order, and
      // nothing left out is stronger than what is shown.
      for (x, y) in zip(summary.standsOut, summary.standsOut.dropFirst()) {
        #expect(x.kind <= y.kind, "\(a.name): \(x.kind) listed before \(y.kind)")
        if x.kind == y.kind { #expect(x.years >= y.years, "\(a.name)") }
      }
      if let weakestShown = summary.standsOut.last?.kind, summary.moreStandOut > 0 {
        capped += 1
        let shown = summary.standsOut.map(\.statement)
        for s in all where !shown.contains(s.statement) {
          #expect(s.kind >= weakestShown, "\(a.name): '\(s.statement)' left out for weaker evidence")
        }
      }
      // A section flagged outside a 99.8% limit is never met by "nothing stands out".
      let flagged = pack.indicators.contains { s in
        s.funnelFlag?.hasSuffix("99.8") == true || (s.contextPosition?.hasSuffix("99.8") == true && s.expected != nil)
      }
      if flagged { #expect(!summary.standsOut.isEmpty, "\(a.name): a 99.8% flag, but the summary lists nothing") }
      #expect((3...5).contains(summary.contextFacts.count), "\(a.name): \(summary.contextFacts.count) context facts")
      #expect(summary.titleLine.contains(a.name) && summary.titleLine.contains(run.officialLabel))
    }
    // The national run holds every kind of statement, so each kind's ordering was tested.
    #expect(kindsSeen == Set([.outsideGivenContext, .sustainedChange, .outsideAgainstEngland, .unusualPoint]))
    #expect(capped > 0, "no authority reached the cap, so the cap was not tested")
  }

  /// The summary leads the full pack, and `--format summary` writes it alone
  /// with its statements linked to the full pack's sections.
  @Test func summaryLeadsThePackAndStandsAlone() throws {
    let run = try Fixtures.real.get()
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("peerlens-summary-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: out) }
    let writer = PackWriter(run: run, templates: try TemplateSet(folder: Fixtures.reports), output: out,
                            formats: [.html, .summary], software: "PeerLens test")
    _ = try writer.write(authorities: ["E10000016"], regions: [], everything: false)  // Kent
    let full = try String(contentsOf: out.appendingPathComponent("authorities/E10000016.html"), encoding: .utf8)
    let alone = try String(contentsOf: out.appendingPathComponent("authorities/E10000016-summary.html"), encoding: .utf8)
    let summaryAt = try #require(full.range(of: "Summary for the meeting"))
    let contextAt = try #require(full.range(of: "1. Context and neighbours"))
    #expect(summaryAt.lowerBound < contextAt.lowerBound)
    #expect(alone.contains("Summary for the meeting") && !alone.contains("Indicators one by one") && !alone.contains("id=\"glossary\""))
    let pack = try PackBuilder(run: run, software: "PeerLens test").authorityPack(code: "E10000016")
    for s in try #require(pack.summary).standsOut {
      #expect(full.contains("<a href=\"#\(s.anchor)\">"))
      #expect(alone.contains("<a href=\"E10000016.html#\(s.anchor)\">"))
    }
  }

  /// Every authority's summary prints on exactly two A4 pages, and no
  /// printed page ends with a heading. Needs Chromium (`.ci/run` installs
  /// it) and, for the heading check, poppler's `pdftotext`.
  @Test func everySummaryPrintsOnTwoPagesWithNoHeadingAtAPageFoot() throws {
    let run = try Fixtures.real.get()
    let chromium = try #require(PDFRenderer.locateChromium(), "Chromium is needed for PDF output (apt-get install chromium)")
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("peerlens-summary-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: out) }
    var writer = PackWriter(run: run, templates: try TemplateSet(folder: Fixtures.reports), output: out,
                            formats: [.summary, .pdf], software: "PeerLens test")
    writer.chromium = chromium
    let codes = run.authorities.map(\.code)
    _ = try writer.write(authorities: codes, regions: [], everything: false)
    let headings = ["Summary for the meeting", "What stands out, in context", "Every indicator on one spine",
                    "Context that shapes the expectations most"] + run.catalogue.frameworks.map(\.heading)
    let pdftotext = ["/usr/bin/pdftotext", "/usr/local/bin/pdftotext"].first { FileManager.default.isExecutableFile(atPath: $0) }
    for code in codes {
      let pdf = out.appendingPathComponent("authorities/\(code)-summary.pdf")
      let bytes = try Data(contentsOf: pdf)
      #expect(Self.pageCount(bytes) == 2, "\(code): \(Self.pageCount(bytes) ?? -1) pages")
      guard let pdftotext else { continue }
      for page in 1...2 {
        let text = try Self.run(pdftotext, ["-layout", "-f", "\(page)", "-l", "\(page)", pdf.path, "-"])
        // Page numbers and the authority's name in the running header.
        #expect(text.contains("Page \(page) of 2"), "\(code): page \(page) has no page number")
        let name = try #require(run.registry.authority(code: code)?.name)
        #expect(text.contains("\(name) · contextualised comparison pack"), "\(code): page \(page) has no running header")
        // The last line of the page body (the page number below it is the footer).
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
          .filter { !$0.isEmpty && !$0.hasPrefix("Page ") }
        let last = lines.last ?? ""
        #expect(!headings.contains(last), "\(code): page \(page) ends with the heading '\(last)'")
      }
    }
    #expect(pdftotext != nil, "pdftotext (poppler-utils) is needed for the heading check")
  }

  /// The page count in the PDF's page tree (`/Type /Pages … /Count N`).
  static func pageCount(_ pdf: Data) -> Int? {
    let text = String(decoding: pdf, as: UTF8.self)
    guard let pages = text.range(of: "/Type /Pages") else { return nil }
    let tail = text[pages.upperBound...].prefix(400)
    guard let count = tail.range(of: "/Count ") else { return nil }
    return Int(tail[count.upperBound...].prefix { $0.isNumber })
  }

  static func run(_ tool: String, _ arguments: [String]) throws -> String {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: tool)
    p.arguments = arguments
    let pipe = Pipe()
    p.standardOutput = pipe
    try p.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
  }
}
