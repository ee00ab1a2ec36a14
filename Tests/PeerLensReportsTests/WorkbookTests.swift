import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import ZIPFoundation
import PeerLensAnalysis
import PeerLensData
import PeerLensReports
import _PeerLensTestSupport

/// Reads an `.xlsx` back with an independent parser (ZIPFoundation to
/// unzip, Foundation's XMLParser for the parts), so the tests check what a
/// spreadsheet program would see, not the writer's own strings.
enum WorkbookProbe {
  /// Sheet name → rows of cells (column letters resolved; missing cells are "").
  static func read(_ data: Data) throws -> [(name: String, rows: [[String]])] {
    let archive = try Archive(data: data, accessMode: .read)
    func part(_ path: String) throws -> Data {
      guard let entry = archive[path] else { throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: path]) }
      var out = Data()
      _ = try archive.extract(entry) { out.append($0) }
      return out
    }
    for required in ["[Content_Types].xml", "_rels/.rels", "xl/_rels/workbook.xml.rels", "xl/styles.xml"] {
      _ = try part(required)
      #expect(try Collector.parse(part(required)) != nil, "\(required) is not well-formed XML")
    }
    let workbook = try #require(try Collector.parse(part("xl/workbook.xml")))
    return try workbook.sheetNames.enumerated().map { k, name in
      let sheet = try #require(try Collector.parse(part("xl/worksheets/sheet\(k + 1).xml")), "sheet \(name) is not well-formed")
      return (name, sheet.grid())
    }
  }

  final class Collector: NSObject, XMLParserDelegate {
    var sheetNames: [String] = []
    var cells: [(row: Int, column: Int, text: String)] = []
    private var ref: String?
    private var text = ""
    private var inValue = false

    static func parse(_ data: Data) -> Collector? {
      let c = Collector()
      let parser = XMLParser(data: data)
      parser.delegate = c
      return parser.parse() ? c : nil
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
      switch name {
      case "sheet": sheetNames.append(attributes["name"] ?? "")
      case "c": ref = attributes["r"]; text = ""
      case "v", "t": inValue = true
      default: break
      }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { if inValue { text += string } }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
      switch name {
      case "v", "t": inValue = false
      case "c":
        if let ref {
          let letters = ref.prefix { $0.isLetter }, digits = ref.drop { $0.isLetter }
          let column = letters.unicodeScalars.reduce(0) { $0 * 26 + Int($1.value) - 64 } - 1
          cells.append((Int(digits)! - 1, column, text))
        }
        ref = nil
      default: break
      }
    }

    func grid() -> [[String]] {
      let rows = (cells.map(\.row).max() ?? -1) + 1, columns = (cells.map(\.column).max() ?? -1) + 1
      var g = [[String]](repeating: [String](repeating: "", count: columns), count: rows)
      for c in cells { g[c.row][c.column] = c.text }
      return g
    }
  }
}

@Suite struct WorkbookTests {
  @Test func columnNamesFollowExcel() {
    #expect([0, 25, 26, 27, 51, 52, 701, 702].map(XLSXWorkbook.columnName) == ["A", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"])
  }

  @Test func cellsRoundTripThroughAnIndependentReader() throws {
    let awkward = "<b>Bath & \"North\" East</b>\u{1}"
    let numbers: [Double] = [0, -1.5, 1e-300, 123_456_789.123_456_78, 1.0 / 3, 6.02e23]
    let book = XLSXWorkbook(title: "t & t", sheets: [
      .init(name: "Numbers", header: ["x", "label"], rows: numbers.map { [.number($0), .text("n")] }),
      .init(name: "Text", header: ["a", "b", "c"], rows: [[.text(awkward), .empty, .value(.nan)], [.value(nil), .string(""), .text("z")]]),
    ])
    let data = try book.data()
    #expect(try book.data() == data, "the same workbook gives the same bytes")
    let sheets = try WorkbookProbe.read(data)
    #expect(sheets.map(\.name) == ["Numbers", "Text"])
    let n = sheets[0].rows
    #expect(n[0] == ["x", "label"])
    for (k, x) in numbers.enumerated() { #expect(Double(n[k + 1][0]) == x, "\(n[k + 1][0]) vs \(x)") }
    let t = sheets[1].rows
    // The control character is dropped (XML cannot carry it); everything else survives.
    #expect(t[1][0] == "<b>Bath & \"North\" East</b>")
    #expect(t[1][1] == "" && t[1][2] == "" && t[2] == ["", "", "z"])
  }

  @Test func packWorkbookCarriesThePackNumbers() throws {
    let run = try Fixtures.real.get()
    let pack = try PackBuilder(run: run, software: "PeerLens test").authorityPack(code: "E08000025")  // Birmingham
    let sheets = try WorkbookProbe.read(try PackWorkbook.build(pack).data())
    #expect(sheets.map(\.name) == ["Summary", "About", "Indicators", "Trends", "Breakdowns", "Ofsted leadership", "Workforce ethnicity", "Care ethnicity", "Context", "Neighbours", "Prompts"])
    // The meeting summary is the first sheet, statement for statement.
    let summaryRows = try #require(sheets.first { $0.name == "Summary" }).rows
    let statements = summaryRows.filter { $0.first == "stands out" }.map { $0[1] }
    #expect(Array(statements.prefix(pack.summary?.standsOut.count ?? 0)) == (pack.summary?.standsOut.map(\.statement) ?? []))
    let indicators = try #require(sheets.first { $0.name == "Indicators" }).rows
    let header = indicators[0]
    func column(_ name: String) throws -> Int { try #require(header.firstIndex(of: name), "no column \(name)") }
    #expect(indicators.count == pack.indicators.count + 1)
    let (id, value, expected, status) = (try column("indicator_id"), try column("value"), try column("expected"), try column("status"))
    for (row, section) in zip(indicators.dropFirst(), pack.indicators) {
      #expect(row[id] == section.id)
      #expect(row[status] == section.status)
      #expect(row[value].isEmpty == (section.value == nil))
      if let v = section.value { #expect(Double(row[value]) == v) }
      if let e = section.expected { #expect(Double(row[expected]) == e) }
    }
    let trends = try #require(sheets.first { $0.name == "Trends" }).rows
    #expect(trends.count == pack.indicators.reduce(0) { $0 + $1.trend.count } + 1)
    let neighbours = try #require(sheets.first { $0.name == "Neighbours" }).rows
    #expect(neighbours.count == 21 && neighbours.dropFirst().prefix(10).map { $0[2] } == pack.officialNeighbours.map(\.code))
  }

  @Test func hostileNameIsTextInTheWorkbook() throws {
    let (run, _) = try Fixtures.hostile.get()
    let out = URL(fileURLWithPath: temporaryPath(""))
    defer { try? FileManager.default.removeItem(at: out) }
    let writer = PackWriter(run: run, templates: try TemplateSet(folder: Fixtures.reports), output: out, formats: [.xlsx],
                            software: "PeerLens test")
    let summary = try writer.write(authorities: ["E06000001"], regions: [], everything: false)
    #expect(summary.files.contains("authorities/E06000001.xlsx"))
    let data = try Data(contentsOf: out.appendingPathComponent("authorities/E06000001.xlsx"))
    let about = try #require(try WorkbookProbe.read(data).first { $0.name == "About" }).rows
    #expect(about[1] == ["Authority", "<script>alert('x')</script> & Co", ""])
    let indicators = try #require(try WorkbookProbe.read(data).first { $0.name == "Indicators" }).rows
    let cla = try #require(indicators.first { $0.first == "cla_rate" })
    #expect(cla[indicators[0].firstIndex(of: "status")!] == "suppressed")
    #expect(cla[indicators[0].firstIndex(of: "value")!] == "")
  }

  @Test func regionAndEnglandTablesCarryTheNumbers() throws {
    let run = try Fixtures.real.get()
    let out = URL(fileURLWithPath: temporaryPath(""))
    defer { try? FileManager.default.removeItem(at: out) }
    let writer = PackWriter(run: run, templates: try TemplateSet(folder: Fixtures.reports), output: out,
                            formats: [.csv, .json, .xlsx], software: "PeerLens test")
    let summary = try writer.write(authorities: [], regions: ["E12000001"], everything: true)
    for f in ["regions/north-east.csv", "regions/north-east.json", "regions/north-east.xlsx", "england.csv",
              "england.json", "england.xlsx"] {
      #expect(summary.files.contains(f), "\(f) not written")
    }
    // Region: one row per member and indicator, values equal to the run's.
    let region = try CSVReader.read(contentsOf: out.appendingPathComponent("regions/north-east.csv"))
    let members = run.authorities.filter { $0.regionCode == "E12000001" }
    let reported = run.indicators.filter { $0.latest != nil }
    #expect(members.count == 12 && region.rowCount == members.count * reported.count)
    let ids = try region.text("indicator_id"), codes = try region.text("new_la_code"), values = try region.text("value")
    var checked = 0
    for r in 0..<region.rowCount {
      let bench = try #require(run.indicators.first { $0.indicator.id == ids[r] })
      let v = bench.value(codes[r], bench.latest!)
      if let v, v.status == .ok, let x = v.value { #expect(Double(values[r]) == x); checked += 1 } else { #expect(values[r].isEmpty) }
    }
    #expect(checked > region.rowCount / 2)
    let regionBook = try WorkbookProbe.read(Data(contentsOf: out.appendingPathComponent("regions/north-east.xlsx")))
    #expect(regionBook.first?.rows.count == region.rowCount + 1)

    // England: the median column is the plain median of the authorities'
    // values, a joint return (two authorities, one figure) counted once.
    let england = try JSONDecoder().decode(EnglandTable.self, from: Data(contentsOf: out.appendingPathComponent("england.json")))
    #expect(england.rows.count == reported.count)
    for row in england.rows {
      let bench = try #require(run.indicators.first { $0.indicator.id == row.indicatorID })
      var returns = Set<String>()
      let xs = run.authorities.compactMap { a -> Double? in
        guard let v = bench.value(a.code, bench.latest!), v.status == .ok,
              returns.insert(bench.jointReturn(a.code, bench.latest!) ?? a.code).inserted else { return nil }
        return v.value
      }.sorted()
      #expect(row.authoritiesReported == xs.count)
      guard !xs.isEmpty else { continue }
      let m = xs.count % 2 == 1 ? xs[xs.count / 2] : (xs[xs.count / 2 - 1] + xs[xs.count / 2]) / 2
      #expect(row.median == m && row.minimum == xs.first && row.maximum == xs.last)
      #expect(row.englandValue == bench.england[bench.latest!]?.value)
    }
  }
}

/// Figures in workbooks are shown at the indicator's published precision
/// while the cell keeps the full value (issue 14.1).
@Suite struct WorkbookPrecisionTests {
  static func part(_ data: Data, _ path: String) throws -> String {
    let archive = try Archive(data: data, accessMode: .read)
    let entry = try #require(archive[path])
    var out = Data()
    _ = try archive.extract(entry) { out.append($0) }
    return String(decoding: out, as: UTF8.self)
  }

  @Test func fixedCellsKeepTheValueAndShowThePublishedDecimals() throws {
    let book = XLSXWorkbook(title: "t", sheets: [
      .init(name: "Figures", header: ["rate", "pct"], rows: [[.fixed(59.4321, decimals: 0), .fixed(12.3456, decimals: 1)]]),
    ])
    let data = try book.data()
    #expect(try WorkbookProbe.read(data)[0].rows[1] == ["59.4321", "12.3456"])
    let sheet = try Self.part(data, "xl/worksheets/sheet1.xml"), styles = try Self.part(data, "xl/styles.xml")
    // The style index each cell uses, then that style's number format, read from styles.xml.
    func style(of ref: String) throws -> Int {
      let tail = try #require(sheet.components(separatedBy: "<c r=\"\(ref)\"").dropFirst().first)
      let s = try #require(tail.components(separatedBy: "s=\"").dropFirst().first?.prefix { $0 != "\"" })
      return try #require(Int(s))
    }
    let xfs = try #require(styles.components(separatedBy: "<cellXfs").dropFirst().first?.components(separatedBy: "</cellXfs>").first)
      .components(separatedBy: "<xf ").dropFirst().map { xf in
        Int(xf.components(separatedBy: "numFmtId=\"").dropFirst().first?.prefix { $0 != "\"" } ?? "") ?? -1
      }
    func format(_ id: Int) -> String? {
      styles.components(separatedBy: "<numFmt numFmtId=\"\(id)\" formatCode=\"").dropFirst().first.map { String($0.prefix { $0 != "\"" }) }
    }
    #expect(format(xfs[try style(of: "A2")]) == "#,##0")
    #expect(format(xfs[try style(of: "B2")]) == "#,##0.0")
  }

  @Test func packWorkbookShowsIndicatorFiguresAtTheirPrecision() throws {
    let run = try Fixtures.real.get()
    let pack = try PackBuilder(run: run, software: "t").authorityPack(code: "E06000017")
    let book = PackWorkbook.build(pack)
    let sheet = try #require(book.sheets.first { $0.name == "Indicators" })
    let valueColumn = try #require(sheet.header.firstIndex(of: "value"))
    for (row, s) in zip(sheet.rows, pack.indicators) where s.value != nil {
      #expect(row[valueColumn] == .fixed(s.value!, decimals: s.decimals), "\(s.id)")
    }
  }
}
