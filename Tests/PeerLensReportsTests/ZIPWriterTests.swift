import Foundation
import Testing
import ZIPFoundation
@testable import PeerLensReports
import PeerLensNumerics

/// The workbooks' ZIP writer, read back by an independent reader
/// (ZIPFoundation, which checks each entry's CRC-32 as it extracts).
@Suite struct ZIPWriterTests {
  static func entries() -> [ZIPWriter.Entry] {
    var g = SeededGenerator(seed: 17)
    return [
      ("[Content_Types].xml", Array(String(repeating: "<Default Extension=\"xml\"/>", count: 300).utf8)),
      ("empty.txt", []),
      ("xl/worksheets/sheet1.xml", Array(String(repeating: "<row r=\"2\"><c r=\"B2\"><v>23.655913978494624</v></c></row>", count: 20_000).utf8)),
      ("noise.bin", (0..<70_000).map { _ in UInt8(truncatingIfNeeded: g.next()) }),
      ("données/é.xml", Array("<t>Ealing · Brent</t>".utf8)),
    ]
  }

  @Test func anIndependentReaderGetsBackEveryEntry() throws {
    let entries = Self.entries()
    let data = try ZIPWriter.archive(entries)
    let archive = try Archive(data: data, accessMode: .read)
    #expect(Array(archive).map(\.path) == entries.map(\.path))
    for e in entries {
      let entry = try #require(archive[e.path], "\(e.path) missing")
      var out = Data()
      _ = try archive.extract(entry) { out.append($0) }
      #expect(Array(out) == e.bytes, "\(e.path) differs after extraction")
      #expect(entry.checksum == RawDeflate.crc32(e.bytes))
      #expect(entry.type == .file)
    }
  }

  /// The same entries give the same bytes (no clock, no randomness), with
  /// the fixed date 2000-01-01 00:00 in every header, and the end record
  /// counting the entries and pointing at the directory.
  @Test func bytesAreReproducibleAndTheEndRecordIsConsistent() throws {
    let entries = Self.entries()
    let a = try ZIPWriter.archive(entries), b = try ZIPWriter.archive(entries)
    #expect(a == b)
    let bytes = [UInt8](a)
    func u16(_ i: Int) -> Int { Int(bytes[i]) | Int(bytes[i + 1]) << 8 }
    func u32(_ i: Int) -> Int { u16(i) | u16(i + 2) << 16 }
    #expect(u32(0) == 0x0403_4B50)
    #expect(u16(10) == 0 && u16(12) == (20 << 9 | 1 << 5 | 1), "DOS time and date of 2000-01-01 00:00")
    let end = bytes.count - 22
    #expect(u32(end) == 0x0605_4B50)
    #expect(u16(end + 8) == entries.count && u16(end + 10) == entries.count)
    #expect(u32(end + 16) + u32(end + 12) == end, "the directory ends where the end record starts")
    #expect(u32(u32(end + 16)) == 0x0201_4B50)
  }
}
