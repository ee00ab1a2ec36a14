import Foundation
import Testing
@testable import PeerLensAnalysis
@testable import PeerLensData

/// Issue 21, item 4: the latest year of an indicator is the latest with
/// national coverage, so one Hartlepool row dated 9999 does not make every
/// pack say "data to 9999".
@Suite struct LatestPeriodCoverageTests {
  static func value(_ code: String, _ period: String) -> IndicatorValue {
    IndicatorValue(indicatorID: "cla_rate", level: .localAuthority, areaCode: code, oldCode: "", name: code,
                   period: TimePeriod(code: period)!, value: 50, numerator: nil, denominator: nil,
                   published: 50, status: .ok, fromPublished: false)
  }

  @Test func aStrayPeriodIsNotTheLatest() {
    let codes = (1...150).map { "E0600\(String(format: "%04d", $0))" }
    var values = codes.map { Self.value($0, "2024") } + codes.map { Self.value($0, "2025") }
    values.append(Self.value("E06000001", "9999"))
    let periods = Array(Set(values.map(\.period))).sorted()
    #expect(periods.last?.code == "9999")
    #expect(NationalRun.latestWithCoverage(values, periods: periods)?.code == "2025")
    // A full new year is the latest as usual.
    let next = values + codes.prefix(140).map { Self.value($0, "2026") }
    let nextPeriods = Array(Set(next.map(\.period))).sorted()
    #expect(NationalRun.latestWithCoverage(next, periods: nextPeriods)?.code == "2026")
  }
}
