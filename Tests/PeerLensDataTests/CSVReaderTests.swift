import Foundation
import Testing
import PeerLensData

@Suite struct CSVReaderTests {
  @Test func handlesBOMQuotingAndLineEnds() throws {
    let text = "\u{FEFF}a,b,c\r\n1,\"x, y\",\"he said \"\"hi\"\"\"\r\n2,\"multi\nline\",z\n"
    let t = try CSVReader.parse(text, source: "t.csv")
    #expect(t.columnNames == ["a", "b", "c"])
    #expect(t.rowCount == 2)
    #expect(t.cells[1] == ["x, y", "multi\nline"])
    #expect(t.cells[2] == ["he said \"hi\"", "z"])
    #expect(t.quoted[1] == [true, true])
    #expect(t.quoted[0] == [false, false])
    #expect(t.lineNumbers == [2, 3])
  }

  @Test func trailingEmptyColumnIsALayoutArtefact() throws {
    let t = try CSVReader.parse("a,b,\n1,2,\n3,4,\n", source: "t.csv")
    #expect(t.columnNames == ["a", "b"])
    #expect(t.cells[1] == ["2", "4"])
  }

  @Test func unterminatedQuoteNamesFileAndLine() {
    #expect(throws: CSVError.unterminatedQuote(file: "bad.csv", line: 3)) {
      try CSVReader.parse("a,b\n1,2\n3,\"oops\n4,5\n", source: "bad.csv")
    }
  }

  /// In a file whose lines end in CR alone, a line break inside quotes is
  /// a line too: the error below was put on line 4, and an invalid byte
  /// on line 1 whatever its line.
  @Test func crOnlyLinesAreCountedInsideQuotesAndForBadBytes() throws {
    let t = try CSVReader.parse("a,b\r\"x\ry\",1\rz,2\r", source: "cr.csv")
    #expect(t.lineNumbers == [2, 4])
    #expect(throws: CSVError.raggedRow(file: "cr.csv", line: 5, expected: 2, found: 1)) {
      try CSVReader.parse("a,b\r\"x\ry\",1\rz,2\rw\r", source: "cr.csv")
    }
    do {
      _ = try CSVReader.parse(Data("a,b\r1,2\r3,\u{00}".utf8) + Data([0xA3]), source: "cr.csv")
      Issue.record("accepted")
    } catch {
      #expect(error.localizedDescription.contains("cr.csv, line 3"), "\(error.localizedDescription)")
    }
  }

  @Test func raggedRowNamesTheLine() {
    #expect(throws: CSVError.raggedRow(file: "bad.csv", line: 3, expected: 2, found: 3)) {
      try CSVReader.parse("a,b\n1,2\n3,4,5\n", source: "bad.csv")
    }
  }

  @Test func textAfterAClosingQuoteIsAnError() {
    #expect(throws: CSVError.unexpectedCharacterAfterQuote(file: "bad.csv", line: 2, column: 1)) {
      try CSVReader.parse("a,b\n\"1\"x,2\n", source: "bad.csv")
    }
  }

  /// A `;`-separated header is refused before any row is read (it was
  /// one column, and the first row "ragged"); a header with commas, or
  /// one name holding a `;`, is read as before.
  @Test func aHeaderSplitAtASemicolonIsRefused() throws {
    #expect(throws: CSVError.foreignSeparator(file: "s.csv", separator: ";", names: ["la", "y"])) {
      try CSVReader.parse("\u{FEFF}la;y\nA;1,5\n", source: "s.csv")
    }
    #expect(try CSVReader.parse("a;b,c\n1,2\n", source: "s.csv").columnNames == ["a;b", "c"])
    #expect(try CSVReader.parse("note;\nx\n", source: "s.csv").columnNames == ["note;"])
  }

  @Test func emptyFileIsAnError() {
    #expect(throws: CSVError.empty(file: "e.csv")) { try CSVReader.parse("", source: "e.csv") }
  }

  @Test func duplicateHeaderIsAnErrorUnlessAllowed() throws {
    #expect(throws: CSVError.duplicateColumn(file: "d.csv", name: "SNP")) {
      try CSVReader.parse("SN1,SNP,SN2,SNP\n1,a,2,b\n", source: "d.csv")
    }
    let t = try CSVReader.parse(Data("SN1,SNP,SN2,SNP\n1,a,2,b\n".utf8), source: "d.csv", allowDuplicateColumns: true)
    #expect(t.cells[3] == ["b"])
  }

  @Test func cellValuesCarryTheirMissingReason() throws {
    let t = try CSVReader.parse("n\n12\nc\nx\nz\nu\nlow\nk\n-\n", source: "s.csv")
    let v = try t.values("n")
    #expect(v == [.number(12), .missing(.suppressed), .missing(.notAvailable), .missing(.notApplicable),
                  .missing(.lowReliability), .missing(.roundsToZero), .missing(.lessThanHalf), .missing(.noData)])
    let bad = try CSVReader.parse("n\n12\nabc\n", source: "s.csv")
    #expect(throws: CSVError.unparsableNumber(file: "s.csv", line: 3, column: "n", text: "abc")) { try bad.values("n") }
    // Thousands separators are not plain decimals (issue 21, item 3).
    let comma = try CSVReader.parse("n\n12\n\"1,234\"\n", source: "s.csv")
    #expect(throws: CSVError.unparsableNumber(file: "s.csv", line: 3, column: "n", text: "1,234")) { try comma.values("n") }
  }

  @Test func missingColumnListsTheColumns() throws {
    let t = try CSVReader.parse("a,b\n1,2\n", source: "m.csv")
    #expect(throws: CSVError.missingColumn(file: "m.csv", name: "zz", available: ["a", "b"])) { try t.text("zz") }
  }
}

@Suite struct TimePeriodTests {
  @Test func parsesEESPeriods() throws {
    let ry = try #require(TimePeriod(code: "2025", identifier: "Reporting year"))
    #expect(ry.kind == .reportingYear && ry.endYear == 2025 && ry.label == "2025")
    let ay = try #require(TimePeriod(code: "202425", identifier: "Academic year"))
    #expect(ay.kind == .academicYear && ay.endYear == 2025 && ay.label == "2024/25")
    let fy = try #require(TimePeriod(code: "202425", identifier: "Financial year"))
    #expect(fy.kind == .financialYear)
    let q = try #require(TimePeriod(code: "2024", identifier: "Quarter 3"))
    #expect(q.kind == .quarter && q.subPeriod == 3 && q.label == "2024 Q3")
    let q2 = try #require(TimePeriod(code: "2024Q4"))
    #expect(q2.kind == .quarter && q < q2)
    let m = try #require(TimePeriod(code: "2024", identifier: "July"))
    #expect(m.kind == .month && m.subPeriod == 7)
    #expect(TimePeriod(code: "202427", identifier: "Academic year") == nil)
    #expect(TimePeriod(code: "twenty") == nil)
    #expect(ry.shifted(years: -1).code == "2024")
  }

  @Test func levelOrderFollowsRCollation() {
    #expect(LevelOrder.sorted(["1-1.5l", ">2l", "<1l", "1.5-2l"]) == ["<1l", ">2l", "1-1.5l", "1.5-2l"])
    #expect(LevelOrder.sorted(["b", "B", "a", "A"]) == ["a", "A", "b", "B"])
    #expect(LevelOrder.sorted(["F3", "F0", "F10"]) == ["F0", "F10", "F3"])
  }
}
