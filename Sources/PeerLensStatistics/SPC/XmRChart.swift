import Foundation

/// An XmR (individuals) statistical process control chart, as NHS
/// England's "Making Data Count" and NHS-R's NHSRplotthedots define it.
///
/// - Mean x̄ and mean moving range m̄ of each segment; moving ranges above
///   3.267 m̄ are screened out and m̄ recomputed (optional, on by default).
/// - Process limits x̄ ± 2.66 m̄; "close to a limit" is beyond two-thirds
///   of the way from the mean to a limit but inside it.
/// - Special causes, each flagged on every point that takes part:
///   `astronomical` (a point strictly outside a limit); `shift` (7 or
///   more consecutive points strictly above, or strictly below, the mean);
///   `trend` (7 or more consecutive points, each after the first strictly
///   higher — or lower — than the one before, NHSRplotthedots' reading);
///   `two_of_three` (2 of 3 consecutive points close to a limit, all 3 on
///   the same side of the mean; the close points are flagged).
/// - A missing point (suppressed, not available) is a gap: no moving
///   range spans it and it breaks runs and trends, so a signal never rests
///   on a value that was not published.
/// - Fewer than 12 points in a segment: the chart says it is too short for
///   limits and shows a run chart (mean, shifts and trends only).
/// - Re-basing: limits are computed separately from each known change point.
public struct XmRChart: Sendable {
  public enum Flag: String, Sendable, Codable, CaseIterable {
    case astronomical, shift, trend
    case twoOfThree = "two_of_three"
  }

  public enum Variation: String, Sendable, Codable {
    case improvement, concern, neither
  }

  /// Which direction is better, from the indicator's polarity.
  public enum Direction: String, Sendable, Codable {
    case higherIsBetter = "higher_is_better"
    case lowerIsBetter = "lower_is_better"
    case noJudgement = "no_judgement"
  }

  public struct Point: Sendable {
    public let index: Int
    public let value: Double?
    public let movingRange: Double?
    public let mean: Double?
    public let upperLimit: Double?
    public let lowerLimit: Double?
    public let flags: [Flag]
    public let variation: Variation
  }

  public struct Segment: Sendable {
    public let start: Int
    public let end: Int
    public let mean: Double?
    public let meanMovingRange: Double?
    public let upperLimit: Double?
    public let lowerLimit: Double?
    /// Points with values in the segment.
    public let count: Int
    public var hasLimits: Bool { upperLimit != nil }
  }

  public let points: [Point]
  public let segments: [Segment]
  public let notes: [String]

  /// The minimum number of points for process limits.
  public static let minimumForLimits = 12

  /// Builds the chart.
  ///
  /// - Parameters:
  ///   - values: in time order; `nil` for a missing point.
  ///   - rebaseAt: indices where a new segment (with its own limits) starts.
  ///   - screenMovingRanges: drop moving ranges above 3.267 × their mean.
  ///   - baselinePoints: compute each segment's mean and limits from its
  ///     first n points only and extend them (NHSRplotthedots'
  ///     `fix_after_n_points`), so later change is judged against a
  ///     fixed baseline.
  public init(values: [Double?], direction: Direction = .noJudgement, rebaseAt: [Int] = [],
              screenMovingRanges: Bool = true, runLength: Int = 7, trendLength: Int = 7,
              baselinePoints: Int? = nil) {
    let n = values.count
    let starts = ([0] + rebaseAt.filter { $0 > 0 && $0 < n }).sorted()
    var segments: [Segment] = []
    var notes: [String] = []
    var mr = [Double?](repeating: nil, count: n)
    for i in 1..<max(n, 1) { if let a = values[i], let b = values[i - 1] { mr[i] = abs(a - b) } }
    var pointMean = [Double?](repeating: nil, count: n)
    var pointUpper = pointMean, pointLower = pointMean
    for (k, s) in starts.enumerated() {
      let e = k + 1 < starts.count ? starts[k + 1] : n
      let baseEnd = baselinePoints.map { min(e, s + $0) } ?? e
      let vals = (s..<baseEnd).compactMap { values[$0] }
      guard !vals.isEmpty else {
        segments.append(Segment(start: s, end: e, mean: nil, meanMovingRange: nil, upperLimit: nil, lowerLimit: nil, count: 0))
        continue
      }
      let mean = vals.reduce(0, +) / Double(vals.count)
      // Moving ranges inside the segment (not across its first point).
      var ranges = ((s + 1)..<max(s + 1, baseEnd)).compactMap { mr[$0] }
      var amr: Double? = ranges.isEmpty ? nil : ranges.reduce(0, +) / Double(ranges.count)
      let before = ranges.count
      if screenMovingRanges, let a = amr {
        ranges = ranges.filter { $0 <= 3.267 * a }
        amr = ranges.isEmpty ? nil : ranges.reduce(0, +) / Double(ranges.count)
      }
      var upper: Double? = nil, lower: Double? = nil
      // Values near the ends of double range give a moving range, and so
      // limits, of infinity: no limits then, said so, rather than a chart
      // that claims limits it cannot print.
      if vals.count >= Self.minimumForLimits, let a = amr, !(mean + 2.66 * a).isFinite || !(mean - 2.66 * a).isFinite {
        notes.append("Points \(s + 1)–\(e): the values are too large in magnitude for finite limits "
          + "(their moving ranges overflow double precision); shown as a run chart.")
      } else if vals.count >= Self.minimumForLimits, let a = amr {
        upper = mean + 2.66 * a
        lower = mean - 2.66 * a
        // A flat series with one step: the screening leaves only zero
        // moving ranges, and every point off the mean is "astronomical".
        // NHSRplotthedots draws the same; the reader is told what it means.
        if a == 0, vals.contains(where: { $0 != vals[0] }) {
          let screened = before - ranges.count
          notes.append("Points \(s + 1)–\(e): every moving range used for the limits is 0"
            + (screened > 0 ? " (after \(screened) larger one\(screened == 1 ? " was" : "s were") screened out; --no-screen keeps \(screened == 1 ? "it" : "them"))" : "")
            + ", so the limits have zero width and every point off the mean lies outside them: "
            + "these astronomical flags say only that a value is not exactly the mean.")
        }
      } else {
        notes.append("Points \(s + 1)–\(e): \(vals.count) values, fewer than \(Self.minimumForLimits): too short for process limits; shown as a run chart.")
      }
      segments.append(Segment(start: s, end: e, mean: mean, meanMovingRange: amr, upperLimit: upper, lowerLimit: lower,
                              count: vals.count))
      for i in s..<e { pointMean[i] = mean; pointUpper[i] = upper; pointLower[i] = lower }
    }

    var flags = [Set<Flag>](repeating: [], count: n)
    var highSide = [Bool?](repeating: nil, count: n)  // the side a flag points to
    for seg in segments {
      guard let mean = seg.mean else { continue }
      let range = seg.start..<seg.end
      // Astronomical points.
      if let u = seg.upperLimit, let l = seg.lowerLimit {
        for i in range {
          guard let v = values[i] else { continue }
          if v > u { flags[i].insert(.astronomical); highSide[i] = true }
          if v < l { flags[i].insert(.astronomical); highSide[i] = false }
        }
      }
      // Shifts: runs strictly on one side, broken by gaps and points on the mean.
      var runStart = range.lowerBound
      var runSign = 0
      func closeRun(_ end: Int) {
        if runSign != 0 && end - runStart >= runLength {
          for j in runStart..<end { flags[j].insert(.shift); if highSide[j] == nil { highSide[j] = runSign > 0 } }
        }
      }
      for i in range {
        let sign: Int
        if let v = values[i] { sign = v > mean ? 1 : (v < mean ? -1 : 0) } else { sign = 0 }
        if sign != runSign || sign == 0 {
          closeRun(i)
          runStart = i
          runSign = sign
        }
      }
      closeRun(range.upperBound)
      // Trends: consecutive strict increases (or decreases), broken by gaps.
      var trendStart = range.lowerBound
      var trendSign = 0
      func closeTrend(_ end: Int) {
        // Points trendStart…end−1 form the trend (end − trendStart points).
        if trendSign != 0 && end - trendStart >= trendLength {
          for j in trendStart..<end { flags[j].insert(.trend); if highSide[j] == nil { highSide[j] = trendSign > 0 } }
        }
      }
      for i in range.dropFirst() {
        var sign = 0
        if let a = values[i], let b = values[i - 1] { sign = a > b ? 1 : (a < b ? -1 : 0) }
        if sign == 0 || sign != trendSign {
          closeTrend(i)
          trendStart = sign == 0 ? i : i - 1
          trendSign = sign
        }
      }
      closeTrend(range.upperBound)
      // Two of three close to a limit, all three on one side.
      if let u = seg.upperLimit, let l = seg.lowerLimit {
        let nearUpper = mean + 2.0 / 3.0 * (u - mean), nearLower = mean - 2.0 / 3.0 * (mean - l)
        var i = range.lowerBound
        while i + 2 < range.upperBound {
          let window = [values[i], values[i + 1], values[i + 2]]
          if window.allSatisfy({ $0 != nil }) {
            let w = window.map { $0! }
            for above in [true, false] {
              let sameSide = w.allSatisfy { above ? $0 > mean : $0 < mean }
              let close = (0..<3).filter { k in
                above ? (w[k] > nearUpper && w[k] <= u) : (w[k] < nearLower && w[k] >= l)
              }
              if sameSide && close.count >= 2 {
                for k in close { flags[i + k].insert(.twoOfThree); if highSide[i + k] == nil { highSide[i + k] = above } }
              }
            }
          }
          i += 1
        }
      }
    }

    self.points = (0..<n).map { i in
      let f = Flag.allCases.filter { flags[i].contains($0) }
      var variation = Variation.neither
      if !f.isEmpty, let high = highSide[i] {
        switch direction {
        case .higherIsBetter: variation = high ? .improvement : .concern
        case .lowerIsBetter: variation = high ? .concern : .improvement
        case .noJudgement: variation = .neither
        }
      }
      return Point(index: i, value: values[i], movingRange: mr[i], mean: pointMean[i], upperLimit: pointUpper[i],
                   lowerLimit: pointLower[i], flags: f, variation: variation)
    }
    self.segments = segments
    if values.contains(where: { $0 == nil }) {
      notes.append("Missing points (suppressed or not published) are gaps: no moving range spans them and they break runs and trends.")
    }
    self.notes = notes
  }

  /// The latest segment (what "the" mean and limits refer to).
  public var current: Segment? { segments.last }
}
