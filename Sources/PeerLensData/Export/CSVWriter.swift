import Foundation

/// Writes RFC 4180 CSV: fields quoted only when needed, LF line ends,
/// numbers in shortest round-trip form, missing as an empty field.
public enum CSVWriter {
  public static func field(_ s: String) -> String {
    if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
      return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
    return s
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
