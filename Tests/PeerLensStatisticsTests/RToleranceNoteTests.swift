import Foundation
import Testing
import PeerLensData
import PeerLensNumerics
import PeerLensStatistics
import _PeerLensTestSupport

/// Where R's `lm` (collinearity tolerance 1e-7) would drop a column that
/// PeerLens keeps (down to 1e-12), the fit says so and names it. Before,
/// x2 = x1 + 1e-10 gave ±2.4e9 "significant" coefficients with only a
/// condition-number note, where R reports x2 as NA.
@Suite struct RToleranceNoteTests {
  static let nearlyCollinear = """
    y,x1,x2
    1.1,1,1
    2.3,2,2.0000000001
    2.9,3,3
    4.2,4,4.0000000001
    4.8,5,5
    6.1,6,6.0000000002
    """

  static func fit(_ csv: String, _ formula: String) throws -> LinearModelFit {
    let table = try CSVReader.parse(csv, source: "t.csv")
    let frame = try ModelFrame.build(formula: FormulaParser.parse(formula), table: table)
    guard case .values(let y) = frame.response else { throw LinearAlgebraError.nonFinite }
    return try LinearModel().fit(frame.design, response: y)
  }

  @Test func aColumnRWouldDropIsNamed() throws {
    let fit = try Self.fit(Self.nearlyCollinear, "y ~ x1 + x2")
    #expect(fit.aliased == [false, false, false])
    #expect(fit.aliasedInR == [false, false, true])
    let notes = fit.summary(formula: "y ~ x1 + x2").notes
    #expect(notes.contains { $0.contains("R's lm") && $0.contains("would report x2 as not defined") })
    // Without x2 the fit is R's: x1's slope is near 1, not 2.4e9.
    let r = try Self.fit(Self.nearlyCollinear, "y ~ x1")
    #expect(try #require(r.coefficients[1]) > 0.9 && r.aliasedInR.allSatisfy { !$0 })
  }

  /// NIST's Filip is the documented case: R's lm drops a power of x there;
  /// PeerLens estimates all eleven (to nine digits, `NISTStRDTests`) and
  /// now says which R would have left out.
  @Test func filipNamesWhatRLeavesOut() throws {
    let data = try StRDDataset(named: "Filip")
    let table = try CSVReader.parse(data.csv, source: "Filip.dat")
    let formula = "y ~ x + " + (2...10).map { "I(x^\($0))" }.joined(separator: " + ")
    let frame = try ModelFrame.build(formula: FormulaParser.parse(formula), table: table)
    guard case .values(let y) = frame.response else { Issue.record("no response"); return }
    let fit = try LinearModel().fit(frame.design, response: y, lowOrder: frame.lowOrderParts(table: table))
    #expect(fit.aliased.allSatisfy { !$0 })
    #expect(fit.aliasedInR.filter { $0 }.count >= 1)
  }

  /// A well-conditioned design does no second solve and carries no note.
  @Test func aWellConditionedFitHasNoNote() throws {
    let fit = try Self.fit("y,x\n1,1\n3,2\n2,3\n5,4\n4,5\n", "y ~ x")
    #expect(fit.aliasedInR.isEmpty)
    #expect(!fit.summary(formula: "y ~ x").notes.contains { $0.contains("R's lm") })
  }
}
