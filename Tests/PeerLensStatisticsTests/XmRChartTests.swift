import Foundation
import Testing
import PeerLensStatistics

/// XmR limits and each special-cause rule on series with known answers.
@Suite struct XmRChartTests {
  /// Twelve points alternating 10, 12: mean 11, every moving range 2, so
  /// limits 11 ± 5.32.
  @Test func limitsFromMeanMovingRange() {
    let v: [Double?] = (0..<12).map { $0 % 2 == 0 ? 10 : 12 }
    let c = XmRChart(values: v)
    let seg = try! #require(c.current)
    #expect(seg.mean == 11)
    #expect(seg.meanMovingRange == 2)
    #expect(abs(seg.upperLimit! - 16.32) < 1e-12)
    #expect(abs(seg.lowerLimit! - 5.68) < 1e-12)
    #expect(c.points.allSatisfy { $0.flags.isEmpty && $0.variation == .neither })
  }

  @Test func astronomicalPointAndScreening() {
    var v: [Double?] = (0..<14).map { $0 % 2 == 0 ? 10 : 12 }
    v[7] = 40
    let c = XmRChart(values: v, direction: .lowerIsBetter)
    // Moving ranges 2 (×11) and 28, 28: mean 40/13·… ; 28 > 3.267 × mean, so both are screened out.
    #expect(c.current?.meanMovingRange == 2)
    #expect(c.points[7].flags == [.astronomical])
    #expect(c.points[7].variation == .concern)
    #expect(c.points.enumerated().allSatisfy { $0.offset == 7 || !$0.element.flags.contains(.astronomical) })
    let unscreened = XmRChart(values: v, screenMovingRanges: false)
    #expect(unscreened.current!.meanMovingRange! > 2)
  }

  /// A flat series with one step: screening leaves only zero moving
  /// ranges, the limits sit on the mean and every point is astronomical
  /// (NHSRplotthedots' rule); a note says what those flags mean. Flat
  /// throughout, or with a real spread, there is no such note.
  @Test func zeroWidthLimitsAreExplained() throws {
    var v: [Double?] = Array(repeating: 50, count: 14)
    v[7] = 60
    let c = XmRChart(values: v)
    let seg = try #require(c.current)
    #expect(seg.meanMovingRange == 0 && seg.upperLimit == seg.lowerLimit)
    #expect(c.points.allSatisfy { $0.flags.contains(.astronomical) })
    #expect(c.notes.contains { $0.contains("every moving range used for the limits is 0 (after 2 larger ones were screened out") },
            "\(c.notes)")
    let kept = XmRChart(values: v, screenMovingRanges: false)
    #expect(!kept.notes.contains { $0.contains("every moving range") })
    #expect(!XmRChart(values: Array(repeating: 50, count: 14)).notes.contains { $0.contains("every moving range") })
    let spread: [Double?] = (0..<14).map { $0 % 2 == 0 ? 10 : 12 }
    #expect(XmRChart(values: spread).notes.isEmpty)
  }

  @Test func shiftOfSevenOnOneSide() {
    // Mean of 6 × 0 and 7 × 2 is 14/13; the last seven are strictly above it.
    let v: [Double?] = [0, 0, 0, 0, 0, 0, 2, 2, 2, 2, 2, 2, 2]
    let c = XmRChart(values: v, direction: .higherIsBetter)
    for i in 6..<13 { #expect(c.points[i].flags.contains(.shift)); #expect(c.points[i].variation == .improvement) }
    // Six below the mean are not a shift.
    for i in 0..<6 { #expect(!c.points[i].flags.contains(.shift)) }
  }

  @Test func sixOnOneSideIsNotAShift() {
    let v: [Double?] = [5, 5, 5, 5, 5, 5, 5, 1, 1, 1, 1, 1, 1]
    let c = XmRChart(values: v)
    for i in 7..<13 { #expect(!c.points[i].flags.contains(.shift)) }
    for i in 0..<7 { #expect(c.points[i].flags.contains(.shift)) }
  }

  @Test func trendOfSevenAndAGapBreaksIt() {
    let rising: [Double?] = [5, 4, 5, 1, 2, 3, 4, 5, 6, 7, 3, 4]
    let c = XmRChart(values: rising, direction: .noJudgement)
    for i in 3...9 { #expect(c.points[i].flags.contains(.trend), "point \(i)") }
    #expect(!c.points[2].flags.contains(.trend))
    #expect(!c.points[10].flags.contains(.trend))
    #expect(c.points[5].variation == .neither)
    var gapped = rising
    gapped[6] = nil
    let g = XmRChart(values: gapped)
    #expect(!g.points.contains { $0.flags.contains(.trend) })
    #expect(g.points[6].movingRange == nil && g.points[7].movingRange == nil)
  }

  @Test func twoOfThreeCloseToALimit() {
    // A baseline of 12 alternating 10/12 fixes mean 11 and limits
    // 11 ± 5.32; two-thirds of the way is 14.547. Then 15.2, 12.5, 15.3.
    var v: [Double?] = (0..<12).map { $0 % 2 == 0 ? 10 : 12 }
    v += [15.2, 12.5, 15.3, 11]
    let c = XmRChart(values: v, direction: .lowerIsBetter, baselinePoints: 12)
    let seg = c.current!
    #expect(seg.mean == 11 && abs(seg.upperLimit! - 16.32) < 1e-12)
    #expect(c.points[12].flags == [.twoOfThree])
    #expect(c.points[14].flags == [.twoOfThree])
    #expect(c.points[13].flags.isEmpty)
    #expect(c.points[12].variation == .concern)
    // One close point in three is not a signal.
    var w: [Double?] = (0..<12).map { $0 % 2 == 0 ? 10 : 12 }
    w += [15.2, 12.5, 12.0, 11]
    #expect(!XmRChart(values: w, baselinePoints: 12).points.contains { $0.flags.contains(.twoOfThree) })
  }

  @Test func shortSeriesHasNoLimitsButStillARunChart() {
    let v: [Double?] = [1, 2, 3, 4, 5, 6, 7, 8]
    let c = XmRChart(values: v)
    #expect(c.current?.upperLimit == nil)
    #expect(c.current?.mean == 4.5)
    #expect(c.notes.contains { $0.contains("too short") })
    #expect(c.points.allSatisfy { $0.flags.contains(.trend) })
    #expect(!c.points.contains { $0.flags.contains(.astronomical) })
  }

  @Test func suppressedPointIsAGap() {
    var v: [Double?] = (0..<13).map { $0 % 2 == 0 ? 10 : 12 }
    v[4] = nil
    let c = XmRChart(values: v)
    #expect(c.points[4].value == nil && c.points[4].flags.isEmpty)
    #expect(c.current?.count == 12)
    #expect(c.notes.contains { $0.contains("gaps") })
  }

  @Test func rebasingGivesEachSegmentItsOwnLimits() {
    let v: [Double?] = (0..<24).map { i in i < 12 ? (i % 2 == 0 ? 10 : 12) : (i % 2 == 0 ? 30 : 34) }
    let c = XmRChart(values: v, rebaseAt: [12])
    #expect(c.segments.count == 2)
    #expect(c.segments[0].mean == 11 && c.segments[1].mean == 32)
    #expect(c.points[20].upperLimit! > c.points[3].upperLimit!)
    #expect(c.points.allSatisfy { $0.flags.isEmpty })
    let single = XmRChart(values: v)
    #expect(single.points.contains { !$0.flags.isEmpty })
  }

  /// Values of ±1e308 have moving ranges of infinity: the chart had
  /// `hasLimits` true and limits that printed as blanks. Now no limits, and a
  /// note; values a tenth as large keep theirs.
  @Test func overflowingMovingRangesGiveNoLimitsAndANote() {
    let huge: [Double?] = (0..<14).map { $0 % 2 == 0 ? 1e308 : -1e308 }
    let c = XmRChart(values: huge)
    #expect(c.current?.hasLimits == false && c.points.allSatisfy { $0.upperLimit == nil && $0.lowerLimit == nil })
    #expect(c.notes.contains { $0.contains("too large in magnitude for finite limits") }, "\(c.notes)")
    let large = XmRChart(values: (0..<14).map { $0 % 2 == 0 ? 1e306 : -1e306 })
    #expect(large.current?.hasLimits == true && large.current?.upperLimit?.isFinite == true)
  }
}
