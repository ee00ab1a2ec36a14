import Foundation
import Hummingbird
import PeerLensAnalysis
import PeerLensData
import PeerLensReports

/// "Create your own": chosen authorities × indicators × years, as a page,
/// CSV, XLSX or JSON, with the `values.csv` field names.
struct TableView {
  let rows: [ValueRow]

  var csv: String { CSVWriter.render(header: ValueRow.fields, rows: rows.map { $0.csvCells() }) }

  var json: JSONValue { .array(rows.map { .object($0.cells(group: nil)) }) }

  func workbook() throws -> Data {
    let cells: [[XLSXWorkbook.Cell]] = rows.map { row in
      row.cells(group: nil).map { _, v in
        switch v {
        case .number(let x): return .value(x)
        case .integer(let i): return .value(Double(i))
        case .string(let s): return .string(s)
        default: return .empty
        }
      }
    }
    return try XLSXWorkbook(title: "PeerLens table", sheets: [.init(name: "values", header: ValueRow.fields, rows: cells)]).data()
  }
}

extension Explorer {
  /// At most this many years in one table.
  static let maximumYears = 40
  /// At most this many cells (authorities × indicators × periods with data)
  /// in one table. Every authority × 74 indicators × every year was 77,112
  /// rows: a 29 MB page and 800 MB held by the server for one request. The
  /// cap still allows every authority with 5 indicators over 16 years
  /// (12,240) or 40 authorities with every indicator over 8 years.
  static let maximumCells = 25_000

  func tableView(_ query: QueryString) throws(ExplorerError) -> TableView? {
    let codes = query.list("la")
    let ids = query.list("indicator")
    guard !codes.isEmpty, !ids.isEmpty else { return nil }
    guard codes.count <= ComparatorGroup.maximumCustom else {
      throw .badRequest("A table holds at most \(ComparatorGroup.maximumCustom) authorities; \(codes.count) were given.")
    }
    guard ids.count <= run.indicators.count else { throw .badRequest("Too many indicators (\(ids.count)).") }
    var authorities: [Authority] = []
    for c in codes {
      let a = try authority(c)
      if !authorities.contains(a) { authorities.append(a) }
    }
    var benches: [IndicatorBench] = []
    for id in ids {
      let b = try bench(id)
      if !benches.contains(where: { $0.indicator.id == b.indicator.id }) { benches.append(b) }
    }
    let years = query.list("year")
    guard years.count <= Self.maximumYears else { throw .badRequest("A table holds at most \(Self.maximumYears) years.") }
    var periodsByIndicator: [[TimePeriod]] = []
    for b in benches {
      if years.isEmpty {
        periodsByIndicator.append(b.latest.map { [$0] } ?? [])
        continue
      }
      var ps: [TimePeriod] = []
      for y in years {
        let code = y.replacingOccurrences(of: "/", with: "")
        guard (4...8).contains(code.count), code.allSatisfy({ $0.isASCII && $0.isNumber }) else {
          throw .badRequest("year= takes years such as 2025, 202425 or 2024/25.")
        }
        // As `--year` and the indicator page read it (`TimePeriod.matching`).
        ps += TimePeriod.matching(code, among: b.periods)
      }
      periodsByIndicator.append(Array(Set(ps)).sorted())
    }
    if !years.isEmpty && periodsByIndicator.allSatisfy(\.isEmpty) {
      throw .notFound("None of the chosen indicators has data for \(ExplorerText.shown(years.joined(separator: ", "))).")
    }
    let cells = authorities.count * periodsByIndicator.reduce(0) { $0 + $1.count }
    guard cells <= Self.maximumCells else {
      let periods = Set(periodsByIndicator.joined()).count
      throw .badRequest("""
        This table would have \(ExplorerText.grouped(cells)) cells (\(authorities.count) authorities × \(benches.count) indicators \
        × up to \(periods) years); a table holds at most \(ExplorerText.grouped(Self.maximumCells)). \
        Choose fewer authorities, indicators or years (no year= gives each indicator's latest only), \
        or download values.csv from `peerlens packs` for everything.
        """)
    }
    var rows: [ValueRow] = []
    for a in authorities {
      for (b, ps) in zip(benches, periodsByIndicator) {
        for p in ps { rows.append(valueRow(b, code: a.code, period: p)) }
      }
    }
    return TableView(rows: rows)
  }

  /// What a query for a table lacks, in words: "no authority was", "no indicator was" or both.
  static func missing(_ query: QueryString) -> String {
    switch (query.list("la").isEmpty, query.list("indicator").isEmpty) {
    case (true, true): return "no authority and no indicator were"
    case (true, false): return "no authority was"
    default: return "no indicator was"
    }
  }

  /// `/table`: the form, or the table in `format=html|csv|xlsx|json`.
  func table(_ query: QueryString) throws(ExplorerError) -> Response {
    let format = query.value("format")?.lowercased() ?? "html"
    guard ["html", "csv", "xlsx", "json"].contains(format) else {
      throw .badRequest("format= takes html, csv, xlsx or json.")
    }
    let view = try tableView(query)
    if view == nil && format != "html" {
      throw .badRequest("A \(format) table needs at least one authority (la=E06000001) and one indicator (indicator=cla_rate); \(Self.missing(query)) chosen. The form is at /table.")
    }
    if let view {
      switch format {
      case "csv": return Responses.download(Data(view.csv.utf8), type: "text/csv; charset=utf-8", name: "peerlens-table.csv")
      case "xlsx":
        do {
          return Responses.download(try view.workbook(), type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                    name: "peerlens-table.xlsx")
        } catch { throw .unprocessable("The workbook could not be built.") }
      case "json": return Responses.json(view.json)
      default: break
      }
    }
    let e = ExplorerText.escape
    var body = "<h1>Create your own table</h1><form method=\"get\" action=\"/table\">"
    let chosenLA = Set(query.list("la").compactMap { Self.currentAuthority($0, run: run)?.code })
    let chosenInd = Set(query.list("indicator"))
    body += "<label>Authorities<br><select name=\"la\" multiple size=\"10\">"
    for a in run.authorities.sorted(by: { $0.name < $1.name }) {
      body += "<option value=\"\(e(a.code))\"\(chosenLA.contains(a.code) ? " selected" : "")>\(e(a.name))</option>"
    }
    body += "</select></label> <label>Indicators<br><select name=\"indicator\" multiple size=\"10\">"
    for b in run.indicators {
      body += "<option value=\"\(e(b.indicator.id))\"\(chosenInd.contains(b.indicator.id) ? " selected" : "")>\(e(b.indicator.shortTitle ?? b.indicator.title))</option>"
    }
    body += "</select></label> <label>Years (comma-separated; empty: each indicator's latest)<br><input name=\"year\" value=\"\(e(query.list("year").joined(separator: ",")))\"></label>"
    body += " <button>Show</button></form>"
    if let view {
      let q = Self.queryTail(query)
      let base = q.isEmpty ? "?" : q + "&"
      body += "<p>\(view.rows.count) rows. Download: <a href=\"/table\(e(base))format=csv\">CSV</a> · <a href=\"/table\(e(base))format=xlsx\">XLSX</a> · <a href=\"/table\(e(base))format=json\">JSON</a></p>"
      body += "<table class=\"values\"><thead><tr>" + ValueRow.fields.map { "<th>\(e($0))</th>" }.joined() + "</tr></thead><tbody>"
      for row in view.rows {
        body += "<tr>" + row.csvCells().map { "<td>\(e($0))</td>" }.joined() + "</tr>"
      }
      body += "</tbody></table>"
    }
    return Responses.html(Page.render(title: "Create your own table", body: body))
  }
}
