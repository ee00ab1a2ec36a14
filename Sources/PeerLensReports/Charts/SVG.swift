import Foundation

/// A minimal SVG builder: every text and attribute value is escaped, and
/// numbers are printed with fixed precision so output is byte-identical
/// across runs.
///
/// Charts are accessible: the root has `role="img"`, a `<title>` and a
/// `<desc>`, referenced by `aria-labelledby`.
struct SVG {
  let width: Double
  let height: Double
  /// The elements so far, as text: appended to in place (a pack draws
  /// thousands of elements; building each from arrays of attribute pairs
  /// was a fortieth of a national run).
  private var body = ""
  let id: String
  let title: String
  let description: String

  init(width: Double, height: Double, id: String, title: String, description: String) {
    self.width = width
    self.height = height
    self.id = id
    self.title = title
    self.description = description
  }

  static func escape(_ s: String) -> String { XMLText.escape(s) }

  /// Fixed two-decimal text without `String(format:)` (charts print
  /// thousands of coordinates per pack).
  static func n(_ v: Double) -> String {
    var out = ""
    append(v, to: &out)
    return out
  }

  /// `n(v)` appended to `out`: up to two decimals, trailing zeros and a
  /// negative zero dropped, 0 for a value that is not finite.
  static func append(_ v: Double, to out: inout String) {
    guard v.isFinite else { out += "0"; return }
    let scaled = Int((v * 100).rounded())
    let a = abs(scaled)
    let whole = a / 100, frac = a % 100
    if scaled < 0 { out += "-" }
    out += String(whole)
    guard frac != 0 else { return }
    out += "."
    out += frac < 10 ? "0" : String(frac / 10)
    if frac % 10 != 0 { out += String(frac % 10) }
  }

  /// ` name="value"`, the value escaped.
  private static func attribute(_ name: String, _ value: String, to out: inout String) {
    out += " "
    out += name
    out += "=\""
    out += escape(value)
    out += "\""
  }

  /// ` name="number"` (numbers need no escaping).
  private static func attribute(_ name: String, number v: Double, to out: inout String) {
    out += " "
    out += name
    out += "=\""
    append(v, to: &out)
    out += "\""
  }

  /// `x,y x,y …` for a polyline or polygon.
  private static func points(_ points: [(Double, Double)]) -> String {
    var out = ""
    for (k, p) in points.enumerated() {
      if k > 0 { out += " " }
      append(p.0, to: &out)
      out += ","
      append(p.1, to: &out)
    }
    return out
  }

  mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String, width w: Double = 1,
                     dash: String? = nil, cls: String? = nil) {
    body += "<line"
    Self.attribute("x1", number: x1, to: &body)
    Self.attribute("y1", number: y1, to: &body)
    Self.attribute("x2", number: x2, to: &body)
    Self.attribute("y2", number: y2, to: &body)
    Self.attribute("stroke", stroke, to: &body)
    Self.attribute("stroke-width", number: w, to: &body)
    if let dash { Self.attribute("stroke-dasharray", dash, to: &body) }
    if let cls { Self.attribute("class", cls, to: &body) }
    body += "/>"
  }

  mutating func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String, stroke: String? = nil,
                     opacity: Double? = nil) {
    body += "<rect"
    Self.attribute("x", number: x, to: &body)
    Self.attribute("y", number: y, to: &body)
    Self.attribute("width", number: max(0, w), to: &body)
    Self.attribute("height", number: max(0, h), to: &body)
    Self.attribute("fill", fill, to: &body)
    if let stroke { Self.attribute("stroke", stroke, to: &body) }
    if let opacity { Self.attribute("fill-opacity", number: opacity, to: &body) }
    body += "/>"
  }

  mutating func circle(_ cx: Double, _ cy: Double, r: Double, fill: String, stroke: String? = nil,
                       strokeWidth: Double = 1, label: String? = nil) {
    body += Self.circle(cx, cy, r: r, fill: fill, stroke: stroke, strokeWidth: strokeWidth, label: label)
  }

  /// A circle element on its own, for charts drawn once and marked per
  /// pack (``FunnelChart``).
  static func circle(_ cx: Double, _ cy: Double, r: Double, fill: String, stroke: String? = nil,
                     strokeWidth: Double = 1, label: String? = nil) -> String {
    var out = "<circle"
    attribute("cx", number: cx, to: &out)
    attribute("cy", number: cy, to: &out)
    attribute("r", number: r, to: &out)
    attribute("fill", fill, to: &out)
    if let stroke {
      attribute("stroke", stroke, to: &out)
      attribute("stroke-width", number: strokeWidth, to: &out)
    }
    if let label {
      out += "><title>"
      out += escape(label)
      out += "</title></circle>"
    } else {
      out += "/>"
    }
    return out
  }

  /// Dots of one size and colour as a single path of zero-length strokes
  /// with round caps (each is a disc of the stroke's width, as SVG
  /// specifies), for charts of many points drawn once and marked per pack
  /// (``FunnelChart``).
  ///
  /// Why: a funnel's 150 other authorities as circles were 58 bytes each
  /// and 58% of an authority's page; as one path about 16 bytes each.
  static func dots(_ points: [(x: Double, y: Double)], diameter: Double, colour: String) -> String {
    guard !points.isEmpty else { return "" }
    var d = ""
    for p in points {
      d += "M"
      append(p.x, to: &d)
      d += " "
      append(p.y, to: &d)
      d += "h0"
    }
    var out = "<path"
    attribute("d", d, to: &out)
    attribute("fill", "none", to: &out)
    attribute("stroke", colour, to: &out)
    attribute("stroke-width", number: diameter, to: &out)
    attribute("stroke-linecap", "round", to: &out)
    out += "/>"
    return out
  }

  mutating func polygon(_ points: [(Double, Double)], fill: String, stroke: String? = nil, label: String? = nil) {
    body += "<polygon"
    Self.attribute("points", Self.points(points), to: &body)
    Self.attribute("fill", fill, to: &body)
    if let stroke { Self.attribute("stroke", stroke, to: &body) }
    if let label {
      body += "><title>"
      body += Self.escape(label)
      body += "</title></polygon>"
    } else {
      body += "/>"
    }
  }

  mutating func polyline(_ points: [(Double, Double)], stroke: String, width w: Double = 1.5, dash: String? = nil) {
    guard points.count > 1 else { return }
    body += "<polyline"
    Self.attribute("points", Self.points(points), to: &body)
    Self.attribute("fill", "none", to: &body)
    Self.attribute("stroke", stroke, to: &body)
    Self.attribute("stroke-width", number: w, to: &body)
    if let dash { Self.attribute("stroke-dasharray", dash, to: &body) }
    body += "/>"
  }

  mutating func text(_ x: Double, _ y: Double, _ s: String, size: Double = 10, anchor: String = "start",
                     fill: String = "#222", weight: String? = nil) {
    body += "<text"
    Self.attribute("x", number: x, to: &body)
    Self.attribute("y", number: y, to: &body)
    Self.attribute("font-size", number: size, to: &body)
    Self.attribute("text-anchor", anchor, to: &body)
    Self.attribute("fill", fill, to: &body)
    if let weight { Self.attribute("font-weight", weight, to: &body) }
    body += ">"
    body += Self.escape(s)
    body += "</text>"
  }

  var rendered: String { opening + "</svg>" }

  /// The chart without its closing tag, for elements added after it.
  var opening: String {
    let head = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Self.n(width)) \(Self.n(height))\" width=\"\(Self.n(width))\" height=\"\(Self.n(height))\" role=\"img\" aria-labelledby=\"\(Self.escape(id))-title \(Self.escape(id))-desc\" class=\"chart\">"
    let meta = "<title id=\"\(Self.escape(id))-title\">\(Self.escape(title))</title><desc id=\"\(Self.escape(id))-desc\">\(Self.escape(description))</desc>"
    return head + meta + body
  }
}

/// The colour-blind-safe palette (Okabe and Ito 2008), held to WCAG 2.1
/// contrast on white (issue 22.7): every data mark at least 3:1 through its
/// fill or its outline, every text at least 4.5:1. Okabe–Ito's orange
/// (2.3:1) is darkened for the region; sky blue (2.3:1) keeps its hue and
/// is always drawn with a dark outline. Light greys are only for
/// gridlines and the inside of outlined bars (`Palette.grid`, `rangeFill`).
enum Palette {
  static let authority = "#0072B2"  // blue, 5.2:1
  static let england = "#000000"
  static let region = "#C07400"  // dark orange, 3.7:1
  static let neighbours = "#009E73"  // green, 3.4:1
  static let limits = "#767676"  // 4.5:1
  /// The all-authorities bar of the spine chart: a light inside, outlined in `rangeOutline`.
  static let rangeFill = "#EEEEEE"
  static let rangeOutline = "#767676"  // 4.5:1
  static let neighbourRange = "#4F8FC4"  // 3.5:1
  /// Other authorities' points in funnel plots.
  static let otherAuthorities = "#8A8A8A"  // 3.5:1
  /// The outline of every coloured point (so light fills still stand out).
  static let outline = "#000000"
  /// Beyond limits in the direction the indicator's polarity marks as better / worse.
  static let towardsBetter = "#56B4E9"  // sky blue, always outlined
  static let towardsWorse = "#D55E00"  // vermilion, 3.9:1
  /// Outside limits for an indicator with no judgement: neutral purple, 3.1:1.
  static let neutralOutside = "#CC79A7"
  static let muted = "#666666"  // text, 5.7:1
  /// Gridlines and axis guides: not data (drawn with class `grid`).
  static let grid = "#E6E6E6"
}

/// Chart text sizes. Charts print at their own width (at most the 703 px
/// of an A4 page between 12 mm margins; the stylesheet stacks two-column
/// charts in print), so 12 units print at 12 px = 9 pt.
enum ChartText {
  static let size = 12.0
}
