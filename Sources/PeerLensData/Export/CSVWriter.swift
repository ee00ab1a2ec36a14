import Foundation

/// Writes RFC 4180 CSV: fields quoted only when needed, LF line ends,
/// numbers in shortest round-trip form, missing as an empty field.
///
/// Exports are opened in Excel, which runs a cell beginning with `=`, `+`,
/// `-`, `@`, a tab or a carriage return as a formula (CSV injection): such a
/// text cell is written with a leading `'`, which Excel shows as text. A
/// number such as `-1.5` is left alone, so it still reads as a number.
public enum CSVWriter {
  /// One field, quoted when it holds a comma, a quote or a line end.
  ///
  /// Why bytes, not characters: a quote or a carriage return followed by a
  /// combining mark, and a CRLF pair, are single characters that equal none
  /// of `"`, `\r` or `\n`; compared as characters they went out unquoted
  /// and split the row (and the per-character scan was the slowest part of
  /// writing values.csv).
  public static func field(_ raw: String) -> String {
    let s = textSafe(raw)
    let quote: UInt8 = 0x22
    guard s.utf8.contains(where: { $0 == 0x2C || $0 == quote || $0 == 0x0A || $0 == 0x0D }) else { return s }
    var bytes: [UInt8] = [quote]
    bytes.reserveCapacity(s.utf8.count + 8)
    for b in s.utf8 {
      bytes.append(b)
      if b == quote { bytes.append(quote) }
    }
    bytes.append(quote)
    return String(decoding: bytes, as: UTF8.self)
  }

  /// The cell with a leading `'` if a spreadsheet would read it as a formula.
  public static func textSafe(_ s: String) -> String {
    guard let first = s.unicodeScalars.first else { return s }
    switch first {
    case "=", "+", "@", "\t", "\r": return "'" + s
    case "-": return Double(s).map(\.isFinite) == true ? s : "'" + s
    default: return s
    }
  }

  public static func number(_ d: Double?) -> String {
    guard let d, d.isFinite else { return "" }
    return JSONValue.format(d)
  }

  public static func render(header: [String], rows: [[String]]) -> String {
    var out = header.map(field).joined(separator: ",") + "\n"
    for r in rows { out += r.map(field).joined(separator: ",") + "\n" }
    return out
  }
}
