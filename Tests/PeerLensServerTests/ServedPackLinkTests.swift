import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// A pack served by the explorer links only to pages the explorer has:
/// the template's "All packs" (`../index.html`, a page of a written pack
/// folder) answered 404 there; its neighbours' names link to their packs.
@Suite struct ServedPackLinkTests {
  @Test(arguments: ["E06000001", "E08000035"])
  func servedPackLinksToTheExplorerHome(code: String) async throws {
    let r = try await Fixtures.get("/pack/\(code).html")
    #expect(r.status == .ok)
    let page = Fixtures.text(r)
    #expect(!page.contains("index.html"))
    #expect(page.contains("<a href=\"/\">Explorer home</a>"))
    // The neighbours link to their own packs, as in a written pack folder
    // (a page rendered alone had no links to them).
    let neighbourLinks = page.components(separatedBy: "href=\"../authorities/").count - 1
    #expect(neighbourLinks >= 10, "\(neighbourLinks) links to other packs")
    // Every link on the page is to itself (#…) or, resolved from /pack/, to
    // a page of the explorer that answers.
    let hrefs = page.components(separatedBy: "href=\"").dropFirst().compactMap { $0.split(separator: "\"").first.map(String.init) }
    for href in Set(hrefs) where !href.hasPrefix("#") && !href.hasPrefix("data:") {
      let resolved = href.hasPrefix("../") ? "/" + href.dropFirst(3) : href
      #expect(resolved.hasPrefix("/"), "\(href): a link the explorer cannot resolve")
      let target = try await Fixtures.get(resolved)
      #expect(target.status == .ok || target.status == .seeOther, "\(href) answers \(target.status)")
      if resolved.hasPrefix("/authorities/") { #expect(Fixtures.text(target).contains("<h1")) }
    }
  }
}
