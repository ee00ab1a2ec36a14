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
  private var body: [String] = []
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
    guard v.isFinite else { return "0" }
    let scaled = Int((v * 100).rounded())
    let negative = scaled < 0
    let a = abs(scaled)
    let whole = a / 100, frac = a % 100
    var out = negative ? "-" : ""
    out += String(whole)
    if frac != 0 {
      out += frac < 10 ? ".0" + String(frac) : "." + String(frac)
      if out.hasSuffix("0") { out.removeLast() }
    }
    return out == "-0" ? "0" : out
  }

  private static func attributes(_ a: [(String, String)]) -> String {
    a.map { " \($0.0)=\"\(escape($0.1))\"" }.joined()
  }

  mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String, width w: Double = 1,
                     dash: String? = nil, cls: String? = nil) {
    var a = [("x1", Self.n(x1)), ("y1", Self.n(y1)), ("x2", Self.n(x2)), ("y2", Self.n(y2)), ("stroke", stroke),
             ("stroke-width", Self.n(w))]
    if let dash { a.append(("stroke-dasharray", dash)) }
    if let cls { a.append(("class", cls)) }
    body.append("<line\(Self.attributes(a))/>")
  }

  mutating func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String, stroke: String? = nil,
                     opacity: Double? = nil) {
    var a = [("x", Self.n(x)), ("y", Self.n(y)), ("width", Self.n(max(0, w))), ("height", Self.n(max(0, h))), ("fill", fill)]
    if let stroke { a.append(("stroke", stroke)) }
    if let opacity { a.append(("fill-opacity", Self.n(opacity))) }
    body.append("<rect\(Self.attributes(a))/>")
  }

  mutating func circle(_ cx: Double, _ cy: Double, r: Double, fill: String, stroke: String? = nil,
                       strokeWidth: Double = 1, label: String? = nil) {
    body.append(Self.circle(cx, cy, r: r, fill: fill, stroke: stroke, strokeWidth: strokeWidth, label: label))
  }

  /// A circle element on its own, for charts drawn once and marked per
  /// pack (``FunnelChart``).
  static func circle(_ cx: Double, _ cy: Double, r: Double, fill: String, stroke: String? = nil,
                     strokeWidth: Double = 1, label: String? = nil) -> String {
    var a = [("cx", Self.n(cx)), ("cy", Self.n(cy)), ("r", Self.n(r)), ("fill", fill)]
    if let stroke { a += [("stroke", stroke), ("stroke-width", Self.n(strokeWidth))] }
    if let label {
      return "<circle\(Self.attributes(a))><title>\(Self.escape(label))</title></circle>"
    }
    return "<circle\(Self.attributes(a))/>"
  }

  mutating func polygon(_ points: [(Double, Double)], fill: String, stroke: String? = nil, label: String? = nil) {
    let pts = points.map { "\(Self.n($0.0)),\(Self.n($0.1))" }.joined(separator: " ")
    var a = [("points", pts), ("fill", fill)]
    if let stroke { a.append(("stroke", stroke)) }
    if let label {
      body.append("<polygon\(Self.attributes(a))><title>\(Self.escape(label))</title></polygon>")
    } else {
      body.append("<polygon\(Self.attributes(a))/>")
    }
  }

  mutating func polyline(_ points: [(Double, Double)], stroke: String, width w: Double = 1.5, dash: String? = nil) {
    guard points.count > 1 else { return }
    let pts = points.map { "\(Self.n($0.0)),\(Self.n($0.1))" }.joined(separator: " ")
    var a = [("points", pts), ("fill", "none"), ("stroke", stroke), ("stroke-width", Self.n(w))]
    if let dash { a.append(("stroke-dasharray", dash)) }
    body.append("<polyline\(Self.attributes(a))/>")
  }

  mutating func text(_ x: Double, _ y: Double, _ s: String, size: Double = 10, anchor: String = "start",
                     fill: String = "#222", weight: String? = nil) {
    var a = [("x", Self.n(x)), ("y", Self.n(y)), ("font-size", Self.n(size)), ("text-anchor", anchor), ("fill", fill)]
    if let weight { a.append(("font-weight", weight)) }
    body.append("<text\(Self.attributes(a))>\(Self.escape(s))</text>")
  }

  var rendered: String { opening + "</svg>" }

  /// The chart without its closing tag, for elements added after it.
  var opening: String {
    let head = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Self.n(width)) \(Self.n(height))\" width=\"\(Self.n(width))\" height=\"\(Self.n(height))\" role=\"img\" aria-labelledby=\"\(Self.escape(id))-title \(Self.escape(id))-desc\" class=\"chart\">"
    let meta = "<title id=\"\(Self.escape(id))-title\">\(Self.escape(title))</title><desc id=\"\(Self.escape(id))-desc\">\(Self.escape(description))</desc>"
    return head + meta + body.joined()
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
