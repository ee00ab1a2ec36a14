import Foundation
import Hummingbird
import PeerLensAnalysis
import PeerLensData
import PeerLensStatistics

/// A workbench refit beside the shipped model: what `/workbench/<id>` shows
/// and `/api/workbench/<id>` returns.
struct WorkbenchResult {
  let bench: IndicatorBench
  let variables: [String]
  let shipped: ContextModelRun
  let refit: ContextModelRun
  let toml: String

  /// The refit's warnings, and a note naming strongly collinear variables
  /// (shares that add up to 100% were fitted without a word).
  var warnings: [String] {
    refit.warnings + [VarianceInflation.note(refit.frame.design)].compactMap { $0 }
  }

  var json: JSONValue {
    let shippedByCode = Dictionary(shipped.authorities.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
    let m = refit.model
    let coefficients: [JSONValue] = m.coefficientNames.indices.map { k in
      .object([("term", .string(m.coefficientNames[k])), ("estimate", .optional(m.coefficients[k])),
               ("std_error", .optional(m.standardErrors[k])), ("p_value", .optional(m.pValues[k]))])
    }
    return .object([
      ("indicator_id", .string(bench.indicator.id)), ("time_period", .string(refit.period.code)),
      ("variables", .array(variables.map { .string($0) })), ("family", .string(refit.spec.family.rawValue)),
      ("formula", .string(refit.spec.formula)), ("coefficients", .array(coefficients)),
      ("deviance_explained", .optional(m.pseudoRSquared)), ("loo_skill", .optional(refit.contextSkill)),
      ("shipped_formula", .string(shipped.spec.formula)), ("shipped_deviance_explained", .optional(shipped.model.pseudoRSquared)),
      ("shipped_loo_skill", .optional(shipped.contextSkill)),
      ("warnings", .array(warnings.map { .string($0) })),
      ("rows", .array(refit.authorities.map { a in
        .object([("new_la_code", .string(a.code)), ("la_name", .string(a.name)), ("value", .optional(a.observed)),
                 ("status", .string(a.status)), ("expected", .optional(a.expected)), ("expected_lower", .optional(a.predictionLower95)),
                 ("expected_upper", .optional(a.predictionUpper95)), ("position", .string(a.position)),
                 ("shipped_expected", .optional(shippedByCode[a.code]?.expected))])
      })),
      ("toml", .string(toml)),
    ])
  }
}

extension Explorer {
  func workbenchResult(_ id: String, _ query: QueryString) throws(ExplorerError) -> WorkbenchResult {
    let bench = try bench(id)
    guard let shipped = bench.model else {
      throw .notFound("No contextual model ships for \(bench.indicator.id)" + (bench.indicator.modelReason.map { ": \($0)" } ?? "."))
    }
    let asked = query.pairs.contains { $0.key == "vars" } ? query.list("vars")
      : WorkbenchEngine.parts(shipped.spec.formula).terms
    let variables = try workbench.variables(asked)
    let toml = WorkbenchEngine.toml(shipped: shipped.spec, variables: variables)
    let refit = try workbench.refit(bench, shipped: shipped, toml: toml)
    return WorkbenchResult(bench: bench, variables: variables, shipped: shipped, refit: refit, toml: toml)
  }

  /// `/workbench/<id>?vars=a,b,c[&format=toml]`.
  func workbenchPage(_ id: String, _ query: QueryString) throws(ExplorerError) -> Response {
    let format = query.value("format")?.lowercased() ?? "html"
    guard ["html", "toml"].contains(format) else { throw .badRequest("format= takes html or toml.") }
    let r = try workbenchResult(id, query)
    if format == "toml" {
      return Responses.download(Data(r.toml.utf8), type: "application/toml; charset=utf-8", name: "\(r.bench.indicator.id).toml")
    }
    let e = ExplorerText.escape
    let ind = r.bench.indicator
    let n = { (x: Double?) in x.map { String(format: "%.4g", $0) } ?? "–" }
    let pct = { (x: Double?) in x.map { String(format: "%.1f%%", 100 * $0) } ?? "–" }
    var body = "<h1>Model workbench: \(e(ind.title))</h1><p class=\"muted\">Period \(e(r.refit.period.label)); family \(e(r.refit.spec.family.rawValue)). Refitted in the explorer; nothing is saved.</p>"
    body += "<form method=\"get\" action=\"/workbench/\(e(ind.id))\"><fieldset><legend>Context variables</legend><div id=\"vars\">"
    for c in workbench.columns {
      body += "<label><input type=\"checkbox\" name=\"vars\" value=\"\(e(c))\"\(r.variables.contains(c) ? " checked" : "")> \(e(c))</label> "
    }
    body += "</div></fieldset><input type=\"hidden\" name=\"vars\" value=\"\"><button>Refit</button></form>"
    body += "<p>Formula: <code>\(e(r.refit.spec.formula))</code> · <a href=\"/workbench/\(e(ind.id))?vars=\(e(ExplorerText.query(r.variables.joined(separator: ","))))&amp;format=toml\">Download \(e(ind.id)).toml</a>"
    body += " · <a href=\"/api/workbench/\(e(ind.id))?vars=\(e(ExplorerText.query(r.variables.joined(separator: ","))))\">JSON</a></p>"
    body += "<table><thead><tr><th></th><th>This fit</th><th>Shipped model</th></tr></thead><tbody>"
    body += "<tr><td>Formula</td><td><code>\(e(r.refit.spec.formula))</code></td><td><code>\(e(r.shipped.spec.formula))</code></td></tr>"
    body += "<tr><td>Deviance explained</td><td id=\"deviance\">\(e(pct(r.refit.model.pseudoRSquared)))</td><td>\(e(pct(r.shipped.model.pseudoRSquared)))</td></tr>"
    body += "<tr><td>Leave-one-out skill (deviance explained out of sample)</td><td id=\"loo\">\(e(pct(r.refit.contextSkill)))</td><td>\(e(pct(r.shipped.contextSkill)))</td></tr>"
    body += "</tbody></table>"
    for w in r.warnings { body += "<p class=\"muted\">\(e(w))</p>" }
    body += "<h2>Coefficients</h2><table><thead><tr><th>Term</th><th>Estimate</th><th>Std. Error</th><th>p</th></tr></thead><tbody>"
    let m = r.refit.model
    for k in m.coefficientNames.indices {
      body += "<tr><td>\(e(m.coefficientNames[k]))</td><td class=\"n\">\(e(n(m.coefficients[k])))</td><td class=\"n\">\(e(n(m.standardErrors[k])))</td><td class=\"n\">\(e(m.pValues[k].map(RegressionSummary.formatP) ?? "–"))</td></tr>"
    }
    body += "</tbody></table><h2>Authorities</h2><table><thead><tr><th>Authority</th><th>Value</th><th>Expected (this fit)</th><th>95% interval</th><th>Position</th><th>Expected (shipped)</th></tr></thead><tbody>"
    let shipped = Dictionary(r.shipped.authorities.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
    let v = { (x: Double?) in ExplorerText.number(x, ind) }
    for a in r.refit.authorities {
      body += "<tr><td><a href=\"/indicator/\(e(ind.id))?la=\(e(a.code))\">\(e(a.name))</a></td><td class=\"n\">\(e(v(a.observed)))</td><td class=\"n\">\(e(v(a.expected)))</td>"
      let interval = a.predictionLower95 == nil ? "–" : "\(v(a.predictionLower95))–\(v(a.predictionUpper95))"
      body += "<td class=\"n\">\(e(interval))</td><td>\(e(a.expected == nil ? "–" : ExplorerText.context(a.position)))</td><td class=\"n\">\(e(v(shipped[a.code]?.expected)))</td></tr>"
    }
    body += "</tbody></table>"
    return Responses.html(Page.render(title: "Workbench: \(ind.title)", body: body))
  }

  /// `/pack/<code>.html`: the authority's static pack, rendered now.
  func pack(_ file: String) throws(ExplorerError) -> Response {
    guard file.hasSuffix(".html") else {
      // The address a reader meant, where the rest names an authority: a
      // redirect, which browsers and link checkers follow (a 404 with the
      // address in words they do not).
      if let a = try? authority(file) { return Response.redirect(to: "/pack/\(a.code).html") }
      throw .notFound("Packs are at /pack/ followed by an authority's code and .html: /pack/E06000017.html is Rutland's.")
    }
    let a = try authority(String(file.dropLast(5)))
    guard let packPages else { throw .notFound("Pack pages need the Reports folder, which this server was started without.") }
    do {
      return Responses.html(ServedPack.page(try packPages.authorityPage(code: a.code)), policy: Responses.packPolicy)
    } catch {
      throw .unprocessable("The pack for \(a.name) could not be built: \(error.localizedDescription)")
    }
  }
}
