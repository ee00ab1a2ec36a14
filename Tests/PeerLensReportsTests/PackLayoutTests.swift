import Foundation
import PeerLensAnalysis
import Testing
@testable import PeerLensReports

/// Pack pages laid out by a real browser (headless Chromium through
/// Selenium, which `.ci/run` installs): at a laptop's and a tablet's width
/// no chart or key spills out of its side-by-side pair and no page scrolls
/// sideways. Without the browser the test fails and says what to install.
///
/// Why: a key written as one unbreakable line (items with no space between
/// them) widened the trend's column in the `1fr 1fr` grid and pushed every
/// funnel plot past the right edge of the screen; print had its own rules
/// and was right.
@Suite(.serialized) struct PackLayoutTests {
  static let script = Fixtures.root.appendingPathComponent("Tests/Scripts/pack_layout.py")

  @Test func chartsStayInsideTheirColumnsOnScreen() throws {
    for tool in ["/usr/bin/chromium", "/usr/bin/chromedriver", "/usr/bin/python3"] {
      try #require(FileManager.default.isExecutableFile(atPath: tool),
                   "\(tool) is needed: apt-get install chromium chromium-driver python3-selenium")
    }
    let run = try Fixtures.real.get()
    let (writer, out) = try Fixtures.htmlWriter(run)
    defer { try? FileManager.default.removeItem(at: out) }
    // Manchester: a long name in the trend's key.
    _ = try writer.write(authorities: ["E08000003"], regions: ["E12000002"], everything: true)
    let pages = ["authorities/E08000003.html", "regions/north-west.html", "england.html"].map { out.appendingPathComponent($0).path }

    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
    p.arguments = [Self.script.path, "1200,800"] + pages
    let stdout = Pipe(), stderr = Pipe()
    p.standardOutput = stdout
    p.standardError = stderr
    try p.run()
    let text = stdout.fileHandleForReading.readDataToEndOfFile()
    let problems = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    try #require(p.terminationStatus == 0, "pack_layout.py failed: \(problems.suffix(2000))")

    let results = try #require(try JSONSerialization.jsonObject(with: text) as? [[String: Any]])
    #expect(results.count == pages.count * 2)
    var pairs = 0
    for r in results {
      let name = "\(r["page"] ?? "?") at \(r["width"] ?? "?") px"
      let scroll = try #require(r["scroll"] as? Double), client = try #require(r["client"] as? Double)
      #expect(scroll <= client, "\(name) scrolls sideways: \(scroll) px of content in \(client)")
      let overflows = try #require(r["overflows"] as? [[String: Any]])
      #expect(overflows.isEmpty, "\(name): \(overflows.count) charts or keys outside their pair, first \(overflows.first ?? [:])")
      pairs += (r["pairs"] as? Int) ?? 0
    }
    // The authority page alone has a trend-and-funnel pair per indicator.
    #expect(pairs > 100, "only \(pairs) side-by-side pairs measured")
  }
}
