import PeerLensStatistics

/// What an authority's own SPC chart says about its latest point, in the
/// terms of the rule that fired, for the summary's statements.
///
/// Why not "rise" or "fall" from the latest point against the average: a
/// run of seven points above the average (a shift) can be falling year on
/// year, and a trend downwards can end above the average. The summary said
/// "a sustained rise" of Wokingham's section 47 enquiries after seven
/// years of falls. Each case now says what its rule saw.
enum SPCSignal: Equatable {
  /// The latest `points` points each higher (or lower) than the one before.
  case trend(rising: Bool, points: Int)
  /// The latest `points` points all on one side of the average.
  case shift(above: Bool, points: Int)
  /// The latest point outside the process limits.
  case outsideLimit(high: Bool)
  /// Two of the last three points close to a limit, on its side.
  case closeToLimit(high: Bool)

  /// The signal at the chart's latest point, or `nil` if it has none.
  /// A trend is named before a shift (it says which way the series moves),
  /// a shift before a point outside the limits (it is the larger
  /// pattern), and that before two of three close to a limit.
  init?(_ chart: XmRChart) {
    guard let last = chart.points.last, !last.flags.isEmpty, let v = last.value, let mean = last.mean else { return nil }
    let points = chart.points
    if last.flags.contains(.trend), points.count >= 2, let previous = points[points.count - 2].value, previous != v {
      let rising = v > previous
      var count = 1
      var i = points.count - 1
      while i > 0, points[i].flags.contains(.trend), points[i - 1].flags.contains(.trend), let a = points[i].value,
            let b = points[i - 1].value, rising ? a > b : a < b {
        count += 1
        i -= 1
      }
      self = .trend(rising: rising, points: count)
    } else if last.flags.contains(.shift), v != mean {
      let above = v > mean
      let count = points.reversed().prefix { p in
        guard p.flags.contains(.shift), let x = p.value, let m = p.mean else { return false }
        return above ? x > m : x < m
      }.count
      self = .shift(above: above, points: count)
    } else if last.flags.contains(.astronomical) {
      self = .outsideLimit(high: v > mean)
    } else if last.flags.contains(.twoOfThree) {
      self = .closeToLimit(high: v > mean)
    } else {
      return nil
    }
  }
}
