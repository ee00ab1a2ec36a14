import Foundation
import PeerLensData

/// Which HTML pages a run writes, so that a page links only to pages that
/// exist: a run for one authority (`--la`) or one region (`--region`)
/// leaves no broken link behind.
///
/// Every link is relative (`../regions/east-midlands.html`), so the output
/// folder works from a disk, a file share or a web server alike.
struct PackLinks: Sendable {
  /// Authorities with a page, by new code.
  let authorities: Set<String>
  /// Regions with a page: code → file name without extension.
  let regions: [String: String]
  /// Whether `england.html` is written.
  let england: Bool

  /// No pages at all (a run without HTML).
  static let none = PackLinks(authorities: [], regions: [:], england: false)

  /// Each link is written from a page at `root` from the output folder's
  /// root: `""` for `index.html` and `england.html`, `"../"` for pages in
  /// `authorities/` and `regions/`. `nil` where the page is not written.
  func authority(_ code: String, root: String) -> String? {
    authorities.contains(code) ? root + "authorities/\(code).html" : nil
  }

  /// A borough's region is Inner or Outer London in DfE's files; the run
  /// writes one London pack, which shows both, so that is the link.
  func region(_ code: String, root: String) -> String? {
    let londonParts = [AuthorityRegistry.innerLondon.code, AuthorityRegistry.outerLondon.code]
    let page = regions[code] ?? (londonParts.contains(code) ? regions[AuthorityRegistry.london.code] : nil)
    return page.map { root + "regions/\($0).html" }
  }

  func englandPage(root: String) -> String? { england ? root + "england.html" : nil }

  /// The index is written with every HTML run.
  func index(root: String) -> String { root + "index.html" }
}
