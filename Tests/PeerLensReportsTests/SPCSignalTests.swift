import Testing
import PeerLensStatistics
@testable import PeerLensReports

/// The summary's over-time statement names the rule that fired at the
/// latest point, with its own direction.
@Suite struct SPCSignalTests {
  /// Seven points above the average, each lower than the one before: a
  /// fall (the trend), not the "rise" the point's side of the average gave.
  @Test func aFallAboveTheAverageIsAFall() throws {
    let values: [Double?] = [10, 10.5, 9.8, 10.2, 10.1, 9.9, 30, 29, 28, 27, 26, 25, 24]
    let chart = XmRChart(values: values)
    #expect(chart.points.last!.value! > chart.points.last!.mean!)
    #expect(SPCSignal(chart) == .trend(rising: false, points: 7))
  }

  /// Seven points above the average that go up and down: a shift, said as
  /// a run above the average, with no direction of travel.
  @Test func aRunAboveTheAverageIsAShift() throws {
    let values: [Double?] = [10, 11, 10, 11, 10, 11, 10, 11, 20, 19, 21, 18, 20, 19, 21]
    #expect(SPCSignal(XmRChart(values: values)) == .shift(above: true, points: 7))
  }

  @Test func aPointOutsideTheLimitsAndTwoCloseToOne() throws {
    let steady: [Double?] = [10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10]
    #expect(SPCSignal(XmRChart(values: steady + [25])) == .outsideLimit(high: true))
    #expect(SPCSignal(XmRChart(values: steady)) == nil)
    // Mean 10.88, mean moving range 1.373: upper limit 14.53; two-thirds of the way 13.32.
    let chart = XmRChart(values: steady + [13.5, 11, 13.6])
    #expect(chart.points.last!.flags == [.twoOfThree])
    #expect(SPCSignal(chart) == .closeToLimit(high: true))
  }
}
