import Foundation

/// A plain spreadsheet workbook (Office Open XML, `.xlsx`): named sheets of
/// text and numbers under a bold, frozen header row with a filter.
///
/// Local authority analysts work in Excel, so every pack's numbers are also
/// offered as a workbook. Only what tables need is written: inline strings
/// (no shared-string table), one bold style, column widths. Numbers keep
/// full precision (shortest round-trip form); a `fixed` number is shown at
/// a number of decimals (an indicator's published precision) while the
/// cell still holds the full value. Output is deterministic: parts are written in a fixed order with
/// a fixed timestamp, so the same workbook gives the same bytes.
public struct XLSXWorkbook: Sendable, Equatable {
  /// A cell's content.
  public enum Cell: Sendable, Equatable {
    /// Always written as an inline string cell (`t="inlineStr"`), never as a
    /// formula: text that begins with `=`, `+`, `-` or `@` (an authority name
    /// or a note from the data) is shown as typed and cannot run in Excel.
    case text(String)
    case number(Double)
    /// A number shown at `decimals` (0 to 3) places; the cell keeps the full value.
    case fixed(Double, decimals: Int)
    case empty

    /// A number shown at `decimals` places, or an empty cell for `nil` and non-finite values.
    public static func fixed(_ x: Double?, decimals: Int) -> Cell {
      guard let x, x.isFinite else { return .empty }
      return .fixed(x, decimals: decimals)
    }

    /// A number, or an empty cell for `nil` and non-finite values.
    public static func value(_ x: Double?) -> Cell {
      guard let x, x.isFinite else { return .empty }
      return .number(x)
    }

    /// Text, or an empty cell for `nil` and "".
    public static func string(_ s: String?) -> Cell {
      guard let s, !s.isEmpty else { return .empty }
      return .text(s)
    }
  }

  public struct Sheet: Sendable, Equatable {
    public let name: String
    public let header: [String]
    public let rows: [[Cell]]

    /// - Parameter name: at most 31 characters, none of `[]:*?/\` (Excel's rules).
    public init(name: String, header: [String], rows: [[Cell]]) {
      precondition(!name.isEmpty && name.count <= 31 && !name.contains { "[]:*?/\\".contains($0) },
                   "Invalid sheet name \(name)")
      self.name = name
      self.header = header
      self.rows = rows
    }
  }

  public let sheets: [Sheet]
  /// Shown as the document title in Excel's properties.
  public let title: String

  public init(title: String, sheets: [Sheet]) {
    precondition(!sheets.isEmpty, "A workbook needs at least one sheet")
    precondition(Set(sheets.map { $0.name.lowercased() }).count == sheets.count, "Sheet names must differ")
    self.title = title
    self.sheets = sheets
  }

  /// The `.xlsx` file's bytes (a deflated ZIP of XML parts).
  public func data() throws -> Data {
    try ZIPWriter.archive(parts().map { (path: $0.0, bytes: Array($0.1.utf8)) })
  }

  /// The package parts, path and XML, in the order they are written.
  func parts() -> [(String, String)] {
    var out: [(String, String)] = []
    let header = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
    let sheetTypes = sheets.indices.map {
      #"<Override PartName="/xl/worksheets/sheet\#($0 + 1).xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
    }.joined()
    out.append(("[Content_Types].xml", header + #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>"# + sheetTypes + "</Types>"))
    out.append(("_rels/.rels", header + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>"#))
    out.append(("docProps/core.xml", header + #"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>"# + Self.escape(title) + "</dc:title><dc:creator>PeerLens</dc:creator></cp:coreProperties>"))
    let sheetList = sheets.enumerated().map { k, s in
      #"<sheet name=""# + Self.escape(s.name) + #"" sheetId="\#(k + 1)" r:id="rId\#(k + 1)"/>"#
    }.joined()
    out.append(("xl/workbook.xml", header + #"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>"# + sheetList + "</sheets></workbook>"))
    let rels = sheets.indices.map {
      #"<Relationship Id="rId\#($0 + 1)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet\#($0 + 1).xml"/>"#
    }.joined() + #"<Relationship Id="rId\#(sheets.count + 1)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#
    out.append(("xl/_rels/workbook.xml.rels", header + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"# + rels + "</Relationships>"))
    out.append(("xl/styles.xml", header + #"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"# + Self.numberFormats + #"<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="7"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment wrapText="1" vertical="top"/></xf><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="167" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"#))
    for (k, sheet) in sheets.enumerated() {
      out.append(("xl/worksheets/sheet\(k + 1).xml", header + worksheet(sheet)))
    }
    return out
  }

  func worksheet(_ sheet: Sheet) -> String {
    let columnCount = max(sheet.header.count, sheet.rows.map(\.count).max() ?? 0)
    var xml = #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
    xml += #"<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>"#
    if columnCount > 0 {
      xml += "<cols>"
      for c in 0..<columnCount {
        // Width from the longest entry, within readable bounds.
        // Characters are counted only where they could raise the width: a
        // text has no more characters than UTF-8 bytes, and past 58 the
        // width is 60 whatever follows.
        var longest = c < sheet.header.count ? sheet.header[c].count : 0
        for row in sheet.rows where c < row.count && longest < 58 {
          switch row[c] {
          case .text(let s): if s.utf8.count > longest { longest = max(longest, s.count) }
          case .number, .fixed: longest = max(longest, 12)
          case .empty: break
          }
        }
        let width = min(60, max(8, longest + 2))
        xml += #"<col min="\#(c + 1)" max="\#(c + 1)" width="\#(width)" customWidth="1"/>"#
      }
      xml += "</cols>"
    }
    xml += "<sheetData>"
    row(1, sheet.header.map(Cell.text), style: 1, to: &xml)
    for (k, r) in sheet.rows.enumerated() { row(k + 2, r, style: nil, to: &xml) }
    xml += "</sheetData>"
    if columnCount > 0 {
      xml += #"<autoFilter ref="A1:\#(Self.columnName(columnCount - 1))\#(sheet.rows.count + 1)"/>"#
    }
    return xml + "</worksheet>"
  }

  /// A row's XML appended to `xml` (a sheet of a national pack has
  /// thousands of cells).
  func row(_ number: Int, _ cells: [Cell], style: Int?, to xml: inout String) {
    let r = String(number)
    xml += #"<row r=""#
    xml += r
    xml += #"">"#
    for (c, cell) in cells.enumerated() {
      func reference() {
        xml += #"<c r=""#
        xml += Self.columnName(c)
        xml += r
        xml += #"""#
      }
      switch cell {
      case .empty: continue
      case .number(let x):
        reference()
        if let style { xml += #" s=""#; xml += String(style); xml += #"""# }
        xml += "><v>"
        xml += x.description
        xml += "</v></c>"
      case .fixed(let x, let decimals):
        // Styles 3…6: #,##0 to #,##0.000 (numFmt 164…167 in styles.xml).
        reference()
        xml += #" s=""#
        xml += String(3 + min(max(decimals, 0), 3))
        xml += #""><v>"#
        xml += x.description
        xml += "</v></c>"
      case .text(let t):
        reference()
        if style == nil && t.utf8.count > 60 && t.count > 60 {
          xml += #" s="2""#
        } else if let style {
          xml += #" s=""#; xml += String(style); xml += #"""#
        }
        xml += #" t="inlineStr"><is><t xml:space="preserve">"#
        xml += Self.escape(t)
        xml += "</t></is></c>"
      }
    }
    xml += "</row>"
  }

  /// A, B, …, Z, AA, AB, … for a 0-based column index.
  public static func columnName(_ index: Int) -> String {
    var n = index + 1
    var name = ""
    while n > 0 {
      let r = (n - 1) % 26
      name = String(UnicodeScalar(UInt8(65 + r))) + name
      n = (n - 1) / 26
    }
    return name
  }

  static func escape(_ s: String) -> String { XMLText.escape(s) }

  /// Custom number formats 164…167: thousands separators and 0 to 3 decimals
  /// (cell styles 3…6, used by `Cell.fixed`).
  static let numberFormats = "<numFmts count=\"4\">"
    + (0...3).map { d in
      "<numFmt numFmtId=\"\(164 + d)\" formatCode=\"#,##0\(d == 0 ? "" : "." + String(repeating: "0", count: d))\"/>"
    }.joined() + "</numFmts>"
}
