import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// A pack served by the explorer links only to pages the explorer has:
/// the template's "All packs" (`../index.html`, a page of a written pack
/// folder) answered 404 there.
@Suite struct ServedPackLinkTests {
  @Test(arguments: ["E06000001", "E08000035"])
  func servedPackLinksToTheExplorerHome(code: String) async throws {
    let r = try await Fixtures.get("/pack/\(code).html")
    #expect(r.status == .ok)
    let page = Fixtures.text(r)
    #expect(!page.contains("href=\"../"), "a link out of /pack/ to a page the explorer has not got")
    #expect(!page.contains("index.html"))
    #expect(page.contains("<a href=\"/\">Explorer home</a>"))
    // Every link on the page is to itself (#…) or to a page of the explorer that answers.
    let hrefs = page.components(separatedBy: "href=\"").dropFirst().compactMap { $0.split(separator: "\"").first.map(String.init) }
    for href in Set(hrefs) where !href.hasPrefix("#") && !href.hasPrefix("data:") {
      let target = try await Fixtures.get(href)
      #expect(target.status == .ok || target.status == .seeOther, "\(href) answers \(target.status)")
    }
  }
}
