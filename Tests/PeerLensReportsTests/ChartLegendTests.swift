import Foundation
import Testing
import PeerLensAnalysis
@testable import PeerLensReports

/// Readable charts (issue 19.4): each chart carries its own key, and a
/// figure resting on few children says so.
@Suite(.serialized) struct ChartLegendTests {
  @Test func smallNumbersAreNamedAtTheThresholds() {
    #expect(Phrases.smallNumbers(numerator: 9, denominator: 500)?.contains("counts 9 children") == true)
    #expect(Phrases.smallNumbers(numerator: 1, denominator: 500)?.contains("counts 1 child,") == true)
    #expect(Phrases.smallNumbers(numerator: 10, denominator: 500) == nil)
    #expect(Phrases.smallNumbers(numerator: 12, denominator: 19)?.contains("a share of 19 children") == true)
    #expect(Phrases.smallNumbers(numerator: 12, denominator: 20) == nil)
    #expect(Phrases.smallNumbers(numerator: nil, denominator: nil) == nil)
  }

  /// Rutland (a small authority): every rate or percentage on fewer than 10
  /// children carries the note in the page, and each chart its key.
  @Test func aSmallAuthorityPackNotesSmallNumbersAndKeysEveryChart() throws {
    let run = try Fixtures.real.get()
    let pack = try PackBuilder(run: run, software: "PeerLens test").authorityPack(code: "E06000017")
    let (writer, out) = try Fixtures.htmlWriter(run)
    defer { try? FileManager.default.removeItem(at: out) }
    _ = try writer.write(authorities: ["E06000017"], regions: [], everything: false)
    let html = try String(contentsOf: out.appendingPathComponent("authorities/E06000017.html"), encoding: .utf8)
    var small = 0
    for s in pack.indicators where s.value != nil && (s.unit == "rate_per_10000" || s.unit == "percentage") {
      let expectNote = (s.numerator.map { $0 < 10 } ?? false) || (s.denominator.map { $0 < 20 } ?? false)
      #expect((s.smallNumbersNote != nil) == expectNote, "\(s.id): numerator \(s.numerator ?? -1), denominator \(s.denominator ?? -1)")
      if let note = s.smallNumbersNote {
        small += 1
        #expect(html.contains(note.replacingOccurrences(of: "'", with: "&#39;")), "\(s.id): the note is not on the page")
      }
    }
    #expect(small > 0, "Rutland has no small numbers, so the note was not tested")
    let sections = html.components(separatedBy: "<section class=\"indicator\"").count - 1
    #expect(sections == pack.indicators.count)
    #expect(html.components(separatedBy: "ringed: unusual against its own history").count - 1 == sections, "a trend chart without its key")
    // Funnel charts: SVG elements whose own id starts "funnel-".
    let funnels = html.components(separatedBy: "<svg").dropFirst().filter { $0.prefix(300).contains("id=\"funnel-") }.count
    #expect(funnels > 0)
    #expect(html.components(separatedBy: "solid lines: 99.8% limits").count - 1 == funnels, "a funnel without its key")
  }

  /// The running header is a CSS string inside a <style> element: no name
  /// can end the string or the element.
  @Test func runningHeaderTextIsEscapedForCSS() {
    #expect(HTMLRenderer.cssString("Bath \"North\" East") == "Bath \\\"North\\\" East")
    #expect(HTMLRenderer.cssString("a\\b") == "a\\\\b")
    #expect(HTMLRenderer.cssString("</style><script>") == "\\3C /style>\\3C script>")
    #expect(HTMLRenderer.cssString("two\r\nlines\n") == "two lines ")
  }
}
