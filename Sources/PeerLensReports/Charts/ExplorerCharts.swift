import Foundation
import PeerLensAnalysis
import PeerLensData

/// The packs' charts for the interactive explorer (`peerlens serve`),
/// drawn by the same code as the packs so that a chart in the browser and
/// in a pack never disagree. Why a wrapper: `Charts` stays internal to the
/// reports; the explorer asks only for whole charts of one indicator.
public enum ExplorerCharts {
  /// The funnel plot of one indicator and period (before context), with
  /// `highlight` marked; `nil` where the indicator has no funnel (no
  /// counts, or too few authorities with a count that period).
  public static func funnel(_ bench: IndicatorBench, period: TimePeriod, highlight: String?, title: String) -> String? {
    guard let d = HTMLRenderer.funnelData(bench, period: period) else { return nil }
    let flag = highlight.flatMap { bench.funnel[period]?[$0]?.flag.rawValue }
    return Charts.funnel(id: "funnel-\(bench.indicator.id)", title: title, units: d.units, highlight: highlight ?? "",
                         limits: d.limits, target: d.target, polarity: bench.indicator.polarity.rawValue, flag: flag,
                         decimals: bench.indicator.decimals)
  }

  /// An authority's series over every period of the indicator against
  /// England, its region and a comparator group's median (`groupMedian`,
  /// by period), the group named by `groupLabel` in the chart's description.
  public static func trend(_ bench: IndicatorBench, code: String, regionCode: String, groupMedian: [TimePeriod: Double],
                           groupLabel: String, title: String) -> String {
    let points = TrendPoint.series(bench, code: code, regionCode: regionCode) { groupMedian[$0] }
    return Charts.trend(id: "trend-\(bench.indicator.id)", title: title, points: points,
                        polarity: bench.indicator.polarity.rawValue, decimals: bench.indicator.decimals,
                        comparator: "median of " + groupLabel)
  }
}
