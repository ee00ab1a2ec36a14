import Foundation

/// One row of a grouped breakdown chart: an indicator of the group, the
/// authority's value (or the words for why there is none), England's and
/// the neighbour median.
struct GroupBarRow {
  let label: String
  let value: Double?
  let missingWords: String?
  let england: Double?
  let neighbourMedian: Double?
}

extension Charts {
  /// Sibling indicators side by side on one scale, as the DfE dashboard
  /// shows the assessment factors of a group: a bar for the authority,
  /// a black tick for England and a green triangle for the neighbour
  /// median. Why one chart: the factors are read together (which harms
  /// an authority's assessments record most), which the one-by-one
  /// sections cannot show. The bars are one neutral colour: a higher rate
  /// of a factor is neither better nor worse.
  static func groupBars(id: String, title: String, rows: [GroupBarRow], decimals: Int?, unitSuffix: String) -> String {
    func format(_ v: Double) -> String { Charts.format(v, decimals: decimals) }
    let labelWidth = 200.0, right = 64.0, width = 700.0, rowHeight = 20.0, top = 6.0, t = ChartText.size
    let height = top + rowHeight * Double(rows.count) + 24
    var svg = SVG(width: width, height: height, id: id, title: title,
                  description: "For each indicator of the group: a bar for the authority's value, a black tick for England and a green triangle for the neighbour median, on one scale.")
    let all = rows.flatMap { [$0.value, $0.england, $0.neighbourMedian].compactMap { $0 } }
    guard let hi0 = all.max() else { return svg.rendered }
    let scale = AxisTicks.scale(lower: 0, upper: max(hi0, 1e-9))
    let span = max(scale.upper - scale.lower, 1e-12)
    let plotW = width - labelWidth - right
    func x(_ v: Double) -> Double { labelWidth + plotW * (v - scale.lower) / span }
    let bottom = top + rowHeight * Double(rows.count)
    for (k, v) in scale.values.enumerated() {
      svg.line(x(v), top, x(v), bottom, stroke: Palette.grid, cls: "grid")
      let anchor = k == 0 ? "start" : k == scale.values.count - 1 ? "end" : "middle"
      svg.text(x(v), bottom + 15, NumberFormat.plain(v, decimals: scale.decimals), size: t, anchor: anchor,
               fill: Palette.muted)
    }
    for (i, r) in rows.enumerated() {
      let y0 = top + rowHeight * Double(i), mid = y0 + rowHeight / 2
      svg.text(labelWidth - 6, mid + 4, r.label, size: t, anchor: "end")
      if let v = r.value {
        svg.rect(labelWidth, y0 + 4, x(v) - labelWidth, rowHeight - 8, fill: Palette.authority)
        svg.text(x(v) + 4, mid + 4, format(v) + unitSuffix, size: t, fill: Palette.muted)
      } else {
        svg.text(labelWidth + 4, mid + 4, r.missingWords ?? "no value", size: t, fill: Palette.muted)
      }
      if let e = r.england {
        svg.line(x(e), y0 + 1, x(e), y0 + rowHeight - 1, stroke: Palette.england, width: 2)
      }
      if let m = r.neighbourMedian {
        let px = x(m)
        svg.polygon([(px, y0 + rowHeight - 5), (px - 5, y0 + rowHeight + 2), (px + 5, y0 + rowHeight + 2)],
                    fill: Palette.neighbours, stroke: Palette.outline,
                    label: "\(r.label): neighbour median \(format(m))")
      }
    }
    return svg.rendered
  }
}
