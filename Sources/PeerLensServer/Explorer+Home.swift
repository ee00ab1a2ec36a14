import Foundation
import Hummingbird
import PeerLensAnalysis
import PeerLensData

extension Explorer {
  /// `/`: search for an authority by name or code (new or old), and every
  /// authority and indicator listed. A code, an exact name or a search with
  /// exactly one match goes straight to the authority's page (303); names
  /// are compared ignoring case and punctuation (`SearchText`).
  func home(_ query: QueryString) throws(ExplorerError) -> Response {
    let e = ExplorerText.escape
    var body = "<h1>PeerLens explorer</h1>"
    body += "<form method=\"get\" action=\"/\"><label>Authority (name or code) <input name=\"q\" value=\"\(e(query.value("q") ?? ""))\" maxlength=\"80\"></label> <button>Search</button></form>"
    var listed = run.authorities
    var status: HTTPResponse.Status = .ok
    if let q = query.value("q") {
      guard q.count <= 80 else { throw .badRequest("Search text is at most 80 characters.") }
      let wanted = SearchText.normalised(q)
      if let exact = Self.currentAuthority(q, run: run) ?? run.authorities.first(where: { SearchText.normalised($0.name) == wanted }) {
        return Response.redirect(to: "/authority/\(exact.code)")
      }
      // A region's name (London, North East) lists its authorities: "London"
      // went straight to the City of London, the one name containing it.
      if let region = run.registry.regionCode(matching: q) {
        listed = run.authorities.filter { run.registry.isIn($0, region: region) }
        body += "<p>\(e(run.registry.regionName(code: region) ?? q)) is a region: its \(listed.count) authorities.</p>"
      } else {
        listed = wanted.isEmpty ? [] : run.authorities.filter { SearchText.normalised($0.name).contains(wanted) }
        if listed.count == 1 { return Response.redirect(to: "/authority/\(listed[0].code)") }
      }
      if listed.isEmpty {
        status = .notFound
        // A former authority (Cumbria) says what covers its area now.
        let former = UnknownAuthority.former(q, run: run)
          ?? run.registry.authorities.first { !$0.isCurrent && SearchText.normalised($0.name) == wanted }
        if let former {
          body += "<p>\(e(UnknownAuthority.message(former.code, run: run)))</p>"
        } else {
          body += "<p>No current authority matches ‘\(e(q))’.</p>"
        }
      } else if run.registry.regionCode(matching: q) != nil {
        // Said above.
      } else {
        body += "<p>\(SearchText.matches(listed.count)) ‘\(e(q))’.</p>"
      }
    }
    body += "<h2>Authorities</h2><ul class=\"authorities\">"
    for a in listed.sorted(by: { $0.name < $1.name }) {
      body += "<li><a href=\"/authority/\(e(a.code))\">\(e(a.name))</a> <span class=\"muted\">\(e(a.code)) · \(e(a.oldCode))</span></li>"
    }
    body += "</ul>"
    if query.value("q") == nil {
      body += "<h2>Indicators</h2><ul>"
      for b in run.indicators {
        body += "<li><a href=\"/indicator/\(e(b.indicator.id))\">\(e(b.indicator.title))</a></li>"
      }
      body += "</ul>"
    }
    return Responses.html(Page.render(title: "Explorer", body: body), status: status)
  }

  /// `/api/authorities`: every current authority.
  func authoritiesJSON() -> JSONValue {
    .array(run.authorities.map { a in
      .object([("new_la_code", .string(a.code)), ("old_la_code", .string(a.oldCode)), ("la_name", .string(a.name)),
               ("region_code", .string(a.regionCode)), ("region_name", .string(run.registry.regionName(code: a.regionCode) ?? a.regionName))])
    })
  }

  /// `/api/indicators`: every indicator of the catalogue with its periods.
  func indicatorsJSON() -> JSONValue {
    .array(run.indicators.map { b in
      let i = b.indicator
      return .object([("indicator_id", .string(i.id)), ("title", .string(i.title)), ("framework", .string(i.framework)),
                      ("unit", .string(i.unit.rawValue)), ("decimals", .integer(i.decimals)),
                      ("polarity", .string(i.polarity.rawValue)), ("latest", .optional(b.latest?.code)),
                      ("periods", .array(b.periods.map { .string($0.code) })),
                      ("has_model", .bool(b.model != nil))])
    })
  }
}
