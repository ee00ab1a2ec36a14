import Foundation
import Testing
@testable import PeerLensNumerics

/// zlib's CRC-32 and raw deflate as the workbooks use them. Inflating the
/// streams back (through ZIPFoundation) is `ZIPWriterTests`' part.
@Suite struct RawDeflateTests {
  /// The CRC-32 check value of "123456789" (0xCBF43926, in every CRC
  /// catalogue), of nothing, and of one bit flipped.
  @Test func crcMatchesTheCheckValue() {
    #expect(RawDeflate.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
    #expect(RawDeflate.crc32([]) == 0)
    #expect(RawDeflate.crc32(Array("123456788".utf8)) != 0xCBF4_3926)
  }

  /// The CRC-32 of random bytes against the bitwise definition
  /// (reflected polynomial 0xEDB88320, initial and final XOR all ones).
  @Test func crcMatchesTheBitwiseDefinition() {
    var g = SeededGenerator(seed: 3)
    for length in [1, 7, 64, 1_000, 65_537] {
      let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: g.next()) }
      var crc: UInt32 = 0xFFFF_FFFF
      for b in bytes {
        crc ^= UInt32(b)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
      }
      #expect(RawDeflate.crc32(bytes) == ~crc, "\(length) bytes")
    }
  }

  /// A raw stream: no zlib header (0x78 …), and it ends; repetitive XML
  /// shrinks, and random bytes grow by no more than deflate's stored-block
  /// overhead; the fastest level is larger than the default but not double.
  @Test func deflateShrinksTextAndBoundsNoise() throws {
    let xml = Array(String(repeating: #"<c r="A1" t="inlineStr"><is><t>rereferral_pct</t></is></c>"#, count: 2_000).utf8)
    let fast = try RawDeflate.compress(xml)
    let normal = try RawDeflate.compress(xml, level: 6)
    #expect(fast.count < xml.count / 20 && normal.count <= fast.count)
    #expect(fast.first != 0x78)
    var g = SeededGenerator(seed: 9)
    let noise = (0..<100_000).map { _ in UInt8(truncatingIfNeeded: g.next()) }
    let packed = try RawDeflate.compress(noise)
    #expect(packed.count <= noise.count + 5 * (noise.count / 16_383 + 1) + 8)
    #expect(try RawDeflate.compress([]).count <= 2)
    #expect(throws: RawDeflateError.self) { try RawDeflate.compress(xml, level: 42) }
  }
}
