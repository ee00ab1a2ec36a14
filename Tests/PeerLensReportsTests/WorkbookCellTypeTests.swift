import Foundation
import Testing
import ZIPFoundation
import PeerLensReports
import _PeerLensTestSupport

/// Numbers are number cells and periods sort (issue 22.5), checked on the
/// file: with openpyxl where python3 has it (a real spreadsheet reader;
/// CI installs python3-openpyxl), and always from the sheet XML's cell
/// types through ZIPFoundation.
@Suite struct WorkbookCellTypeTests {
  static let snapshot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Snapshots/E06000017.json")

  /// Rutland's pack model (the snapshot) as a workbook, and a regional
  /// table with an academic and a reporting year.
  static func workbooks() throws -> [(String, Data)] {
    let pack = try JSONDecoder().decode(AuthorityPack.self, from: Data(contentsOf: snapshot))
    let region = try JSONDecoder().decode(RegionTable.self, from: Data("""
      {"regionCode": "E12000004", "regionName": "East Midlands", "rows": [
       {"indicator_id": "a", "title": "A", "time_period": "202425", "new_la_code": "E06000017", "old_la_code": "857",
        "la_name": "Rutland", "value": 12.5, "status": "ok", "england_value": 10, "region_value": 11},
       {"indicator_id": "b", "title": "B", "time_period": "2025", "new_la_code": "E06000017", "old_la_code": "857",
        "la_name": "Rutland", "value": 3, "status": "ok", "england_value": 4, "region_value": 5}]}
      """.utf8))
    return [("pack", try PackWorkbook.build(pack).data()), ("region", try region.workbook().data())]
  }

  /// Columns that hold codes, not quantities: text even when all digits
  /// (DfE's three-digit authority numbers; joint returns read "314 / 318").
  static let codeColumns: Set<String> = ["old_la_code"]

  /// From the XML: per sheet, header → cells as (is number, text).
  static func cells(_ data: Data) throws -> [String: [String: [(number: Bool, text: String)]]] {
    let archive = try Archive(data: data, accessMode: .read)
    let sheets = try WorkbookProbe.read(data)
    var out: [String: [String: [(Bool, String)]]] = [:]
    for (k, sheet) in sheets.enumerated() {
      var xml = Data()
      _ = try archive.extract(try #require(archive["xl/worksheets/sheet\(k + 1).xml"])) { xml.append($0) }
      let text = String(decoding: xml, as: UTF8.self)
      // Each cell's reference and whether it is a string (`t="inlineStr"`).
      var types: [String: Bool] = [:]
      for piece in text.components(separatedBy: "<c r=\"").dropFirst() {
        let ref = String(piece.prefix { $0 != "\"" })
        let tag = piece.prefix { $0 != ">" }
        types[ref] = !tag.contains("t=\"")
      }
      let header = sheet.rows.first ?? []
      for (r, row) in sheet.rows.enumerated().dropFirst() {
        for (c, value) in row.enumerated() where !value.isEmpty && c < header.count {
          let ref = XLSXWorkbook.columnName(c) + String(r + 1)
          out[sheet.name, default: [:]][header[c], default: []].append((types[ref] ?? false, value))
        }
      }
    }
    return out
  }

  @Test func numbersAreNumberCellsAndYearLabelsSortInTimeOrder() throws {
    for (name, data) in try Self.workbooks() {
      for (sheet, columns) in try Self.cells(data) where sheet != "About" {
        for (column, values) in columns where !Self.codeColumns.contains(column) {
          // Year labels are text on purpose ("2025" sorts with "2024/25").
          for v in values where !v.number && column != "year_label" {
            #expect(Double(v.text) == nil, "\(name) \(sheet).\(column): \(v.text) is a number stored as text")
          }
          if column == "time_period" {
            let numbers = values.filter { $0.number }.count
            #expect(numbers == values.count, "\(name) \(sheet).time_period")
          }
          if column == "year_label" {
            let labels = values.filter { !$0.number && $0.text.range(of: #"^\d{4}(/\d{2})?$"#, options: .regularExpression) != nil }
            #expect(labels.count == values.count, "\(name) \(sheet).year_label")
          }
        }
      }
    }
    // Each indicator's trend, in time order, is also in text order of year_label.
    let pack = try JSONDecoder().decode(AuthorityPack.self, from: Data(contentsOf: Self.snapshot))
    let trends = try #require(try Self.cells(try PackWorkbook.build(pack).data())["Trends"])
    let ids = try #require(trends["indicator_id"]).map(\.text), labels = try #require(trends["year_label"]).map(\.text)
    #expect(ids.count == labels.count)
    for id in Set(ids) {
      let series = zip(ids, labels).filter { $0.0 == id }.map(\.1)
      #expect(series == series.sorted(), "\(id): \(series)")
    }
    #expect(labels.contains("2024/25") && labels.contains("2025"))
  }

  /// The same with openpyxl, when python3 has it.
  @Test func aRealSpreadsheetReaderSeesNumbers() throws {
    guard Self.python(["-c", "import openpyxl"]) == 0 else {
      Issue.record("python3 with openpyxl is not installed (apt-get install python3-openpyxl): the real-reader check did not run")
      return
    }
    let folder = URL(fileURLWithPath: temporaryPath(""))
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    var files: [String] = []
    for (name, data) in try Self.workbooks() {
      let url = folder.appendingPathComponent("\(name).xlsx")
      try data.write(to: url)
      files.append(url.path)
    }
    let script = """
      import re, sys, openpyxl
      bad = []
      codes = {"old_la_code"}
      for path in sys.argv[1:]:
          wb = openpyxl.load_workbook(path)
          for ws in wb.worksheets:
              if ws.title == "About":
                  continue
              header = [c.value for c in ws[1]]
              for row in ws.iter_rows(min_row=2):
                  for c in row:
                      name = header[c.column - 1] if c.column <= len(header) else ""
                      v = c.value
                      if v is None or name in codes:
                          continue
                      if name == "time_period":
                          if not isinstance(v, (int, float)):
                              bad.append(f"{path} {ws.title} {c.coordinate} time_period {v!r}")
                      elif name == "year_label":
                          if not (isinstance(v, str) and re.fullmatch(r"\\d{4}(/\\d{2})?", v)):
                              bad.append(f"{path} {ws.title} {c.coordinate} year_label {v!r}")
                      elif isinstance(v, str):
                          try:
                              float(v.replace(",", ""))
                              bad.append(f"{path} {ws.title} {c.coordinate} {name} number as text {v!r}")
                          except ValueError:
                              pass
      print("\\n".join(bad[:20]))
      sys.exit(1 if bad else 0)
      """
    let scriptURL = folder.appendingPathComponent("check.py")
    try script.write(to: scriptURL, atomically: true, encoding: .utf8)
    #expect(Self.python([scriptURL.path] + files) == 0, "openpyxl found text where numbers belong (see output)")
  }

  /// The first Python with openpyxl: Debian's (`python3-openpyxl`, which
  /// .ci/run installs) or the one on the PATH (a pyenv or venv).
  static let interpreter: [String] = {
    for candidate in [["/usr/bin/python3"], ["/usr/bin/env", "python3"]] {
      if run(candidate + ["-c", "import openpyxl"], quiet: true) == 0 { return candidate }
    }
    return ["/usr/bin/env", "python3"]
  }()

  static func python(_ arguments: [String]) -> Int32 { run(interpreter + arguments) }

  static func run(_ command: [String], quiet: Bool = false) -> Int32 {
    guard FileManager.default.isExecutableFile(atPath: command[0]) else { return -1 }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: command[0])
    p.arguments = Array(command.dropFirst())
    if quiet { p.standardError = FileHandle.nullDevice }
    do { try p.run() } catch { return -1 }
    p.waitUntilExit()
    return p.terminationStatus
  }
}
