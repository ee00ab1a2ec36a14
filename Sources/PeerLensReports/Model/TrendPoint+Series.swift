import PeerLensAnalysis
import PeerLensData

extension TrendPoint {
  /// An authority's points over every period of an indicator, with
  /// England, its region, a comparator median and the XmR chart at each.
  ///
  /// Why one builder: a pack (median of the official neighbours) and the
  /// explorer (median of whatever group the user chose) must draw the
  /// same series; only the median differs, so the caller passes it.
  static func series(_ bench: IndicatorBench, code: String, regionCode: String,
                     median: (TimePeriod) -> Double?) -> [TrendPoint] {
    let chart = bench.spc[code]
    return bench.periods.enumerated().map { k, period in
      let v = bench.value(code, period)
      let point = chart?.points[k]
      return TrendPoint(period: period.label, step: period.step, value: v?.status == .ok ? v?.value : nil,
                        status: v?.status.code ?? "not_available", england: bench.england[period]?.value,
                        region: bench.regions[regionCode]?[period]?.value, neighbourMedian: median(period),
                        spcFlags: point?.flags.map(\.rawValue) ?? [], variation: point?.variation.rawValue ?? "neither",
                        spcMean: point?.mean, spcUpper: point?.upperLimit, spcLower: point?.lowerLimit)
    }
  }
}
