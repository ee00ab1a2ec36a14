import Foundation
import Hummingbird
import HummingbirdTesting
import PeerLensAnalysis
import PeerLensReports
import Testing
import _PeerLensTestSupport

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
    let members = ["E06000002", "E06000003", "E06000004", "E06000005", "E08000021"]
    let binary = try #require(ServeProcess.peerlensBinary(), "the peerlens executable is built beside the tests")
    // The real command in its own process, as a user starts it.
    let server = try await ServeProcess()
    let output = try await ServeProcess.python("explorer_browser.py", [
      server.base, "E06000001", members.joined(separator: ","), "cla_rate",
      binary.path, TestData.data.path, "cla_rate,rereferral_pct",
    ])
    _ = await server.interrupt()
    let page = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any], "\(output)")
    #expect((page["official_label"] as? String)?.contains("official neighbours") == true)
    #expect((page["region_label"] as? String)?.contains("other authorities in North East") == true)
    #expect((page["region_url"] as? String)?.contains("/authority/E06000001?group=region") == true)
    #expect((page["custom_label"] as? String)?.contains("custom group of 5") == true)
    for m in members { #expect((page["custom_url"] as? String)?.contains(m) == true) }
    // The median shown, against the one the script computed from a separate
    // `peerlens values` run (the dashboard's rule, in Python).
    let expected = try #require(page["values_median"] as? String)
    #expect(!expected.isEmpty)
    #expect(page["custom_median"] as? String == expected)
    // The downloaded CSV: one row per member × indicator × year, each as `peerlens values` gives it.
    let downloaded = try #require(page["csv_rows"] as? [[String: String]])
    let reference = try #require(page["values_rows"] as? [[String: String]])
    #expect(reference.count == members.count * 2 * 2, "members × 2 indicators × 2 years")
    #expect(downloaded.count == reference.count)
    func key(_ r: [String: String]) -> String { [r["new_la_code"], r["indicator_id"], r["time_period"]].map { $0 ?? "" }.joined(separator: "|") }
    let byKey = Dictionary(downloaded.map { (key($0), $0) }, uniquingKeysWith: { a, _ in a })
    for r in reference {
      let row = try #require(byKey[key(r)], "no CSV row for \(key(r))")
      // Numbers as the same double, whatever digits each writer chose; empty only where empty.
      func same(_ x: String?, _ y: String?) -> Bool {
        if let x, let y, let dx = Double(x), let dy = Double(y) { return dx == dy }
        return (x ?? "") == (y ?? "")
      }
      for field in ["status", "value", "published_value", "numerator", "denominator", "la_name"] {
        #expect(same(row[field], r[field]), "\(key(r)) \(field): \(row[field] ?? "-") vs \(r[field] ?? "-")")
      }
    }
    // Nothing requested outside this server.
    let requested = try #require(page["requested"] as? [String])
    #expect(!requested.isEmpty)
    for url in requested { #expect(url.hasPrefix("http://127.0.0.1:"), "\(url)") }
  }
}
