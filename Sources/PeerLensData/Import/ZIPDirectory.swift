import Foundation

/// The entries of a ZIP file, read from its central directory and checked
/// against its local headers and its length before any byte is inflated.
///
/// Why not ZIPFoundation's `Archive` alone: it trusts the central directory.
/// An entry whose data runs past the end of the file (a download cut short,
/// or a hostile file) is then read chunk by empty chunk and its inflate loop
/// never ends, and its in-memory archive traps on a directory that points
/// past the end. Both were found by the `ees-zip` fuzz target
/// (`Tests/Fuzz/crashes/ees-zip/`). Reading the directory here costs a few
/// reads and turns each of those into an error that names the entry;
/// ZIPFoundation still does the inflating (`ReleaseImport.inflate`).
struct ZIPDirectory {
  /// One file in the ZIP, with where its stored bytes lie.
  struct Entry: Equatable {
    var name: String
    /// 0 stored, 8 deflated; anything else is refused by the reader.
    var method: Int
    var crc32: UInt32
    var compressedSize: Int
    var uncompressedSize: Int
    /// Offset of the first stored byte (after the local header).
    var dataStart: Int
    var isDirectory: Bool { name.hasSuffix("/") }
  }

  let entries: [Entry]

  /// Reads the directory of `data` (usually memory-mapped), or throws a
  /// sentence saying what is wrong with the file.
  init(_ data: Data) throws(ZIPDirectoryError) {
    let n = data.count
    let base = data.startIndex
    func u16(_ k: Int) -> Int? { k >= 0 && k + 2 <= n ? Int(data[base + k]) | Int(data[base + k + 1]) << 8 : nil }
    func u32(_ k: Int) -> Int? {
      guard k >= 0, k + 4 <= n else { return nil }
      return Int(data[base + k]) | Int(data[base + k + 1]) << 8 | Int(data[base + k + 2]) << 16
        | Int(data[base + k + 3]) << 24
    }
    // The end-of-central-directory record: its signature within the last
    // 22 bytes plus the longest possible comment.
    var end: Int? = nil
    var k = n - 22
    while k >= max(0, n - 22 - 65_535) {
      if u32(k) == 0x0605_4B50 { end = k; break }
      k -= 1
    }
    guard let end, let count = u16(end + 10), let cdOffset = u32(end + 16) else {
      throw ZIPDirectoryError("it is not a ZIP file, or it is cut short (no end-of-directory record)")
    }
    if cdOffset == 0xFFFF_FFFF || count == 0xFFFF {
      throw ZIPDirectoryError("it uses the ZIP64 format, which DfE's release downloads do not; unzip it and import the CSV files")
    }
    var out: [Entry] = []
    var at = cdOffset
    for _ in 0..<count {
      guard u32(at) == 0x0201_4B50, let method = u16(at + 10), let crc = u32(at + 16), let compressed = u32(at + 20),
            let uncompressed = u32(at + 24), let nameLength = u16(at + 28), let extraLength = u16(at + 30),
            let commentLength = u16(at + 32), let local = u32(at + 42), at + 46 + nameLength <= n else {
        throw ZIPDirectoryError("its central directory is cut short or damaged")
      }
      let name = String(decoding: data[(base + at + 46)..<(base + at + 46 + nameLength)], as: UTF8.self)
      if compressed == 0xFFFF_FFFF || uncompressed == 0xFFFF_FFFF || local == 0xFFFF_FFFF {
        throw ZIPDirectoryError("\(name) uses the ZIP64 format, which DfE's release downloads do not; unzip it and import the CSV files")
      }
      guard u32(local) == 0x0403_4B50, let localName = u16(local + 26), let localExtra = u16(local + 28) else {
        throw ZIPDirectoryError("\(name): its local header is missing or damaged")
      }
      let dataStart = local + 30 + localName + localExtra
      if dataStart + compressed > n {
        throw ZIPDirectoryError("\(name) claims \(compressed) bytes but only \(max(0, n - dataStart)) remain in a file of \(n) bytes; "
          + "the ZIP is cut short or damaged")
      }
      out.append(Entry(name: name, method: method, crc32: UInt32(crc), compressedSize: compressed,
                       uncompressedSize: uncompressed, dataStart: dataStart))
      at += 46 + nameLength + extraLength + commentLength
    }
    entries = out
  }
}

/// What is wrong with a ZIP file, in words (`ImportError.unreadableZIP`
/// adds the file's path).
struct ZIPDirectoryError: Error, Equatable {
  let reason: String
  init(_ reason: String) { self.reason = reason }
}
