import Foundation
import PeerLensAnalysis
import PeerLensData

/// One authority's pack page rendered on demand, by the same builder and
/// renderer as `peerlens packs` (the explorer's `/pack/<code>.html`), so a
/// pack served and a pack written are the same page. Built once per run:
/// the renderer computes every indicator's funnel when it is made.
public struct PackPageRenderer: Sendable {
  let builder: PackBuilder
  let renderer: HTMLRenderer

  /// - Parameter linkAuthorities: link every other authority's name (the
  ///   neighbours) to its pack at `../authorities/<code>.html`, as a
  ///   written pack folder does; the explorer serves that path. Without
  ///   it, a page rendered alone has no other pages to link to.
  public init(run: NationalRun, templates: TemplateSet, software: String, linkAuthorities: Bool = false) {
    self.builder = PackBuilder(run: run, software: software)
    let links = linkAuthorities ? PackLinks(authorities: Set(run.authorities.map(\.code)), regions: [:], england: false) : .none
    self.renderer = HTMLRenderer(templates: templates, run: run, links: links)
  }

  /// Each indicator's rank intervals by authority, as the packs show them.
  public var rankIntervals: [String: [String: (lower: Int, upper: Int)]] { builder.rankIntervals }

  /// The HTML pack page of a current authority.
  ///
  /// - Throws: `DataError.unknownArea` for a code that is not a current authority.
  public func authorityPage(code: String) throws -> String {
    try renderer.authority(try builder.authorityPack(code: code))
  }
}
