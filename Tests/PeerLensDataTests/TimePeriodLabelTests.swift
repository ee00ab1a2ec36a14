import Foundation
import Testing
@testable import PeerLensData

/// Period labels are built without Foundation's formatter; the two-digit
/// part must read as `String(format: "%02d", n)` does.
@Suite struct TimePeriodLabelTests {
  @Test func twoDigitsMatchesPrintf() {
    for n in -150...150 { #expect(TimePeriod.twoDigits(n) == String(format: "%02d", n), "\(n)") }
  }

  @Test func labelsOfEveryKind() throws {
    #expect(try #require(TimePeriod(code: "200910", identifier: "Financial year")).label == "2009/10")
    #expect(try #require(TimePeriod(code: "199900", identifier: "Academic year")).label == "1999/00")
    #expect(try #require(TimePeriod(code: "2024", identifier: "Quarter 1")).label == "2024 Q1")
  }
}
