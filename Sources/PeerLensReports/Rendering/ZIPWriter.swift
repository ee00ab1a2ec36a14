import Foundation
import PeerLensNumerics

/// A ZIP archive of deflated entries, written in one pass: local headers
/// and data, then the central directory (APPNOTE 6.3; no ZIP64, no data
/// descriptors, no extra fields).
///
/// Why not ZIPFoundation's writer: it deflates at zlib's default level,
/// which was most of a workbook's cost in the national run (153 of them);
/// at zlib's fastest level a workbook is about a fifth larger and written
/// in a third of the time. ZIPFoundation still reads every archive
/// (the tests open each workbook with it).
struct ZIPWriter {
  /// An entry's path in the archive and its uncompressed bytes.
  typealias Entry = (path: String, bytes: [UInt8])

  /// DOS date and time of every entry: 2000-01-01 00:00, fixed so the
  /// same parts give the same bytes.
  static let dosDate: UInt16 = (2000 - 1980) << 9 | 1 << 5 | 1
  static let dosTime: UInt16 = 0

  /// The archive of `entries`, in their order, each deflated at `level`.
  static func archive(_ entries: [Entry], level: Int32 = RawDeflate.fastest) throws -> Data {
    var out = [UInt8]()
    var directory = [UInt8]()
    // General purpose flags, bits 1–2: the deflate option, "fast" and
    // "super fast" as zip tools mark levels 2 and 1.
    let option: UInt16 = level == 1 ? 6 : level == 2 ? 4 : 0
    for entry in entries {
      let name = Array(entry.path.utf8)
      // Bit 11: the name is UTF-8 (readers take it as code page 437 otherwise).
      let flags = option | (name.allSatisfy { $0 < 0x80 } ? 0 : 1 << 11)
      guard entry.bytes.count < Int(UInt32.max), name.count <= Int(UInt16.max) else {
        throw ZIPWriterError.tooLarge(entry.path)
      }
      let data = try RawDeflate.compress(entry.bytes, level: level)
      let crc = RawDeflate.crc32(entry.bytes)
      let offset = UInt32(out.count)
      // The fields a local header and its directory entry share, from
      // "version needed" to the extra field's length.
      var shared = [UInt8]()
      append(UInt16(20), to: &shared)  // version needed: 2.0 (deflate)
      append(flags, to: &shared)
      append(UInt16(8), to: &shared)  // deflate
      append(dosTime, to: &shared)
      append(dosDate, to: &shared)
      append(crc, to: &shared)
      append(UInt32(data.count), to: &shared)
      append(UInt32(entry.bytes.count), to: &shared)
      append(UInt16(name.count), to: &shared)
      append(UInt16(0), to: &shared)  // no extra field
      // Local file header.
      append(UInt32(0x0403_4B50), to: &out)
      out += shared
      out += name
      out += data
      // Its central directory entry.
      append(UInt32(0x0201_4B50), to: &directory)
      append(UInt16(3 << 8 | 20), to: &directory)  // made by Unix, version 2.0
      directory += shared
      append(UInt16(0), to: &directory)  // comment
      append(UInt16(0), to: &directory)  // disk
      append(UInt16(0), to: &directory)  // internal attributes
      append(UInt32(0o100644) << 16, to: &directory)  // a regular file, rw-r--r--
      append(offset, to: &directory)
      directory += name
    }
    guard entries.count <= Int(UInt16.max), out.count + directory.count < Int(UInt32.max) else {
      throw ZIPWriterError.tooLarge("the archive")
    }
    let directoryOffset = UInt32(out.count)
    out += directory
    // End of central directory.
    append(UInt32(0x0605_4B50), to: &out)
    append(UInt16(0), to: &out)  // this disk
    append(UInt16(0), to: &out)  // the directory's disk
    append(UInt16(entries.count), to: &out)
    append(UInt16(entries.count), to: &out)
    append(UInt32(directory.count), to: &out)
    append(directoryOffset, to: &out)
    append(UInt16(0), to: &out)  // no comment
    return Data(out)
  }

  /// `value` little-endian, as every ZIP field is.
  private static func append<T: FixedWidthInteger>(_ value: T, to out: inout [UInt8]) {
    withUnsafeBytes(of: value.littleEndian) { out += $0 }
  }
}

enum ZIPWriterError: Error, LocalizedError, Equatable {
  case tooLarge(String)

  var errorDescription: String? {
    switch self {
    case .tooLarge(let what): return "\(what) is too large for a ZIP archive without ZIP64 (4 GB, 65,535 entries)."
    }
  }
}
