import Foundation
import Hummingbird
import PeerLensAnalysis
import PeerLensData
import PeerLensReports

/// One indicator and period across a comparator group: every authority in
/// the group (and the selected one) ranked, with bands recomputed for the
/// group, the funnel, the trend against England, region and the group's
/// median, and the contextual expectation. The numbers behind
/// `/indicator/<id>` and `/api/indicator/<id>`.
struct IndicatorView {
  let bench: IndicatorBench
  let period: TimePeriod
  let focus: Authority?
  let group: ComparatorGroup
  let figures: GroupFigures
  /// The group and the focus authority, in rank order (by value where the indicator has no polarity).
  let rows: [ValueRow]

  var json: JSONValue {
    let i = bench.indicator
    return .object([
      ("indicator_id", .string(i.id)), ("title", .string(i.title)), ("unit", .string(i.unit.rawValue)),
      ("decimals", .integer(i.decimals)), ("polarity", .string(i.polarity.rawValue)), ("time_period", .string(period.code)),
      ("la", .optional(focus?.code)), ("group", .string(group.kind.rawValue)), ("group_label", .string(group.label)),
      ("group_members", .array(group.members.map { .string($0) })),
      ("group_median", .optional(figures.median)), ("group_mean", .optional(figures.mean)), ("group_n", .integer(figures.count)),
      ("group_rank_minimum", .integer(GroupFigures.minimumRanked)), ("group_rank_rule", .string(GroupFigures.rankRule)),
      ("rows", .array(rows.map { .object($0.cells(group: figures)) })),
    ])
  }
}

extension Explorer {
  func indicatorView(_ id: String, _ query: QueryString) throws(ExplorerError) -> IndicatorView {
    let bench = try bench(id)
    let focus = try query.value("la").map { code throws(ExplorerError) in try authority(code) }
    let group = try ComparatorGroup.resolve(query, focus: focus, run: run)
    let p = try period(query.value("year"), bench)
    let figures = GroupFigures.compute(bench, period: p, focus: focus?.code, members: group.members)
    let codes = group.members + (focus.map { [$0.code] } ?? [])
    let rows = codes.map { valueRow(bench, code: $0, period: p) }
    let polarity = bench.indicator.polarity
    let sorted = rows.sorted { a, b in
      let (x, y) = (a.value?.status == .ok ? a.value?.value : nil, b.value?.status == .ok ? b.value?.value : nil)
      switch (x, y) {
      case let (x?, y?) where x != y: return polarity == .lowerIsBetter ? x < y : x > y
      case (_?, nil): return true
      case (nil, _?): return false
      default: return a.code < b.code
      }
    }
    return IndicatorView(bench: bench, period: p, focus: focus, group: group, figures: figures, rows: sorted)
  }

  /// `/indicator/<id>?la=&group=&year=`.
  func indicatorPage(_ id: String, _ query: QueryString) throws(ExplorerError) -> Response {
    let view = try indicatorView(id, query)
    let e = ExplorerText.escape
    let ind = view.bench.indicator
    let bench = view.bench
    let p = view.period
    let g = view.group
    let n = { (x: Double?) in ExplorerText.number(x, ind) }
    var body = "<h1>\(e(ind.title))</h1><p class=\"muted\">\(e(ind.description))</p>"
    body += "<p>Polarity: \(e(ExplorerText.polarity(ind.polarity))). <a href=\"/api/indicator/\(e(ind.id))?\(e(Self.apiQuery(view)))\">These numbers as JSON</a>"
    body += " · <a href=\"/workbench/\(e(ind.id))\">Model workbench</a></p>"
    var hidden: [(String, String)] = [("year", p.code)]
    if let f = view.focus { hidden.insert(("la", f.code), at: 0) }
    // Year choice: a plain GET form keeping la and group.
    body += "<form method=\"get\" action=\"/indicator/\(e(ind.id))\"><label>Period <select name=\"year\">"
    for q in bench.periods.reversed() {
      body += "<option value=\"\(e(q.code))\"\(q == p ? " selected" : "")>\(e(q.label))</option>"
    }
    body += "</select></label>"
    if let f = view.focus { body += "<input type=\"hidden\" name=\"la\" value=\"\(e(f.code))\">" }
    body += "<input type=\"hidden\" name=\"group\" value=\"\(e(g.kind.rawValue))\">"
    if g.kind == .custom { body += "<input type=\"hidden\" name=\"members\" value=\"\(e(g.members.joined(separator: ",")))\">" }
    body += " <button>Show</button></form>"
    if view.focus != nil {
      body += Page.groupForm(action: "/indicator/\(ind.id)", group: g, authorities: run.authorities.map { ($0.code, $0.name) },
                             hidden: hidden)
    }
    body += "<p id=\"group-label\">Comparator group: <strong>\(e(g.label))</strong>, \(g.members.count) authorities. "
    body += "Median \(e(n(view.figures.median))), mean \(e(n(view.figures.mean))) of \(view.figures.count) with a value for \(e(p.label)).</p>"
    if let f = view.focus {
      let row = valueRow(bench, code: f.code, period: p)
      body += "<h2>\(e(f.name)), \(e(p.label))</h2><ul>"
      let v = row.value
      body += "<li>Value: \(e(v?.status == .ok ? n(v?.value) : (v?.status.words ?? "not published")))</li>"
      if ind.polarity != .noJudgement {
        // A dash says why: a group too small to cut into quartiles, or no
        // figure for this authority (the rule was only in the JSON).
        let why = view.figures.rank != nil ? ""
          : view.figures.ranked == 0 && view.figures.count + 1 < GroupFigures.minimumRanked
            ? " (no rank or band: fewer than \(GroupFigures.minimumRanked) authorities, the group and this one, have a figure)"
            : v?.status == .ok ? "" : " (no rank: no figure for this authority)"
        body += "<li>Rank in \(e(g.label)): \(e(view.figures.rank.map { "\($0) of \(view.figures.ranked)" } ?? "–")); quartile band in the group: \(e(view.figures.band?.rawValue ?? "–"))\(e(why))</li>"
      }
      body += "<li>Against England's funnel: \(e(ExplorerText.funnel(bench.funnel[p]?[f.code]?.flag.rawValue)))</li>"
      if let x = row.expectation, let ex = x.expected {
        // A mean score whose cohort is not published has no interval.
        let limits = x.predictionLower95 == nil ? ""
          : ", 95% prediction interval \(n(x.predictionLower95)) to \(n(x.predictionUpper95)), 99.8% \(n(x.predictionLower998)) to \(n(x.predictionUpper998))"
        // Without limits the position is "no_expectation", which would
        // contradict the expected value just shown: say why instead.
        let judged = x.predictionLower95 == nil ? "no prediction interval, as its width rests on a number not published"
          : ExplorerText.context(x.position)
        body += "<li id=\"expected\">Expected given context: \(e(n(ex)))\(e(limits)): \(e(judged)).</li>"
      } else if p == bench.latest, let m = bench.model, !m.showsExpectation {
        body += "<li>No expected value: context does not predict this indicator better than the other authorities' average (leave-one-out).</li>"
      } else if bench.model == nil {
        body += "<li>No contextual model for this indicator.</li>"
      } else {
        body += "<li>Expected values are for the model's period, \(e(bench.model?.period.label ?? "")).</li>"
      }
      body += "</ul>"
      var medians: [TimePeriod: Double] = [:]
      for q in bench.periods {
        if let m = GroupFigures.compute(bench, period: q, focus: f.code, members: g.members).median { medians[q] = m }
      }
      body += "<h3>Trend</h3>" + ExplorerCharts.trend(bench, code: f.code, regionCode: f.regionCode, groupMedian: medians,
                                                      groupLabel: g.label, title: "\(f.name): \(ind.title)")
    }
    if let chart = ExplorerCharts.funnel(bench, period: p, highlight: view.focus?.code, title: "\(ind.title): funnel plot, \(p.label)") {
      body += "<h3>Funnel plot, \(e(p.label))</h3>" + chart
    }
    body += "<h3>Authorities, \(e(p.label))</h3><table class=\"ranked\"><thead><tr><th>Rank</th><th>Authority</th><th>Value</th>"
    if ind.polarity != .noJudgement { body += "<th>Quartile band in group</th>" }
    body += "<th>Against England's funnel</th></tr></thead><tbody>"
    for row in view.rows {
      let v = row.value
      let isFocus = row.code == view.focus?.code
      let name = run.registry.authority(code: row.code)?.name ?? row.code
      let tip = v.map { $0.status == .ok ? "\(name): exact value \($0.value.map { "\($0)" } ?? "")" : "\(name): \($0.status.words)" } ?? "\(name): not published"
      body += "<tr\(isFocus ? " class=\"focus\"" : "") data-code=\"\(e(row.code))\"><td>\(e(view.figures.ranks[row.code].map(String.init) ?? "–"))</td>"
      body += "<td><a href=\"/authority/\(e(row.code))?\(e(g.kind == .custom || g.kind == .all ? g.query : "group=" + g.kind.rawValue))\">\(e(name))</a></td>"
      body += "<td class=\"n\" title=\"\(e(tip))\">\(e(v?.status == .ok ? n(v?.value) : (v?.status.words ?? "not published")))</td>"
      if ind.polarity != .noJudgement { body += "<td>\(e(view.figures.bands[row.code]?.rawValue ?? "–"))</td>" }
      body += "<td>\(e(ExplorerText.funnel(bench.funnel[p]?[row.code]?.flag.rawValue)))</td></tr>"
    }
    body += "</tbody></table>"
    return Responses.html(Page.render(title: ind.title, body: body))
  }

  static func apiQuery(_ view: IndicatorView) -> String {
    var q = view.group.query + "&year=" + view.period.code
    if let f = view.focus { q += "&la=" + f.code }
    return q
  }
}
