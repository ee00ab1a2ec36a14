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
    var out = ""
    out.reserveCapacity(s.utf8.count)
    for u in s.unicodeScalars {
      switch u {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      case "\t", "\n", "\r": out.unicodeScalars.append(u)
      default:
        if u.value < 0x20 || u.value == 0xFFFE || u.value == 0xFFFF { continue }
        out.unicodeScalars.append(u)
      }
    }
    return out
  }
}
