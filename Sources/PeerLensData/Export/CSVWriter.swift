import Foundation

/// Writes RFC 4180 CSV: fields quoted only when needed, LF line ends,
/// numbers in shortest round-trip form, missing as an empty field.
///
/// Exports are opened in Excel, which runs a cell beginning with `=`, `+`,
/// `-`, `@`, a tab or a carriage return as a formula (CSV injection): such a
/// text cell is written with a leading `'`, which Excel shows as text. A
/// number such as `-1.5` is left alone, so it still reads as a number.
public enum CSVWriter {
  public static func field(_ raw: String) -> String {
    let s = textSafe(raw)
    if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
      return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
    return s
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
