import Foundation
import Testing
@testable import PeerLensReports
import PeerLensData
import _PeerLensTestSupport

/// Trend charts place annual periods by year (the reader's review: absence
/// in 2019/20 was not collected, and evenly spaced points joined 2018/19
/// to 2020/21 as if a year apart), and name the region they draw.
@Suite struct TrendPlacementTests {
  /// Steps as DfE's period codes give them (`TimePeriod.step`).
  static func steps(_ codes: [String]) -> [Int?] { codes.map { TimePeriod(code: $0)?.step } }

  @Test func yearsArePlacedByYearAndAGapBreaksTheLine() {
    let p = TrendPlacement(Self.steps(["2018/19", "2020/21", "2021/22", "2022/23"]))
    #expect(p.steps == [2019, 2021, 2022, 2023])
    #expect(p.position(0) == 0 && p.position(1) == 0.5 && p.position(3) == 1)
    #expect(p.gapBefore(1) && !p.gapBefore(2) && !p.gapBefore(0))
    // Calendar years too; one period sits in the middle.
    #expect(TrendPlacement(Self.steps(["2017", "2018", "2025"])).position(1) == 1.0 / 8)
    #expect(TrendPlacement(Self.steps(["2025"])).position(0) == 0.5)
  }

  /// Quarters are placed by quarter: a missing quarter leaves its space.
  @Test func quartersArePlacedByQuarter() {
    let p = TrendPlacement(Self.steps(["2024Q1", "2024Q2", "2024Q4"]))
    #expect(p.position(1) == 1.0 / 3 && p.gapBefore(2) && !p.gapBefore(1))
  }

  /// Without a step for every point, or out of order, points are evenly spaced.
  @Test func otherPeriodsAreEvenlySpaced() {
    for steps in [[2019, nil, 2021], [2021, 2020, 2023], [nil, nil, nil]] {
      let p = TrendPlacement(steps)
      #expect(p.steps == nil, "\(steps)")
      #expect(p.position(1) == 0.5 && !p.gapBefore(1), "\(steps)")
    }
  }

  static func point(_ period: String, _ v: Double?) -> TrendPoint {
    TrendPoint(period: period, step: TimePeriod(code: period)?.step, value: v, status: v == nil ? "not_available" : "ok", england: v, region: v,
               neighbourMedian: v, spcFlags: [], variation: "neither", spcMean: nil, spcUpper: nil, spcLower: nil)
  }

  @Test func aMissingYearBreaksEverySeriesAndTheRegionIsNamed() {
    let joined = Charts.trend(id: "t", title: "T", points: [Self.point("2017/18", 1), Self.point("2018/19", 2), Self.point("2019/20", 3)],
                              polarity: "no_judgement", region: "Inner London")
    let gap = Charts.trend(id: "t", title: "T", points: [Self.point("2017/18", 1), Self.point("2018/19", 2), Self.point("2020/21", 3)],
                           polarity: "no_judgement", region: "Inner London")
    /// The number of points in each line drawn.
    func lines(_ svg: String) -> [Int] {
      svg.components(separatedBy: "<polyline points=\"").dropFirst().map { $0.prefix { $0 != "\"" }.split(separator: " ").count }
    }
    // Four series: one line of three points each when the years run on;
    // across the gap, one of two points each (a lone point draws no line).
    #expect(lines(joined) == [3, 3, 3, 3], "\(lines(joined))")
    #expect(lines(gap) == [2, 2, 2, 2], "\(lines(gap))")
    #expect(joined.contains("Inner London (orange dotted)") && joined.contains("Trend over 3 periods"))
    #expect(Charts.trend(id: "t", title: "T", points: [Self.point("2025", 1)], polarity: "no_judgement").contains("Trend over 1 period:"))
  }

  /// Camden's figures beside its region are Inner London's: every label and
  /// legend says so, none says "Region".
  @Test func aLondonPackNamesItsSubRegion() throws {
    let run = try Fixtures.real.get()
    let (writer, out) = try Fixtures.htmlWriter(run)
    defer { try? FileManager.default.removeItem(at: out) }
    _ = try writer.write(authorities: ["E09000007"], regions: [], everything: false)
    let html = try String(contentsOf: out.appendingPathComponent("authorities/E09000007.html"), encoding: .utf8)
    #expect(!html.contains("<small>Region"))
    #expect(html.contains("dotted orange: Inner London") && !html.contains("dotted orange: region"))
    #expect(html.contains("</i>Inner London</span>"))
    #expect(html.contains("Inner London (orange dotted)"))
  }
}
