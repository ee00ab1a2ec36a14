/// Escaping for text placed in XML: SVG charts inside the HTML packs and
/// the parts of an XLSX workbook share it, so both treat awkward names
/// (an ampersand in an authority's name, a stray control character in a
/// source file) the same way.
enum XMLText {
  /// Escapes the five XML special characters and drops the characters
  /// XML 1.0 cannot carry at all (C0 controls other than tab, line feed and
  /// carriage return; U+FFFE and U+FFFF).
  static func escape(_ s: String) -> String {
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
