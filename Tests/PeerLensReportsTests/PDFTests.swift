import Foundation
import Testing
import PeerLensAnalysis
import PeerLensReports

/// `--format pdf`: packs printed through headless Chromium, byte for byte
/// reproducible, and a clear note where Chromium is missing.
@Suite(.serialized) struct PDFTests {
  func scratch() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("peerlens-pdf-\(UUID().uuidString)")
  }

  @Test func normalisingSetsDatesAndRenumbersTagsAtTheSameLength() {
    let raw = "%PDF-1.4\n/CreationDate (D:20261204014133+00'00')\n/ModDate (D:20261204014133+00'00')>>\n"
      + "/ID (node00000499)>> /K (node00000502) /P (node00000499) (node0000050) end"
    let out = String(decoding: PDFRenderer.normalised(Data(raw.utf8), date: "D:20250331000000"), as: UTF8.self)
    #expect(out.utf8.count == raw.utf8.count)
    #expect(out.contains("/CreationDate (D:20250331000000+00'00')") && out.contains("/ModDate (D:20250331000000+00'00')"))
    #expect(out.contains("/ID (node00000000)>> /K (node00000001) /P (node00000000)"))
    // Not a tag id (seven digits): left alone.
    #expect(out.contains("(node0000050) end"))
  }

  /// Links to the run's other pages are made relative to the page, at the
  /// same length, so two prints in different folders agree (issue 22.4).
  @Test func linksToOtherPagesBecomeRelative() {
    let raw = "<< /URI (file:///tmp/run-1234/index.html) >> << /URI (file:///tmp/run-1234/authorities/E06000001.html) >>"
      + " << /URI (https://example.org/x) >>"
    let page = URL(fileURLWithPath: "/tmp/run-1234/authorities/E06000017.html")
    let out = String(decoding: PDFRenderer.normalised(Data(raw.utf8), date: "D:20250331000000", page: page), as: UTF8.self)
    #expect(out.utf8.count == raw.utf8.count)
    #expect(out.contains("/URI (../index.html)   "))
    #expect(out.contains("/URI (E06000001.html) ") || out.contains("/URI (../authorities/E06000001.html)"))
    #expect(out.contains("/URI (https://example.org/x)"))
    #expect(!out.contains("run-1234"))
  }

  @Test func aPackPrintsToTheSameBytesTwice() throws {
    let run = try Fixtures.real.get()
    let chromium = try #require(PDFRenderer.locateChromium(), "Chromium is needed for PDF output (apt-get install chromium)")
    var pdfs: [Data] = []
    for k in 0..<2 {
      // The second in a folder with a longer path and a space: Chromium
      // writes links as absolute addresses, padded to their length when
      // made relative, and the two prints differed in that padding.
      let top = scratch()
      let out = k == 0 ? top : top.appendingPathComponent("sp dir/a longer folder")
      defer { try? FileManager.default.removeItem(at: top) }
      var writer = PackWriter(run: run, templates: try TemplateSet(folder: Fixtures.reports), output: out,
                              formats: [.html, .pdf], software: "PeerLens test")
      writer.chromium = chromium
      let summary = try writer.write(authorities: ["E06000017"], regions: [], everything: false)
      #expect(summary.files.contains("authorities/E06000017.pdf"))
      #expect(summary.notes.isEmpty)
      pdfs.append(try Data(contentsOf: out.appendingPathComponent("authorities/E06000017.pdf")))
      if pdfs.count == 1 { try Self.noHeadingEndsAPage(out.appendingPathComponent("authorities/E06000017.pdf"), run: run) }
    }
    #expect(pdfs[0].starts(with: Data("%PDF".utf8)))
    #expect(pdfs[0].count > 50_000)
    #expect(pdfs[0] == pdfs[1], "two prints of the same pack in two folders differ")
    // Three indicators to a page where they fit (issue 19.2: about half the
    // pages): before, each indicator took a page of its own, and the pack
    // ran to more pages than it has indicators. Now the summary, context,
    // breakdowns, provenance and glossary together with the indicators fit
    // in little more than half as many pages as there are indicators.
    let pages = try #require(MeetingSummaryTests.pageCount(pdfs[0]))
    #expect(pages <= run.indicators.count * 11 / 20, "\(pages) pages for \(run.indicators.count) indicators")
    // The date comes from the data (year ending 31 March 2025), not the clock.
    #expect(String(decoding: pdfs[0].prefix(2000), as: UTF8.self).contains("/CreationDate (D:20250331000000"))
  }

  /// No printed page of the pack ends with a heading (section or
  /// indicator title): read back with poppler's `pdftotext -layout`.
  static func noHeadingEndsAPage(_ pdf: URL, run: NationalRun) throws {
    let tool = try #require(["/usr/bin/pdftotext", "/usr/local/bin/pdftotext"].first {
      FileManager.default.isExecutableFile(atPath: $0) }, "pdftotext (poppler-utils) is needed")
    let headings = Set(run.indicators.map(\.indicator.title) + ["1. Context and neighbours", "2. Indicators one by one",
      "3. Breakdowns", "4. Learning prompts", "5. Provenance", "Glossary", "Summary for the meeting"])
    let pages = try #require(MeetingSummaryTests.pageCount(try Data(contentsOf: pdf)))
    for page in 1...pages {
      let text = try MeetingSummaryTests.run(tool, ["-layout", "-f", "\(page)", "-l", "\(page)", pdf.path, "-"])
      let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        .filter { !$0.isEmpty && !$0.hasPrefix("Page ") }
      #expect(!headings.contains(lines.last ?? ""), "page \(page) ends with the heading '\(lines.last ?? "")'")
    }
  }

  /// A Chromium that never exits is stopped after the time limit, with an
  /// error naming the page (the run waited for ever on it).
  @Test func aChromiumThatHangsIsStopped() throws {
    let folder = scratch()
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let fake = folder.appendingPathComponent("chromium")
    try "#!/bin/sh\nsleep 30\n".write(to: fake, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake.path)
    let html = folder.appendingPathComponent("page.html")
    try "<p>x</p>".write(to: html, atomically: true, encoding: .utf8)
    let pdf = folder.appendingPathComponent("page.pdf")
    let started = Date()
    #expect {
      try PDFRenderer(chromium: fake, date: "D:20250331000000", timeout: 1).render(html: html, to: pdf)
    } throws: { error in
      let message = (error as? LocalizedError)?.errorDescription ?? ""
      // It names the program that hung, which need not be called chromium.
      return message.contains("(\(fake.path)) had not printed page.html to PDF after 1 seconds")
        && message.contains("'\(fake.path) --headless")
    }
    #expect(Date().timeIntervalSince(started) < 20)
    #expect(!FileManager.default.fileExists(atPath: pdf.path))
  }

  @Test func withoutChromiumTheOtherFormatsAreWrittenWithANote() throws {
    let run = try Fixtures.real.get()
    let out = scratch()
    defer { try? FileManager.default.removeItem(at: out) }
    var writer = PackWriter(run: run, templates: try TemplateSet(folder: Fixtures.reports), output: out,
                            formats: [.html, .csv, .pdf], software: "PeerLens test")
    writer.chromium = nil
    let summary = try writer.write(authorities: ["E06000017"], regions: [], everything: false)
    #expect(summary.notes == [PDFRenderer.installHint])
    #expect(PDFRenderer.installHint.contains("apt-get install chromium"))
    let fm = FileManager.default
    #expect(fm.fileExists(atPath: out.appendingPathComponent("authorities/E06000017.html").path))
    #expect(fm.fileExists(atPath: out.appendingPathComponent("authorities/E06000017.csv").path))
    #expect(!fm.fileExists(atPath: out.appendingPathComponent("authorities/E06000017.pdf").path))
  }
}
