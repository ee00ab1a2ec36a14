import Foundation
import PeerLensAnalysis

/// `index.html` at the root of a run's output: every authority pack the run
/// wrote, with its region and how many of its statements stand out, and
/// links to the regional packs and England (issue 22.4).
///
/// "Stand out" is what the pack itself counts: its learning prompts, one
/// for each statement of a value outside the funnel's 99.8% limit, outside
/// the 99.8% prediction limit given context, or with special-cause
/// variation over time.
struct PackIndex {
  struct Row {
    let name: String
    let code: String
    let region: String
    let regionCode: String
    let standOut: Int

    init(_ pack: AuthorityPack) {
      name = pack.name
      code = pack.code
      region = pack.region
      regionCode = pack.regionCode
      standOut = pack.prompts.count
    }
  }

  let rows: [Row]
  let run: NationalRun
  let links: PackLinks

  /// The page's template context: authorities in name order (then code,
  /// so the bytes never depend on the order they were asked for).
  func context(software: String) -> [String: Any] {
    let sorted = rows.sorted { ($0.name, $0.code) < ($1.name, $1.code) }
    let authorities: [[String: Any]] = sorted.map { r in
      ["name": r.name, "code": r.code, "region": r.region, "standOut": r.standOut,
       "href": links.authority(r.code, root: "") ?? false, "regionHref": links.region(r.regionCode, root: "") ?? false]
    }
    // The region pages written (exact codes: a borough's link goes to
    // London, but the list names each page once).
    let regions: [[String: Any]] = run.registry.regionChoices.compactMap { r in
      links.regions[r.code].map { ["name": r.name, "href": "regions/\($0).html"] }
    }
    return ["authorities": authorities, "count": sorted.count, "regions": regions, "hasRegions": !regions.isEmpty,
            "englandHref": links.englandPage(root: "") ?? false, "software": software,
            "contents": Self.contents(authorities: sorted.count, regions: regions.count,
                                      england: links.englandPage(root: "") != nil)]
  }

  /// A count in words, the noun plural where the number needs it ("1
  /// authority pack", "9 regional packs"), as the index and the `packs`
  /// run's last line say them.
  static func counted(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

  /// The line under the index's title, counted in words: "153 authority
  /// packs · 9 regional packs · England" (it read "153 authority pack(s) ·
  /// regional packs · England", the regions uncounted).
  static func contents(authorities: Int, regions: Int, england: Bool) -> String {
    var parts = [counted(authorities, "authority pack")]
    if regions > 0 { parts.append(counted(regions, "regional pack")) }
    if england { parts.append("England") }
    return parts.joined(separator: " · ")
  }
}
