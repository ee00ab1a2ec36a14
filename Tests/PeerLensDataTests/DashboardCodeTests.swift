import Testing
@testable import PeerLensData

/// The files reshaped from the DfE dashboard's processed data write DfE's
/// missing-value symbols as negative numbers; each reads as its reason,
/// never as a value, and a part computed as a difference or a scaled sum
/// keeps the reason.
@Suite struct DashboardCodeTests {
  @Test func eachDashboardCodeReadsAsItsReason() {
    let cases: [(Double, MissingReason)] = [
      (-100, .suppressed), (-200, .roundsToZero), (-250, .lowReliability), (-300, .notAvailable),
      (-400, .notApplicable), (-1, .notAvailable),
    ]
    for (code, reason) in cases {
      let columns: [[CellValue]] = [[.number(5)], [.number(code)]]
      #expect(IndicatorCalculator.sum(columns, row: 0) == .missing(reason), "\(code)")
    }
  }

  @Test func differencesAndScalesKeepValuesAndReasons() {
    let plus: [[CellValue]] = [[.number(100_754), .number(-300), .number(10)]]
    let minus: [[CellValue]] = [[.number(54_000), .number(0), .missing(.suppressed)]]
    #expect(IndicatorCalculator.value(plus, minus: minus, scale: 1, row: 0) == .number(46_754))
    #expect(IndicatorCalculator.value(plus, minus: [], scale: 1000, row: 0) == .number(100_754_000))
    #expect(IndicatorCalculator.value(plus, minus: minus, scale: 1, row: 1) == .missing(.notAvailable))
    #expect(IndicatorCalculator.value(plus, minus: minus, scale: 1, row: 2) == .missing(.suppressed))
  }
}
