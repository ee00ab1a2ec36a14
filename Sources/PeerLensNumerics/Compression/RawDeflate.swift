import CDeflate

/// Raw deflate (RFC 1951, no zlib or gzip wrapper) and the CRC-32 of
/// ZIP entries, through zlib: what a `.xlsx` file's parts need.
///
/// Why here: only Numerics talks to C libraries. Why not ZIPFoundation's
/// writer: it deflates at zlib's default level 6, and its CRC-32 is a byte
/// loop in Swift; at level 1 zlib deflates a workbook's XML about three
/// times as fast for about a fifth more bytes, and its own CRC-32 is
/// about five times as fast.
public enum RawDeflate {
  /// zlib's fastest level.
  public static let fastest: Int32 = 1

  /// `bytes` deflated at `level` (0–9), as one raw stream.
  public static func compress(_ bytes: [UInt8], level: Int32 = fastest) throws(RawDeflateError) -> [UInt8] {
    var stream = z_stream()
    // −15: a raw stream with zlib's largest window; 8: zlib's default memory level.
    var status = deflateInit2_(&stream, level, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
                               Int32(MemoryLayout<z_stream>.size))
    guard status == Z_OK else { throw .zlib(status) }
    defer { deflateEnd(&stream) }
    var out = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(bytes.count))))
    var written = 0
    status = bytes.withUnsafeBufferPointer { input in
      out.withUnsafeMutableBufferPointer { output in
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
        stream.avail_in = UInt32(input.count)
        stream.next_out = output.baseAddress
        stream.avail_out = UInt32(output.count)
        // deflateBound leaves room for the whole stream: one call finishes it.
        let s = deflate(&stream, Z_FINISH)
        written = output.count - Int(stream.avail_out)
        return s
      }
    }
    guard status == Z_STREAM_END else { throw .zlib(status) }
    out.removeSubrange(written...)
    return out
  }

  /// The CRC-32 (ISO 3309, as ZIP and gzip use) of `bytes`.
  public static func crc32(_ bytes: [UInt8]) -> UInt32 {
    bytes.withUnsafeBufferPointer { b in
      UInt32(CDeflate.crc32(0, b.baseAddress, UInt32(b.count)))
    }
  }
}

/// zlib refused a stream (it does so only for bad parameters or no memory).
public enum RawDeflateError: Error, Equatable, Sendable, CustomStringConvertible {
  case zlib(Int32)

  public var description: String {
    switch self {
    case .zlib(let status): return "zlib could not deflate the data (status \(status))."
    }
  }
}
