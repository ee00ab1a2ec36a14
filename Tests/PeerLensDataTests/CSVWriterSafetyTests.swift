import Foundation
import Testing
import PeerLensData

/// Issue 16, item 3: exported CSV cells that a spreadsheet would run as a
/// formula are written as text (a leading `'`); numbers stay numbers.
@Suite struct CSVWriterSafetyTests {
  static let name = "=HYPERLINK(\"http://example.com/x\",\"Leeds\")"
  static let note = "=HYPERLINK(\"http://example.com/y\",\"read me\") suppressed"

  @Test func formulaLikeCellsGetALeadingQuote() throws {
    let rows = [[Self.name, "-1.5", Self.note], ["+1 day", "-3", "@SUM(A1)"], ["\tTab", "-", "-x"], ["\rCR", "1e-5", "a=b"]]
    let text = CSVWriter.render(header: ["la_name", "value", "note"], rows: rows)
    // Read back with the project's reader: the quote is part of the cell, so Excel shows the text.
    let t = try CSVReader.parse(text, source: "out.csv")
    #expect(t.cells[0] == ["'" + Self.name, "'+1 day", "'\tTab", "'\rCR"])
    #expect(t.cells[2] == ["'" + Self.note, "'@SUM(A1)", "'-x", "a=b"])
    // Numbers, negative ones included, are written unchanged; a lone '-' is not a number.
    #expect(t.cells[1] == ["-1.5", "-3", "'-", "1e-5"])
    #expect(text.contains(",-1.5,"))
  }

  @Test func numbersFromTheNumberWriterAreNeverQuoted() {
    for x in [-1.5, -0.0, -1e-300, -123456.789, 2.5] {
      let s = CSVWriter.number(x)
      #expect(CSVWriter.field(s) == s, "\(s)")
      #expect(Double(CSVWriter.field(s)) == x)
    }
  }

  @Test func nonFiniteTextIsNotTakenForANumber() {
    // Double("-inf") parses, but a spreadsheet would not read it as a number.
    #expect(CSVWriter.field("-inf") == "'-inf")
    #expect(CSVWriter.field("-nan") == "'-nan")
  }

  /// A quote or carriage return followed by a combining mark, and a CRLF
  /// pair, are single characters: the writer must still see the quote and
  /// the line end in them, or the row splits when read back.
  @Test func quotesAndLineEndsInsideLongerCharactersAreQuoted() throws {
    let cells = ["a\"\u{301}b", "x\r\ny", "\"\u{301}", "plain, comma", "é\u{301}\n"]
    let text = CSVWriter.render(header: ["c1", "c2", "c3", "c4", "c5"], rows: [cells])
    let t = try CSVReader.parse(text, source: "out.csv")
    #expect(t.rowCount == 1)
    #expect(t.columnNames.indices.map { t.cells[$0][0] } == cells)
    #expect(CSVWriter.field("x\r\ny") == "\"x\r\ny\"")
    #expect(CSVWriter.field("plain") == "plain")
  }
}
