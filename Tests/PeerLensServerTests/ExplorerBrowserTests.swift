import Foundation
import Hummingbird
import HummingbirdTesting
import PeerLensAnalysis
import PeerLensReports
import Testing

/// The explorer in a real browser: headless Chromium driven by Selenium
/// (Debian's `chromium`, `chromium-driver` and `python3-selenium`, which
/// `.ci/run` installs). Without them the test fails and says what to
/// install; it is never skipped silently.
@Suite(.serialized) struct ExplorerBrowserTests {
  static let script = Fixtures.root.appendingPathComponent("Tests/Scripts/explorer_browser.py")

  @Test func switchingTheComparatorGroupChangesLabelsAndMedians() async throws {
    for tool in ["/usr/bin/chromium", "/usr/bin/chromedriver", "/usr/bin/python3"] {
      try #require(FileManager.default.isExecutableFile(atPath: tool),
                   "\(tool) is needed: apt-get install chromium chromium-driver python3-selenium")
    }
    let run = try Fixtures.run.get()
    let members = ["E06000002", "E06000003", "E06000004", "E06000005", "E08000021"]
    // The real command in its own process, as a user starts it.
    let server = try await ServeProcess()
    let output = try await ServeProcess.python("explorer_browser.py", [server.base, "E06000001", members.joined(separator: ","), "cla_rate"])
    _ = await server.interrupt()
    let page = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any], "\(output)")
    #expect((page["official_label"] as? String)?.contains("official neighbours") == true)
    #expect((page["region_label"] as? String)?.contains("other authorities in North East") == true)
    #expect((page["region_url"] as? String)?.contains("/authority/E06000001?group=region") == true)
    #expect((page["custom_label"] as? String)?.contains("custom group of 5") == true)
    for m in members { #expect((page["custom_url"] as? String)?.contains(m) == true) }
    // The median shown, against one computed here from the run's published figures.
    let bench = try #require(run.indicators.first { $0.indicator.id == "cla_rate" })
    let p = try #require(bench.latest)
    let figures = members.compactMap { bench.publishedFigure($0, p) }.sorted()
    let middle = figures.count % 2 == 1 ? figures[figures.count / 2] : (figures[figures.count / 2 - 1] + figures[figures.count / 2]) / 2
    #expect(page["custom_median"] as? String == NumberFormat.plain(middle, decimals: bench.indicator.decimals))
    // Nothing requested outside this server.
    let requested = try #require(page["requested"] as? [String])
    #expect(!requested.isEmpty)
    for url in requested { #expect(url.hasPrefix("http://127.0.0.1:"), "\(url)") }
  }
}
