import Foundation
import Testing
import PeerLensNumerics
import _PeerLensTestSupport

/// The incomplete beta function where one shape is much larger than the
/// other, against `Tests/Fixtures/reference/beta_extreme.csv` (mpmath at 50
/// digits, by `Tests/Scripts/beta_extreme_reference.py`).
///
/// Numerical Recipes' continued fraction lost up to seven digits here
/// (`Beta(2, 1e8)`'s upper tail at its 2.5% point was off by 2e-9 relative,
/// `Beta(51, 1e8)`'s by 7e-8): its first term cancels when a shape is large
/// and x is near the mean. Both tails must now agree to 1e-13.
@Suite struct UnbalancedBetaTests {
  struct Row { let kind: String, a: Double, b: Double, x: Double, cdf: Double, sf: Double }

  static func rows() throws -> [Row] {
    let text = try TestData.text("beta_extreme.csv", in: TestData.reference)
    return text.split(whereSeparator: \.isNewline).dropFirst().map { line in
      let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      return Row(kind: f[0], a: Double(f[1])!, b: Double(f[2])!, x: Double(f[3]) ?? .nan, cdf: Double(f[4])!, sf: Double(f[5])!)
    }
  }

  @Test func bothTailsToThirteenDigits() throws {
    let rows = try Self.rows().filter { $0.kind == "beta" }
    #expect(rows.count >= 15)
    for r in rows {
      let d = BetaDistribution(a: r.a, b: r.b)
      #expect(agrees(d.cdf(r.x), r.cdf, relative: 1e-13), "Beta(\(r.a), \(r.b)) cdf at \(r.x): got \(d.cdf(r.x)), want \(r.cdf)")
      #expect(agrees(d.sf(r.x), r.sf, relative: 1e-13), "Beta(\(r.a), \(r.b)) sf at \(r.x): got \(d.sf(r.x)), want \(r.sf)")
    }
  }

  /// The binomial distribution reads the same function (`P(X ≤ k)` is a
  /// beta tail): 1 or 3 events in 1e8 trials at the Clopper–Pearson limits.
  @Test func clopperPearsonLimitsOfRareEventsToTwelveDigits() throws {
    let rows = try Self.rows().filter { $0.kind == "clopper_pearson" }
    #expect(rows.count == 3)
    for r in rows {
      let (count, n) = (r.a, r.b)
      // The lower limit solves P(X ≥ count) = 0.025, the upper P(X ≤ count) = 0.025.
      let lower = BetaDistribution(a: count, b: n - count + 1).quantile(0.025)
      let upper = BetaDistribution(a: count + 1, b: n - count).quantile(0.975)
      #expect(agrees(lower, r.cdf, relative: 1e-12), "\(count) in \(n): lower \(lower), want \(r.cdf)")
      #expect(agrees(upper, r.sf, relative: 1e-12), "\(count) in \(n): upper \(upper), want \(r.sf)")
      #expect(agrees(Binomial(size: n, prob: upper).cdf(count), 0.025, relative: 1e-12))
    }
  }
}
