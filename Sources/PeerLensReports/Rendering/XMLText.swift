/// Escaping for text placed in XML: SVG charts inside the HTML packs and
/// the parts of an XLSX workbook share it, so both treat awkward names
/// (an ampersand in an authority's name, a stray control character in a
/// source file) the same way.
public enum XMLText {
  /// Escapes the five XML special characters and drops the characters
  /// XML 1.0 cannot carry at all (C0 controls other than tab, line feed and
  /// carriage return; U+FFFE and U+FFFF).
  public static func escape(_ s: String) -> String {
    // Most text has nothing to escape or drop: return it as it is. Bytes
    // below 0x20 are controls (tab, line feed and carriage return are kept
    // by the slow path too, but are rare enough to send there); 0xEF leads
    // U+FFFE and U+FFFF, so it is sent to the slow path to be checked.
    if !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 || $0 == 0xEF }) {
      return s
    }
    // By UTF-8 bytes: the specials and controls are single ASCII bytes,
    // and U+FFFE and U+FFFF the three bytes EF BF BE and EF BF BF (an
    // EF byte always starts a three-byte sequence in valid UTF-8).
    var s = s
    return s.withUTF8 { bytes in
      var out = [UInt8]()
      out.reserveCapacity(bytes.count + bytes.count / 8 + 8)
      var i = 0
      while i < bytes.count {
        let b = bytes[i]
        if appendEntity(b, to: &out) { i += 1; continue }
        switch b {
        case 0x09, 0x0A, 0x0D: out.append(b)
        case ..<0x20: break
        case 0xEF where i + 2 < bytes.count && bytes[i + 1] == 0xBF && (bytes[i + 2] == 0xBE || bytes[i + 2] == 0xBF):
          i += 2
        default: out.append(b)
        }
        i += 1
      }
      return String(decoding: out, as: UTF8.self)
    }
  }

  /// Appends the entity for one of the five special characters (`&`, `<`,
  /// `>`, `"`, `'` as `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&#39;`) and
  /// returns true, or returns false for any other byte. Shared by the XML
  /// escaping here and the pages' HTML escaping (`HTMLEscaping`).
  static func appendEntity(_ b: UInt8, to out: inout [UInt8]) -> Bool {
    switch b {
    case 0x26: out.append(contentsOf: [0x26, 0x61, 0x6D, 0x70, 0x3B])  // &amp;
    case 0x3C: out.append(contentsOf: [0x26, 0x6C, 0x74, 0x3B])  // &lt;
    case 0x3E: out.append(contentsOf: [0x26, 0x67, 0x74, 0x3B])  // &gt;
    case 0x22: out.append(contentsOf: [0x26, 0x71, 0x75, 0x6F, 0x74, 0x3B])  // &quot;
    case 0x27: out.append(contentsOf: [0x26, 0x23, 0x33, 0x39, 0x3B])  // &#39;
    default: return false
    }
    return true
  }
}
