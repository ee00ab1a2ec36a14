import Foundation

/// A funnel plot drawn once per indicator and period, then marked for
/// each authority: the axes, limit curves and every authority's small
/// point are the same in all 153 packs, and only the highlighted point,
/// drawn last over its own small one, differs.
///
/// Why: drawing the whole chart per pack was a tenth of the national run,
/// and the small points, one element each, more than half of a pack's
/// page. They are one path of dots (`SVG.dots`), shared by every pack
/// (`Charts.funnel` is this type).
struct FunnelChart: Sendable {
  /// The chart with every authority's small point (no closing tag), or
  /// the whole "No funnel" chart.
  private let opening: String
  private let empty: Bool
  /// Where each authority's highlighted point goes, in the units' order.
  private let points: [(code: String, x: Double, y: Double, value: Double)]
  private let decimals: Int?

  /// `xLabel` names what the x-axis counts: the denominator, or for an
  /// absence rate its effective number of pupils (`pupil_clustering`).
  init(id: String, title: String, units: [(code: String, x: Double, y: Double)],
       limits: [(x: Double, l95: Double, u95: Double, l998: Double, u998: Double)], target: Double,
       decimals: Int? = nil, width: Double = 520, height: Double = 240, xLabel: String = "denominator") {
    self.decimals = decimals
    let left = 56.0, right = 14.0, top = 12.0, bottom = 38.0, t = ChartText.size
    var svg = SVG(width: width, height: height, id: id, title: title,
                  description: "Funnel plot: each authority's value against its \(xLabel), with 95% (dashed) and 99.8% (solid) limits around England; this authority in blue.")
    guard let xMax = units.map(\.x).max(), let yMin0 = (units.map(\.y) + limits.map(\.l998)).min(),
          let yMax0 = (units.map(\.y) + limits.map(\.u998)).max(), xMax > 0 else {
      svg.text(width / 2, height / 2, "No funnel", size: t, anchor: "middle", fill: Palette.muted)
      (opening, empty, points) = (svg.rendered, true, [])
      return
    }
    // Round ticks (1, 2 or 5 × 10^k) with the axis ending on ticks.
    let yScale = AxisTicks.scale(lower: max(0, yMin0), upper: yMax0)
    let yMin = yScale.lower, yMax = yScale.upper
    let plotW = width - left - right, plotH = height - top - bottom
    // Denominators span two or three orders of magnitude (the City of
    // London to Kent): a log axis spreads the small authorities out
    // instead of piling them against the left edge.
    let xMin = max(1, (units.map(\.x) + limits.map(\.x)).filter { $0 > 0 }.min() ?? 1)
    let logLo = log10(xMin) - 0.05, logHi = log10(max(xMax, xMin * 10)) + 0.05
    func x(_ v: Double) -> Double { left + plotW * (log10(max(v, xMin)) - logLo) / (logHi - logLo) }
    var decade = pow(10, (logLo).rounded(.up))
    while log10(decade) <= logHi {
      svg.line(x(decade), top, x(decade), top + plotH, stroke: Palette.grid, cls: "grid")
      svg.text(x(decade), top + plotH + 14, NumberFormat.plain(decade, decimals: 0), size: t, anchor: "middle",
               fill: Palette.muted)
      decade *= 10
    }
    func y(_ v: Double) -> Double { top + plotH * (1 - (min(max(v, yMin), yMax) - yMin) / max(yMax - yMin, 1e-12)) }
    for v in yScale.values {
      svg.line(left, y(v), width - right, y(v), stroke: Palette.grid, cls: "grid")
      svg.text(left - 4, y(v) + 4, NumberFormat.plain(v, decimals: yScale.decimals), size: t, anchor: "end",
               fill: Palette.muted)
    }
    svg.text(left + plotW / 2, height - 4, "\(xLabel) (log scale)", size: t, anchor: "middle", fill: Palette.muted)
    svg.line(left, y(target), width - right, y(target), stroke: Palette.england)
    svg.polyline(limits.map { (x($0.x), y($0.l95)) }, stroke: Palette.limits, width: 1, dash: "4,3")
    svg.polyline(limits.map { (x($0.x), y($0.u95)) }, stroke: Palette.limits, width: 1, dash: "4,3")
    svg.polyline(limits.map { (x($0.x), y($0.l998)) }, stroke: Palette.limits, width: 1.2)
    svg.polyline(limits.map { (x($0.x), y($0.u998)) }, stroke: Palette.limits, width: 1.2)
    points = units.map { u in (u.code, x(u.x), y(u.y), u.y) }
    // The highlighted point (radius 5, opaque) covers its own dot.
    opening = svg.opening + SVG.dots(points.map { ($0.x, $0.y) }, diameter: 4.4, colour: Palette.otherAuthorities)
    empty = false
  }

  /// The chart with `highlight`'s point drawn large, in the colour of its
  /// `flag` under `polarity`, on top of the others.
  func rendered(highlight: String, flag: String?, polarity: String) -> String {
    guard !empty else { return opening }
    guard let p = points.first(where: { $0.code == highlight }) else { return opening + "</svg>" }
    return opening
      + SVG.circle(p.x, p.y, r: 5, fill: Charts.pointColour(flag: flag, polarity: polarity), stroke: Palette.outline,
                   label: "This authority: \(Charts.format(p.value, decimals: decimals))")
      + "</svg>"
  }
}
