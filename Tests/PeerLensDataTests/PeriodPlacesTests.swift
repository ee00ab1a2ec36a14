import Foundation
import Testing
import PeerLensData

/// A period with no row is a place on the time axis (`PeriodSeries.places`),
/// in every period format: years, academic years, quarters across a year's
/// end, months.
@Suite struct PeriodPlacesTests {
  static func places(_ codes: [String], identifier: String? = nil) throws -> (at: [Int], length: Int, absent: [String]) {
    PeriodSeries.places(of: try codes.map { try #require(TimePeriod(code: $0, identifier: identifier)) })
  }

  @Test func missingPeriodsAreCountedInEveryFormat() throws {
    let years = try Self.places(["2006", "2008", "2009", "2012"])
    #expect(years.at == [0, 2, 3, 6] && years.length == 7)
    #expect(years.absent == ["between 2006 and 2008", "2 between 2009 and 2012"])
    let academic = try Self.places(["201819", "202021", "202122"], identifier: "Academic year")
    #expect(academic.at == [0, 2, 3] && academic.absent == ["between 2018/19 and 2020/21"])
    let quarters = try Self.places(["2023Q3", "2024Q1", "2024Q2"])
    #expect(quarters.at == [0, 2, 3], "\(quarters)")
    let months = try Self.places(["2023-11", "2024-02"])
    #expect(months.at == [0, 3] && months.length == 4, "\(months)")
    let whole = try Self.places(["2020", "2021", "2022"])
    #expect(whole.at == [0, 1, 2] && whole.length == 3 && whole.absent.isEmpty)
    #expect(PeriodSeries.places(of: []).length == 0)
  }
}
