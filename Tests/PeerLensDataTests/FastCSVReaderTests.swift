import Foundation
import Testing
import PeerLensData
import _PeerLensTestSupport

/// The fast reader (issue 18) against the reader it replaced
/// (`ReferenceCSVReader`, kept verbatim): the same cells, quote flags, line
/// numbers and missing-value reasons on every file of the data and every
/// CSV fixture, and the same outcome on generated hostile text.
@Suite struct FastCSVReaderTests {
  /// Every `.csv` under a folder, recursively, sorted.
  static func csvFiles(under root: URL) -> [URL] {
    guard let walk = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
    return walk.compactMap { $0 as? URL }.filter { $0.pathExtension == "csv" }.sorted { $0.path < $1.path }
  }

  /// Cell-by-cell agreement, with a message naming the first difference.
  static func expectSame(_ fast: CSVTable, _ reference: CSVTable, _ name: String) {
    #expect(fast.columnNames == reference.columnNames, "\(name): header")
    #expect(fast.lineNumbers == reference.lineNumbers, "\(name): line numbers")
    guard fast.columnNames.count == reference.columnNames.count, fast.rowCount == reference.rowCount else {
      Issue.record("\(name): \(fast.rowCount) rows against \(reference.rowCount)")
      return
    }
    for j in reference.columnNames.indices {
      if fast.cells[j] != reference.cells[j] {
        let i = zip(fast.cells[j], reference.cells[j]).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? -1
        Issue.record("\(name), column \(reference.columnNames[j]), row \(i): cells differ")
      }
      #expect(fast.quoted[j] == reference.quoted[j], "\(name), column \(reference.columnNames[j]): quote flags")
      // The missing-value reason (or number) each cell reads as.
      let fastValues = fast.cells[j].map(CellValue.init(parsing:))
      let referenceValues = reference.cells[j].map(CellValue.init(parsing:))
      #expect(fastValues == referenceValues, "\(name), column \(reference.columnNames[j]): values or reasons")
    }
  }

  @Test func everyDataFileAndFixtureReadsTheSameCellByCell() throws {
    let files = Self.csvFiles(under: TestData.data) + Self.csvFiles(under: TestData.fixtures)
    #expect(files.count >= 60, "expected the data's and the fixtures' CSV files, found \(files.count)")
    var compared = 0, cells = 0
    for url in files {
      let reference: CSVTable
      do { reference = try ReferenceCSVReader.read(contentsOf: url, source: url.lastPathComponent, allowDuplicateColumns: true) } catch {
        // A fixture that is broken on purpose must be broken for both.
        #expect(throws: CSVError.self, "\(url.lastPathComponent) reads with the fast reader only") {
          try CSVReader.read(contentsOf: url, source: url.lastPathComponent, allowDuplicateColumns: true)
        }
        continue
      }
      let fast = try CSVReader.read(contentsOf: url, source: url.lastPathComponent, allowDuplicateColumns: true)
      Self.expectSame(fast, reference, url.lastPathComponent)
      compared += 1
      cells += reference.rowCount * reference.columnNames.count
    }
    #expect(compared >= 60)
    #expect(cells > 1_000_000, "the whole data, not a sample: \(cells) cells")
  }

  /// Short texts from an alphabet of the characters that matter to CSV
  /// (separators, quotes, both line ends, spaces, a BOM, a multi-byte
  /// letter and a stray invalid byte): both readers succeed with the same
  /// table or both fail. Which of two problems in one file is named first
  /// may differ, as the fast reader stops at the first it meets.
  @Test func generatedTextsGiveTheSameOutcome() {
    let pieces: [[UInt8]] = [[0x2C], [0x22], [0x0D], [0x0A], [0x0D, 0x0A], [0x20], Array("ab".utf8), Array("1".utf8),
                             Array("c".utf8), Array("é".utf8), [0xEF, 0xBB, 0xBF], Array("x,y\n".utf8), [0xFF]]
    var state: UInt64 = 0x5EED
    func next() -> UInt64 {  // SplitMix64
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    var agreedTables = 0
    for _ in 0..<20_000 {
      var bytes: [UInt8] = []
      let length = Int(next() % 24)
      for _ in 0..<length {
        // Mostly harmless pieces, so that many texts parse.
        let k = Int(next() % 100)
        let piece = k < 60 ? pieces[[0, 3, 6, 7, 8][k % 5]] : pieces[k % pieces.count]
        bytes += piece
      }
      let data = Data(bytes)
      let reference = Result { try ReferenceCSVReader.parse(data, source: "g.csv", allowDuplicateColumns: true) }
      let fast = Result { try CSVReader.parse(data, source: "g.csv", allowDuplicateColumns: true) }
      switch (fast, reference) {
      case (.success(let f), .success(let r)):
        Self.expectSame(f, r, "bytes \(bytes)")
        agreedTables += 1
      case (.failure, .failure): break
      default: Issue.record("bytes \(bytes): fast \(fast), reference \(reference)")
      }
    }
    #expect(agreedTables > 2_000, "too few generated texts parse to compare tables: \(agreedTables)")
  }

  /// Where the reader places the first invalid byte: the bytes before it
  /// are UTF-8 and the bytes from it are not, the line is one more than the
  /// line feeds before it, and a byte-order mark counts in the offset.
  @Test func theFirstInvalidByteIsPlaced() {
    let pieces: [[UInt8]] = [Array("a".utf8), [0x0A], Array("é".utf8), Array("€".utf8), Array("😀".utf8), [0xFF], [0xC3],
                             [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF], [0x80]]
    var state: UInt64 = 0xB17E
    var placed = 0
    for _ in 0..<5_000 {
      var bytes: [UInt8] = Int(state % 7) == 0 ? [0xEF, 0xBB, 0xBF] : []
      for _ in 0..<(1 + Int(state % 13)) {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        bytes += pieces[Int(state >> 33) % pieces.count]
      }
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      let valid = String(validating: bytes, as: UTF8.self) != nil
      do {
        _ = try CSVReader.parse(Data(bytes), source: "p.csv")
        #expect(valid, "\(bytes) read")
      } catch CSVError.invalidEncodingAt(_, let line, let offset, let byte) {
        #expect(!valid)
        #expect(bytes[offset] == byte, "\(bytes)")
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        #expect(String(validating: bytes[body..<offset], as: UTF8.self) != nil, "\(bytes): before \(offset)")
        #expect(String(validating: bytes[offset...], as: UTF8.self) == nil, "\(bytes): from \(offset)")
        #expect(line == 1 + bytes[..<offset].filter { $0 == 0x0A }.count, "\(bytes)")
        placed += 1
      } catch {
        #expect(valid, "\(bytes): \(error)")
      }
    }
    #expect(placed > 1_000)
  }

  @Test func aSingleProblemIsNamedAsBefore() {
    let cases = ["a,b\n1,2\n3,\"oops\n4,5\n", "a,b\n1,2\n3,4,5\n", "a,b\n\"1\"x,2\n", "", "\n", "a,a\n1,2\n",
                 "a,b,\n1,2,3\n"]
    for text in cases {
      let expected = Self.error { _ = try ReferenceCSVReader.parse(text, source: "e.csv") }
      #expect(throws: expected) { try CSVReader.parse(text, source: "e.csv") }
    }
  }

  static func error(_ body: () throws -> Void) -> CSVError {
    do { try body() } catch let e as CSVError { return e } catch {}
    Issue.record("the reference reader read a broken text")
    return .empty(file: "")
  }

  @Test func invalidUTF8IsRefusedWhereverItIs() {
    for prefix in [0, 7, 8, 9, 100] {
      var bytes = Array(("h" + String(repeating: "a", count: prefix)).utf8) + [0x0A]
      bytes += [0x61, 0xC3]  // a lead byte with nothing after it
      // Placed: line 2, at the lead byte with nothing after it.
      #expect(throws: CSVError.invalidEncodingAt(file: "u.csv", line: 2, byteOffset: prefix + 3, byte: 0xC3)) {
        try CSVReader.parse(Data(bytes), source: "u.csv")
      }
      bytes.removeLast()
      bytes += Array("é\n".utf8)
      #expect(throws: Never.self) { try CSVReader.parse(Data(bytes), source: "u.csv") }
    }
  }

  /// Cells that repeat the cell above share its text but stay separate
  /// values: a long repeated label, then one that differs by a byte.
  @Test func repeatedCellsKeepTheirOwnText() throws {
    let label = "Yorkshire and The Humber"
    let text = "name,n\n" + Array(repeating: label + ",1", count: 100).joined(separator: "\n")
      + "\n" + "Yorkshire and The Humbe!,2\n\"" + label + "\",3\n"
    let t = try CSVReader.parse(text, source: "r.csv")
    #expect(t.rowCount == 102)
    #expect(t.cells[0][99] == label)
    #expect(t.cells[0][100] == "Yorkshire and The Humbe!")
    #expect(t.cells[0][101] == label && t.quoted[0][101] && !t.quoted[0][99])
  }

  @Test func preloadGivesTheFilesReadOneByOne() throws {
    let names = try DataMirror(root: TestData.data).eesFileNames()
    let preloaded = DataMirror(root: TestData.data)
    preloaded.preload(names + ["no_such_file.csv"])
    let plain = DataMirror(root: TestData.data)
    for name in names.prefix(6) {
      let a = try preloaded.eesFile(name), b = try plain.eesFile(name)
      #expect(a.rows.count == b.rows.count && a.table.cells == b.table.cells, "\(name)")
      #expect(zip(a.rows, b.rows).allSatisfy { $0.areaCode == $1.areaCode && $0.period == $1.period }, "\(name)")
    }
    #expect(throws: DataError.self) { try preloaded.eesFile("no_such_file.csv") }
  }
}
