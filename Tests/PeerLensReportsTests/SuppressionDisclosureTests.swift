import Foundation
import Testing
import PeerLensAnalysis
import PeerLensData
import PeerLensReports

/// On the real data, no authority's breakdown leaves a single suppressed
/// count beside a total and the other counts, from which it could be
/// worked out by subtraction.
@Suite struct SuppressionDisclosureTests {
  @Test func noBreakdownLeavesOneSuppressedCountRecoverable() throws {
    let run = try Fixtures.real.get()
    let builder = PackBuilder(run: run, software: "PeerLens test")
    var singles: [String] = []
    var suppressedRows = 0
    for authority in run.authorities {
      for breakdown in try builder.authorityPack(code: authority.code).breakdowns {
        let suppressed = breakdown.rows.filter { $0.status == MissingReason.suppressed.rawValue }
        if suppressed.count == 1 && breakdown.rows.contains(where: { $0.share != nil }) {
          singles.append("\(authority.name): \(breakdown.title) \(suppressed[0].category)")
        }
        suppressedRows += suppressed.count
      }
    }
    #expect(singles.isEmpty, "\(singles.prefix(5))")
    // Suppressed rows exist in the real breakdowns, so the check looks at
    // something (DfE's own secondary suppression leaves no single ones;
    // SecondarySuppressionTests covers the case where one is left).
    #expect(suppressedRows > 0)
  }
}
