import Foundation
import Testing
@testable import PeerLensReports

/// Chart axes use round ticks (issue 14.1): steps of 1, 2 or 5 × 10^k, and
/// an axis from a tick to a tick that covers the data.
@Suite struct AxisTicksTests {
  static func isRound(_ step: Double) -> Bool {
    let power = pow(10, log10(step).rounded(.down))
    let m = step / power
    return [1, 2, 5, 10].contains { abs(m - $0) < 1e-9 }
  }

  @Test(arguments: [(41.37, 52.85), (0.3, 9.7), (59.4, 61.2), (0, 1234), (0.012, 0.094), (88, 88), (0, 0), (12.3, 12.31)])
  func ticksAreRoundAndCoverTheData(range: (Double, Double)) {
    let s = AxisTicks.scale(lower: range.0, upper: range.1)
    #expect(Self.isRound(s.step), "\(range): step \(s.step)")
    #expect(s.lower <= range.0 + 1e-12 && s.upper >= range.1 - 1e-12, "\(range): \(s.lower)…\(s.upper)")
    #expect(s.values.first == s.lower && s.values.last == s.upper)
    #expect((3...9).contains(s.values.count), "\(range): \(s.values)")
    for v in s.values {
      let k = v / s.step
      #expect(abs(k - k.rounded()) < 1e-6, "\(v) is not a multiple of \(s.step)")
    }
    #expect(s.lower >= 0, "rates and counts never get a negative axis")
  }

  @Test func knownScales() {
    let a = AxisTicks.scale(lower: 41.37, upper: 52.85)
    #expect(a.step == 5 && a.lower == 40 && a.upper == 55 && a.decimals == 0)
    let b = AxisTicks.scale(lower: 59.4, upper: 61.2)
    #expect(b.step == 0.5 && b.lower == 59 && b.upper == 61.5 && b.decimals == 1)
    let c = AxisTicks.scale(lower: 0.012, upper: 0.094)
    #expect(abs(c.step - 0.05) < 1e-15 && c.decimals == 2 && c.lower == 0 && abs(c.upper - 0.1) < 1e-15)  // 0.082 / 4 = 0.0205: next round step up is 0.05
  }

  /// The trend chart's axis labels are the round ticks, printed at the
  /// step's decimals, not the data's minimum and maximum.
  @Test func trendChartLabelsAreRound() {
    let points = [41.37, 47.2, 52.85].enumerated().map { k, v in
      TrendPoint(period: "202\(k)", step: 2020 + k, value: v, status: "ok", england: nil, region: nil, neighbourMedian: nil, spcFlags: [],
                 variation: "neither", spcMean: nil, spcUpper: nil, spcLower: nil)
    }
    let svg = Charts.trend(id: "t", title: "t", points: points, polarity: "no_judgement", decimals: 1)
    for label in ["40", "45", "50", "55"] { #expect(svg.contains(">\(label)</text>"), "\(label)") }
    #expect(!svg.contains(">41.37<") && !svg.contains(">52.85<"))
    #expect(svg.contains("2021: 47.2"))  // point labels at the published precision
  }

  /// The regional dot strip labels its axis with round ticks too, not with
  /// the lowest and highest authority's values.
  @Test func stripChartLabelsAreRound() {
    let values = [13.7, 22.4, 48.2].enumerated().map { k, v in (label: "LA \(k)", value: v, flag: String?.none) }
    let svg = Charts.strip(id: "s", title: "s", values: values, england: 30.15, polarity: "no_judgement", decimals: 1)
    let labels = svg.components(separatedBy: "</text>").dropLast().compactMap { $0.split(separator: ">").last }
      .compactMap { Double($0) }
    #expect(labels.count >= 3, "\(labels)")
    #expect(labels.min()! <= 13.7 && labels.max()! >= 48.2)
    let steps = zip(labels.dropFirst(), labels).map { $0 - $1 }
    #expect(steps.allSatisfy { abs($0 - steps[0]) < 1e-9 } && Self.isRound(steps[0]), "\(labels)")
    #expect(!svg.contains(">13.7<") && !svg.contains(">48.2<"))
    #expect(svg.contains("LA 1: 22.4"))  // each dot's value at the published precision
  }
}
