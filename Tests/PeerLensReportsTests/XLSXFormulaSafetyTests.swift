import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import ZIPFoundation
import PeerLensReports

/// Issue 16, item 3: text in an exported workbook that begins like a formula
/// is a string cell, never a formula; numbers stay number cells.
@Suite struct XLSXFormulaSafetyTests {
  /// Every cell of a worksheet part, as a spreadsheet reads it: its type
  /// attribute, whether it holds a formula, and its text.
  final class Cells: NSObject, XMLParserDelegate {
    var cells: [String: (type: String?, formula: Bool, text: String)] = [:]
    private var ref: String?, type: String?, formula = false, text = "", inText = false

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
      switch name {
      case "c": ref = attributes["r"]; type = attributes["t"]; formula = false; text = ""
      case "f": formula = true
      case "v", "t": inText = true
      default: break
      }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { if inText { text += string } }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
      switch name {
      case "v", "t": inText = false
      case "c": if let ref { cells[ref] = (type, formula, text) }; ref = nil
      default: break
      }
    }
  }

  @Test func formulaLikeTextIsAnInlineStringCell() throws {
    let name = "=HYPERLINK(\"http://example.com/x\",\"Leeds\")"
    let note = "=HYPERLINK(\"http://example.com/y\",\"read me\") suppressed"
    let book = XLSXWorkbook(title: "t", sheets: [
      .init(name: "Neighbours", header: ["la_name", "value", "note", "other"],
            rows: [[.text(name), .number(-1.5), .text(note), .text("+1")], [.text("@SUM(A1)"), .fixed(-2.25, decimals: 1), .text("-x"), .text("\tTab")]]),
    ])
    let archive = try Archive(data: try book.data(), accessMode: .read)
    let entry = try #require(archive["xl/worksheets/sheet1.xml"])
    var xml = Data()
    _ = try archive.extract(entry) { xml.append($0) }
    let parser = XMLParser(data: xml)
    let cells = Cells()
    parser.delegate = cells
    #expect(parser.parse())
    #expect(!cells.cells.values.contains { $0.formula }, "no cell holds a formula")
    for ref in ["A2", "C2", "D2", "A3", "C3", "D3"] {
      let c = try #require(cells.cells[ref])
      #expect(c.type == "inlineStr", "\(ref) is \(c.type ?? "a number")")
    }
    #expect(cells.cells["A2"]?.text == name)
    #expect(cells.cells["C2"]?.text == note)
    // Negative numbers are still number cells holding the value.
    for (ref, x) in [("B2", -1.5), ("B3", -2.25)] {
      let c = try #require(cells.cells[ref])
      #expect(c.type == nil && Double(c.text) == x, "\(ref): \(c)")
    }
  }
}
