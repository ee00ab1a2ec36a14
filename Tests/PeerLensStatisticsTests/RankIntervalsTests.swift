import Foundation
import Testing
import PeerLensStatistics

/// Rank intervals (issue 17.4) on constructed leagues.
@Suite struct RankIntervalsTests {
  /// Well-separated authorities with large counts: each interval is its own rank.
  @Test func separatedLeagueGivesNarrowIntervals() {
    let posts = (0..<20).map { i in RankIntervals.Posterior.gamma(shape: Double(1000 + 200 * i), rate: 1, scale: 1) }
    let r = RankIntervals.compute(posts, higherIsBetter: true, draws: 1000)
    for i in 0..<20 {
      #expect(r[i].lower == 20 - i && r[i].upper == 20 - i, "unit \(i): \(r[i])")
    }
  }

  /// Identical authorities: every interval covers nearly the whole table.
  @Test func identicalLeagueGivesWideIntervals() {
    let posts = (0..<30).map { _ in RankIntervals.Posterior.beta(a: 40, b: 60, scale: 100) }
    let r = RankIntervals.compute(posts, higherIsBetter: false, draws: 1000)
    for i in 0..<30 { #expect(r[i].lower <= 2 && r[i].upper >= 29, "unit \(i): \(r[i])") }
  }

  /// Seeded: the same input gives the same intervals.
  @Test func deterministic() {
    let posts = (0..<15).map { i in RankIntervals.Posterior.gamma(shape: Double(20 + i), rate: 1, scale: 1) }
    let a = RankIntervals.compute(posts, higherIsBetter: true), b = RankIntervals.compute(posts, higherIsBetter: true)
    #expect(a.map(\.lower) == b.map(\.lower) && a.map(\.upper) == b.map(\.upper))
  }
}
