import Foundation

/// The charts of the packs, drawn as inline SVG.
///
/// Colour follows polarity: for an indicator with a direction, a value
/// outside the 95% funnel limit is drawn sky blue on the side its
/// polarity calls better and vermilion on the other; an indicator with no
/// judgement is never coloured better or worse (outside-limit points are
/// neutral purple). Everything else is black, grey and the Okabe–Ito hues
/// for England (black), region (orange) and neighbours (green).
enum Charts {
  static func pointColour(flag: String?, polarity: String) -> String {
    guard let flag, flag != "within" else { return Palette.authority }
    let high = flag.hasPrefix("above")
    switch polarity {
    case "higher_is_better": return high ? Palette.towardsBetter : Palette.towardsWorse
    case "lower_is_better": return high ? Palette.towardsWorse : Palette.towardsBetter
    default: return Palette.neutralOutside
    }
  }

  /// The key of the authority's own point on a funnel plot: the point is
  /// drawn in `pointColour`, so a key that always said "blue" was wrong
  /// wherever the point lies outside the 95% limit (Kent's entrants to care
  /// in 2025: a purple point keyed "blue: Kent").
  ///
  /// An authority without a figure that period (suppressed) has no point,
  /// and the key says so rather than naming a dot that is not there.
  ///
  /// - Returns: for example "large blue dot: Kent" or "large purple dot:
  ///   Kent, outside the 95% limit (no agreed direction)".
  static func funnelPointKey(name: String, flag: String?, polarity: String, missing: String? = nil) -> String {
    if let missing { return "no point for \(name) (\(missing))" }
    guard let flag, flag != "within" else { return "large blue dot: \(name)" }
    switch pointColour(flag: flag, polarity: polarity) {
    case Palette.towardsBetter:
      return "large sky-blue dot: \(name), outside the 95% limit on the side the indicator's direction marks as better"
    case Palette.towardsWorse:
      return "large vermilion dot: \(name), outside the 95% limit on the other side from the one the indicator's direction marks as better"
    default:
      return "large purple dot: \(name), outside the 95% limit (no agreed direction)"
    }
  }

  /// One spine chart for a framework group: each row centred on England,
  /// the bar spanning all authorities, the darker bar the official
  /// neighbours, markers for region (diamond), neighbour median (triangle)
  /// and the authority (dot).
  ///
  /// `compact` draws it for the meeting summary, where every indicator's
  /// row must fit on two A4 pages with the statements: shorter rows and
  /// smaller markers, the same 12 px type.
  static func spine(id: String, title: String, rows: [OverviewRow], compact: Bool = false) -> String {
    // 700 units wide: printed at full size on A4 (703 px between margins).
    let labelWidth = 220.0, chartWidth = 360.0, valueWidth = 120.0
    let rowHeight = compact ? 12.0 : 22.0, t = ChartText.size  // chart text stays 12 px (9 pt) in print
    let top = compact ? 20.0 : 28.0
    let width = labelWidth + chartWidth + valueWidth, height = top + rowHeight * Double(rows.count)
    var svg = SVG(width: width, height: height, id: id, title: title,
                  description: "Spine chart: each indicator centred on England; grey outlined bar all authorities, blue bar official neighbours, orange diamond region, green triangle neighbour median, dot this authority.")
    let x0 = labelWidth, mid = labelWidth + chartWidth / 2
    svg.text(mid, 12, "England", size: t, anchor: "middle", fill: Palette.muted)
    svg.text(x0, 12, "lower", size: t, fill: Palette.muted)
    svg.text(x0 + chartWidth, 12, "higher", size: t, anchor: "end", fill: Palette.muted)
    svg.line(mid, 16, mid, height - 4, stroke: Palette.england, width: 1)
    let mark = compact ? 0.75 : 1.0  // marker size
    for (k, r) in rows.enumerated() {
      let y = top + rowHeight * Double(k)
      svg.text(4, y + 4, r.title, size: t)
      svg.text(width - 4, y + 4, r.display, size: t, anchor: "end",
               fill: r.status == "ok" ? "#222" : Palette.muted)
      guard let e = r.england, let lo = r.allMin, let hi = r.allMax else { continue }
      let spread = max(abs(hi - e), abs(e - lo), 1e-12)
      func x(_ v: Double) -> Double { mid + (v - e) / spread * (chartWidth / 2 - 6) }
      let h = 5 * mark
      svg.rect(x(lo), y - h, x(hi) - x(lo), 2 * h, fill: Palette.rangeFill, stroke: Palette.rangeOutline)
      if let a = r.neighbourMin, let b = r.neighbourMax {
        // A narrower band inside the range bar, so the markers drawn over it stay clear.
        svg.rect(x(a), y - h / 2, max(1, x(b) - x(a)), h, fill: Palette.neighbourRange)
      }
      if let reg = r.region {
        let cx = x(reg), d = 4 * mark
        svg.polygon([(cx, y - h), (cx + d, y), (cx, y + h), (cx - d, y)], fill: Palette.region, stroke: Palette.outline,
                    label: "Region: \(format(reg))")
      }
      if let m = r.neighbourMedian {
        let cx = x(m), d = 4 * mark
        svg.polygon([(cx - d, y + h), (cx + d, y + h), (cx, y - 3 * mark)], fill: Palette.neighbours, stroke: Palette.outline,
                    label: "Neighbour median")
      }
      if let v = r.value {
        svg.circle(x(v), y, r: 4.5 * mark, fill: pointColour(flag: r.funnelFlag, polarity: r.polarity), stroke: Palette.outline,
                   label: "\(r.title): \(r.display)")
      }
    }
    return svg.rendered
  }

  /// A trend over all periods: the authority (solid, blue), England
  /// (black dashed), region (orange dotted), neighbour median (green
  /// dash-dot); SPC-flagged points ringed; missing points leave gaps.
  ///
  /// `width` 340 lets an authority pack print a trend and a funnel side by
  /// side at full size (two columns between A4 margins), so chart text
  /// stays 12 px; drawn 112 px high, three indicators fit a printed page.
  ///
  /// `comparator` names the green series: the official neighbour median in
  /// the packs, the chosen comparator group's median in the explorer;
  /// `region` the orange one (Inner London for Camden).
  ///
  /// Years are placed by year: a year with no figures anywhere (absence in
  /// 2019/20, not collected) leaves its space and breaks the lines, where
  /// evenly spaced points had joined 2018/19 to 2020/21 as if a year apart.
  static func trend(id: String, title: String, points: [TrendPoint], polarity: String, decimals: Int? = nil,
                    width: Double = 520, height: Double = 220, comparator: String = "neighbour median",
                    region: String = "region") -> String {
    func format(_ v: Double) -> String { Charts.format(v, decimals: decimals) }
    let left = 56.0, right = 14.0, top = 14.0, bottom = 34.0, t = ChartText.size
    let periods = points.count == 1 ? "1 period" : "\(points.count) periods"
    var svg = SVG(width: width, height: height, id: id, title: title,
                  description: "Trend over \(periods): this authority (blue solid), England (black dashed), \(region) (orange dotted), \(comparator) (green). Ringed points are unusual against the authority's own history.")
    let series: [[Double?]] = [points.map(\.value), points.map(\.england), points.map(\.region), points.map(\.neighbourMedian)]
    let limits = points.compactMap(\.spcUpper) + points.compactMap(\.spcLower)
    let all = series.flatMap { $0.compactMap { $0 } } + limits
    guard let lo0 = all.min(), let hi0 = all.max(), points.count > 0 else {
      svg.text(width / 2, height / 2, "No values to chart", size: t, anchor: "middle", fill: Palette.muted)
      return svg.rendered
    }
    // Round ticks (1, 2 or 5 × 10^k) with the axis ending on ticks.
    let scale = AxisTicks.scale(lower: max(0, lo0), upper: hi0)
    let lo = scale.lower, hi = scale.upper
    let plotW = width - left - right, plotH = height - top - bottom
    let place = TrendPlacement(points.map(\.step))
    func x(_ i: Int) -> Double { left + plotW * place.position(i) }
    func y(_ v: Double) -> Double { top + plotH * (1 - (v - lo) / (hi - lo)) }
    for v in scale.values {
      svg.line(left, y(v), width - right, y(v), stroke: Palette.grid, cls: "grid")
      svg.text(left - 4, y(v) + 4, NumberFormat.plain(v, decimals: scale.decimals), size: t, anchor: "end", fill: Palette.muted)
    }
    // As many period labels as fit side by side at this size (about 0.6
    // of the size per character), counted back from the latest, which is
    // always shown.
    let longest = Double(points.map(\.period.count).max() ?? 4)
    let fit = max(2, Int(plotW / (longest * t * 0.6 + 10)))
    let step = max(1, Int((Double(points.count) / Double(fit)).rounded(.up)))
    for (i, p) in points.enumerated() where (points.count - 1 - i) % step == 0 {
      // Kept inside the chart: centred under the latest point at the right
      // edge, "2024/25" was cut to "2024/2".
      let half = Double(p.period.count) * t * 0.3
      if x(i) + half > width - 2 {
        svg.text(width - 2, height - 14, p.period, size: t, anchor: "end", fill: Palette.muted)
      } else if x(i) - half < 2 {
        svg.text(2, height - 14, p.period, size: t, anchor: "start", fill: Palette.muted)
      } else {
        svg.text(x(i), height - 14, p.period, size: t, anchor: "middle", fill: Palette.muted)
      }
    }
    // SPC mean (thin blue) and process limits (grey dashed) where the series is long enough.
    for (i, p) in points.enumerated() where i > 0 && !place.gapBefore(i) {
      let q = points[i - 1]
      if let m0 = q.spcMean, let m1 = p.spcMean { svg.line(x(i - 1), y(m0), x(i), y(m1), stroke: Palette.authority, width: 0.6) }
      if let u0 = q.spcUpper, let u1 = p.spcUpper { svg.line(x(i - 1), y(u0), x(i), y(u1), stroke: Palette.limits, dash: "3,3") }
      if let l0 = q.spcLower, let l1 = p.spcLower { svg.line(x(i - 1), y(l0), x(i), y(l1), stroke: Palette.limits, dash: "3,3") }
    }
    let styles: [(String, String?, Double)] = [(Palette.authority, nil, 2.2), (Palette.england, "5,3", 1.4),
                                               (Palette.region, "2,2", 1.4), (Palette.neighbours, "6,2,2,2", 1.4)]
    for (s, style) in zip(series, styles) {
      var run: [(Double, Double)] = []
      for (i, v) in s.enumerated() {
        if place.gapBefore(i) { svg.polyline(run, stroke: style.0, width: style.2, dash: style.1); run = [] }
        if let v { run.append((x(i), y(v))) } else { svg.polyline(run, stroke: style.0, width: style.2, dash: style.1); run = [] }
      }
      svg.polyline(run, stroke: style.0, width: style.2, dash: style.1)
    }
    for (i, p) in points.enumerated() {
      guard let v = p.value else {
        svg.text(x(i), top + plotH - 4, p.status == "suppressed" ? "c" : "–", size: t, anchor: "middle", fill: Palette.muted)
        continue
      }
      let flagged = !p.spcFlags.isEmpty
      let colour = flagged ? (p.variation == "improvement" ? Palette.towardsBetter : p.variation == "concern" ? Palette.towardsWorse : Palette.neutralOutside) : Palette.authority
      svg.circle(x(i), y(v), r: flagged ? 4.5 : 2.8, fill: colour, stroke: flagged ? Palette.outline : nil,
                 label: "\(p.period): \(format(v))" + (flagged ? " (\(p.spcFlags.joined(separator: ", ")))" : ""))
    }
    return svg.rendered
  }

  /// A funnel plot: every authority by denominator, the limit curves, this
  /// authority highlighted.
  static func funnel(id: String, title: String, units: [(code: String, x: Double, y: Double)], highlight: String,
                     limits: [(x: Double, l95: Double, u95: Double, l998: Double, u998: Double)], target: Double,
                     polarity: String, flag: String?, decimals: Int? = nil, width: Double = 520,
                     height: Double = 240) -> String {
    FunnelChart(id: id, title: title, units: units, limits: limits, target: target, decimals: decimals,
                width: width, height: height).rendered(highlight: highlight, flag: flag, polarity: polarity)
  }

  /// A dot strip of authorities' values for one indicator (regional and
  /// England packs), England marked.
  static func strip(id: String, title: String, values: [(label: String, value: Double, flag: String?)],
                    england: Double?, polarity: String, highlight: Set<String> = [], decimals: Int? = nil) -> String {
    func format(_ v: Double) -> String { Charts.format(v, decimals: decimals) }
    let width = 520.0, height = 60.0, left = 10.0, right = 10.0, t = ChartText.size
    var svg = SVG(width: width, height: height, id: id, title: title,
                  description: "Each dot an authority's value; the black line England.")
    let all = values.map(\.value) + (england.map { [$0] } ?? [])
    guard let lo0 = all.min(), let hi0 = all.max() else { return svg.rendered }
    // Round ticks (1, 2 or 5 × 10^k) with the axis ending on ticks, as on
    // the other charts, rather than the data's own minimum and maximum.
    let scale = AxisTicks.scale(lower: lo0 >= 0 ? max(0, lo0) : lo0, upper: hi0)
    let lo = scale.lower, span = max(scale.upper - scale.lower, 1e-12)
    func x(_ v: Double) -> Double { left + (width - left - right) * (v - lo) / span }
    svg.line(left, 30, width - right, 30, stroke: Palette.grid, cls: "grid")
    for (k, v) in scale.values.enumerated() {
      svg.line(x(v), 34, x(v), 38, stroke: Palette.muted, cls: "grid")
      let anchor = k == 0 ? "start" : k == scale.values.count - 1 ? "end" : "middle"
      svg.text(x(v), 57, NumberFormat.plain(v, decimals: scale.decimals), size: t, anchor: anchor, fill: Palette.muted)
    }
    if let e = england { svg.line(x(e), 14, x(e), 46, stroke: Palette.england, width: 1.5) }
    for v in values {
      let h = highlight.contains(v.label)
      svg.circle(x(v.value), 30, r: h ? 5 : 3.5, fill: pointColour(flag: v.flag, polarity: polarity),
                 stroke: Palette.outline, strokeWidth: h ? 1.5 : 0.75, label: "\(v.label): \(format(v.value))")
    }
    return svg.rendered
  }

  /// A value at the indicator's published precision where known (what a
  /// reader compares with DfE's figures), otherwise by magnitude.
  static func format(_ v: Double, decimals: Int?) -> String {
    decimals.map { NumberFormat.plain(v, decimals: $0) } ?? format(v)
  }

  static func format(_ v: Double) -> String {
    let a = abs(v)
    if a >= 100 { return NumberFormat.plain(v, decimals: 0) }
    if a >= 10 { return NumberFormat.plain(v, decimals: 1) }
    return NumberFormat.plain(v, decimals: 2)
  }
}
