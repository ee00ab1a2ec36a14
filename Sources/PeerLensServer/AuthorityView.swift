import Foundation
import Hummingbird
import PeerLensAnalysis
import PeerLensData

/// One authority's overview in the round, every indicator's latest period,
/// with each median, mean, rank and band recomputed for the chosen
/// comparator group: the numbers behind `/authority/<code>` and
/// `/api/authority/<code>`.
struct AuthorityView {
  struct Row {
    let bench: IndicatorBench
    let row: ValueRow?
    let figures: GroupFigures?
  }

  let authority: Authority
  let group: ComparatorGroup
  let rows: [Row]

  var json: JSONValue {
    .object([
      ("new_la_code", .string(authority.code)), ("old_la_code", .string(authority.oldCode)),
      ("la_name", .string(authority.name)), ("region_code", .string(authority.regionCode)),
      ("group", .string(group.kind.rawValue)), ("group_label", .string(group.label)),
      ("group_members", .array(group.members.map { .string($0) })),
      ("group_rank_minimum", .integer(GroupFigures.minimumRanked)), ("group_rank_rule", .string(GroupFigures.rankRule)),
      ("rows", .array(rows.compactMap { r in r.row.map { .object($0.cells(group: r.figures)) } })),
    ])
  }
}

extension Explorer {
  func authorityView(_ code: String, _ query: QueryString) throws(ExplorerError) -> AuthorityView {
    let a = try authority(code)
    let group = try ComparatorGroup.resolve(query, focus: a, run: run)
    let rows = run.indicators.map { bench -> AuthorityView.Row in
      guard let p = bench.latest else { return .init(bench: bench, row: nil, figures: nil) }
      return .init(bench: bench, row: valueRow(bench, code: a.code, period: p),
                   figures: GroupFigures.compute(bench, period: p, focus: a.code, members: group.members))
    }
    return AuthorityView(authority: a, group: group, rows: rows)
  }

  /// `/authority/<code>`: the overview with the comparator-group control.
  /// An old code (805) redirects to the page under the new one, so each
  /// view has one address.
  func authorityPage(_ code: String, _ query: QueryString) throws(ExplorerError) -> Response {
    let a = try authority(code)
    if a.code != code { return Response.redirect(to: "/authority/\(a.code)" + Self.queryTail(query)) }
    let view = try authorityView(code, query)
    let e = ExplorerText.escape
    let g = view.group
    let regionName = run.registry.regionName(code: a.regionCode) ?? a.regionName
    var body = "<h1>\(e(a.name))</h1><p class=\"muted\">\(e(a.code)) · DfE number \(e(a.oldCode)) · \(e(regionName))</p>"
    body += "<p>"
    if packPages != nil { body += "<a href=\"/pack/\(e(a.code)).html\">Static pack</a> · " }
    body += "<a href=\"/api/authority/\(e(a.code))?\(e(g.query))\">These numbers as JSON</a> · "
    body += "<a href=\"/table?la=\(e(a.code))\">Create your own table</a></p>"
    body += Page.groupForm(action: "/authority/\(a.code)", group: g, authorities: run.authorities.map { ($0.code, $0.name) })
    let names = g.members.map { run.registry.authority(code: $0)?.name ?? $0 }
    body += "<p id=\"group-label\">Comparator group: <strong>\(e(g.label))</strong>, \(g.members.count) authorities"
    if g.members.count <= 20 && !names.isEmpty { body += ": " + e(names.joined(separator: ", ")) }
    body += ". Medians and means are of these authorities; ranks and bands place \(e(a.name)) among them.</p>"
    let label = e(g.label)
    for fw in run.catalogue.frameworks {
      let rows = view.rows.filter { $0.bench.indicator.framework == fw.id }
      guard !rows.isEmpty else { continue }
      body += "<h2>\(e(fw.heading))</h2><table class=\"overview\"><thead><tr><th>Indicator</th><th>Period</th><th>Value</th>"
      body += "<th>England</th><th>Region</th><th>Median: \(label)</th><th>Mean: \(label)</th>"
      body += "<th>Rank in \(label)</th><th>Band in \(label)</th><th>Expected given context (95% interval)</th><th>Against England's funnel</th></tr></thead><tbody>"
      for r in rows { body += overviewRow(r, authority: a, group: g) }
      body += "</tbody></table>"
    }
    return Responses.html(Page.render(title: a.name, body: body))
  }

  func overviewRow(_ r: AuthorityView.Row, authority a: Authority, group g: ComparatorGroup) -> String {
    let e = ExplorerText.escape
    let ind = r.bench.indicator
    let link = "/indicator/\(ind.id)?la=\(a.code)&\(g.query)"
    var out = "<tr data-indicator=\"\(e(ind.id))\"><td><a href=\"\(e(link))\">\(e(ind.shortTitle ?? ind.title))</a></td>"
    guard let row = r.row, let f = r.figures else {
      return out + "<td colspan=\"10\" class=\"muted\">no data</td></tr>"
    }
    let n = { (x: Double?) in ExplorerText.number(x, ind) }
    let v = row.value
    let shown = v?.status == .ok ? n(v?.value) : (v?.status.words ?? "not published")
    let status = v.map { $0.status == .ok ? "exact value \($0.value.map { "\($0)" } ?? "")" : "status: \($0.status.words)" } ?? "status: not published"
    out += "<td>\(e(row.period.label))</td><td class=\"n\" title=\"\(e(status))\">\(e(shown))</td>"
    out += "<td class=\"n\">\(e(n(r.bench.england[row.period]?.value)))</td>"
    out += "<td class=\"n\">\(e(n(r.bench.regions[a.regionCode]?[row.period]?.value)))</td>"
    out += "<td class=\"n group-median\" title=\"\(e("median of \(f.count) with a value, \(f.leftOut) left out"))\">\(e(n(f.median)))</td>"
    out += "<td class=\"n group-mean\">\(e(n(f.mean)))</td>"
    let ranked = ind.polarity == .noJudgement ? "not ranked (no judgement)" : f.rank.map { "\($0) of \(f.ranked)" } ?? "–"
    var england = ""
    if let iv = row.rankInterval, let rank = r.bench.rank[row.period]?[a.code] {
      england = "<br><small class=\"rank-interval\">in England: \(rank), plausibly \(iv.lower) to \(iv.upper)</small>"
    }
    out += "<td class=\"group-rank\">\(e(ranked))\(england)</td><td class=\"group-band\">\(e(f.band?.rawValue ?? "–"))</td>"
    if let x = row.expectation, let ex = x.expected {
      out += "<td class=\"n\" title=\"\(e(ExplorerText.context(x.position)))\">\(e(n(ex)))\(x.predictionLower95 == nil ? "" : " (\(e(n(x.predictionLower95)))–\(e(n(x.predictionUpper95))))")</td>"
    } else {
      out += "<td class=\"muted\">–</td>"
    }
    out += "<td>\(e(ExplorerText.funnel(r.bench.funnel[row.period]?[a.code]?.flag.rawValue)))</td></tr>"
    return out
  }

  /// `?group=…` of the request again, for a redirect.
  static func queryTail(_ query: QueryString) -> String {
    query.pairs.isEmpty ? "" : "?" + query.pairs.map { ExplorerText.query($0.key) + "=" + ExplorerText.query($0.value) }.joined(separator: "&")
  }
}
