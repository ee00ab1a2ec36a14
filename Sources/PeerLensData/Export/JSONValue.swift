import Foundation

/// A JSON value with ordered object keys and exact number output.
///
/// Numbers are written with Swift's shortest round-trip representation,
/// so a consumer parsing the text gets back the identical `Double`;
/// non-finite numbers become `null`. Keys keep insertion order, so output
/// is deterministic and reads in the order fields were documented.
public indirect enum JSONValue: Sendable, Equatable {
  case null
  case bool(Bool)
  case number(Double)
  case integer(Int)
  case string(String)
  case array([JSONValue])
  case object([(String, JSONValue)])

  public static func == (a: JSONValue, b: JSONValue) -> Bool { a.rendered() == b.rendered() }

  /// `nil` becomes `null`.
  public static func optional(_ v: Double?) -> JSONValue { v.map(JSONValue.number) ?? .null }
  public static func optional(_ v: String?) -> JSONValue { v.map(JSONValue.string) ?? .null }
  public static func optional(_ v: Int?) -> JSONValue { v.map(JSONValue.integer) ?? .null }

  /// Compact (one line) or pretty (two-space indent) text.
  public func rendered(pretty: Bool = false) -> String {
    var out = ""
    write(to: &out, pretty: pretty, indent: 0)
    return out
  }

  private func write(to out: inout String, pretty: Bool, indent: Int) {
    switch self {
    case .null: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .integer(let i): out += String(i)
    case .number(let d): out += JSONValue.format(d)
    case .string(let s): JSONValue.escape(s, into: &out)
    case .array(let items):
      if items.isEmpty { out += "[]"; return }
      out += "["
      for (k, item) in items.enumerated() {
        if k > 0 { out += "," }
        if pretty { out += "\n" + String(repeating: "  ", count: indent + 1) }
        item.write(to: &out, pretty: pretty, indent: indent + 1)
      }
      if pretty { out += "\n" + String(repeating: "  ", count: indent) }
      out += "]"
    case .object(let fields):
      if fields.isEmpty { out += "{}"; return }
      out += "{"
      for (k, (key, value)) in fields.enumerated() {
        if k > 0 { out += "," }
        if pretty { out += "\n" + String(repeating: "  ", count: indent + 1) }
        JSONValue.escape(key, into: &out)
        out += pretty ? ": " : ":"
        value.write(to: &out, pretty: pretty, indent: indent + 1)
      }
      if pretty { out += "\n" + String(repeating: "  ", count: indent) }
      out += "}"
    }
  }

  /// The shortest text that parses back to exactly `d` (Swift's
  /// `description` is round-trip exact), normalised to valid JSON.
  public static func format(_ d: Double) -> String {
    guard d.isFinite else { return "null" }
    if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
    return d.description
  }

  static func escape(_ s: String, into out: inout String) {
    out += "\""
    for u in s.unicodeScalars {
      switch u {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
      }
    }
    out += "\""
  }
}
