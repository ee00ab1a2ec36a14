import Foundation
import Testing
import PeerLensNumerics
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

  /// Ranks per draw equal ranks counted one pair at a time (ties in the
  /// units' order), whatever order the previous draw left: draws with
  /// many ties and a shared trend, in both polarities. The oracle repeats
  /// the documented seeding (ten chunks, seed + c·0x9E3779B9).
  @Test func ranksMatchPairwiseCounting() {
    let n = 37, draws = 200, seed: UInt64 = 99
    let sampler: @Sendable (inout SeededGenerator, inout [Double]) -> Bool = { g, values in
      let shift = Double(g.next() % 7)
      for i in values.indices {
        // Rounded to halves: many exact ties; `shift` moves all units together.
        values[i] = ((Double(i % 9) + shift + Double(g.next() % 5)) * 2).rounded() / 2
        if i % 11 == 0 { values[i] = -0.0 }  // equal to 0.0: a tie, not an order
      }
      return g.next() % 13 != 0  // some draws left out
    }
    for higher in [true, false] {
      var all = [[Int]](repeating: [], count: n)
      for c in 0..<10 {
        var g = SeededGenerator(seed: seed &+ UInt64(c) &* 0x9E37_79B9)
        var values = [Double](repeating: 0, count: n)
        for _ in 0..<(draws / 10) {
          guard sampler(&g, &values) else { continue }
          for i in 0..<n {
            let ahead = (0..<n).filter { j in
              values[j] != values[i] ? (higher ? values[j] > values[i] : values[j] < values[i]) : j < i
            }.count
            all[i].append(ahead + 1)
          }
        }
      }
      let expected = all.map { r -> (Int, Int) in
        let s = r.sorted()
        return (s[Int((0.025 * Double(s.count - 1)).rounded(.down))], s[Int((0.975 * Double(s.count - 1)).rounded(.up))])
      }
      let got = RankIntervals.compute(units: n, higherIsBetter: higher, draws: draws, seed: seed, sample: sampler)
      #expect(got.map(\.lower) == expected.map(\.0) && got.map(\.upper) == expected.map(\.1))
      #expect(Set(got.map(\.lower)).count > 5)  // the draws do separate the units
    }
  }

  /// Jobs computed together, as a national run does, give what each gives
  /// alone, in the jobs' order: no job's chunks or counts reach another's
  /// (jobs of different sizes, seeds and polarities side by side). The
  /// counts' order statistics themselves are checked against sorted ranks
  /// by `ranksMatchPairwiseCounting`. Posteriors, a sampler that leaves
  /// draws out, one that leaves every draw out (the whole range), NaN
  /// draws, and no units at all.
  @Test func jobsTogetherGiveWhatEachGivesAlone() {
    let posts = (0..<25).map { i in RankIntervals.Posterior.beta(a: Double(10 + 3 * i), b: 60, scale: 100) }
    let leaky: @Sendable (inout SeededGenerator, inout [Double]) -> Bool = { g, values in
      for i in values.indices { values[i] = Double(i) + 8 * g.uniform() }
      return g.next() % 5 != 0
    }
    let none: @Sendable (inout SeededGenerator, inout [Double]) -> Bool = { _, _ in false }
    let nan: @Sendable (inout SeededGenerator, inout [Double]) -> Bool = { g, values in
      for i in values.indices { values[i] = i == 3 ? .nan : Double(i) + 5 * g.uniform() }
      return true
    }
    // Each job beside the call that computes it alone.
    let cases: [(job: RankIntervals.Job, alone: () -> [(lower: Int, upper: Int)])] = [
      (.init(posts, higherIsBetter: true, draws: 400, seed: 7),
       { RankIntervals.compute(posts, higherIsBetter: true, draws: 400, seed: 7) }),
      (.init(units: 31, higherIsBetter: false, draws: 300, seed: 8, sample: leaky),
       { RankIntervals.compute(units: 31, higherIsBetter: false, draws: 300, seed: 8, sample: leaky) }),
      (.init(units: 6, higherIsBetter: true, draws: 100, sample: none),
       { RankIntervals.compute(units: 6, higherIsBetter: true, draws: 100, sample: none) }),
      (.init(units: 0, higherIsBetter: true, sample: leaky), { RankIntervals.compute(units: 0, higherIsBetter: true, sample: leaky) }),
      (.init(units: 12, higherIsBetter: true, draws: 250, seed: 9, sample: nan),
       { RankIntervals.compute(units: 12, higherIsBetter: true, draws: 250, seed: 9, sample: nan) }),
    ]
    let jobs = cases.map(\.job), alone = cases.map { $0.alone() }
    let together = RankIntervals.compute(jobs)
    #expect(together.count == alone.count)
    for (a, b) in zip(together, alone) {
      #expect(a.map(\.lower) == b.map(\.lower) && a.map(\.upper) == b.map(\.upper))
    }
    #expect(together[2].allSatisfy { $0 == (1, 6) })
    #expect(together[3].isEmpty)
    #expect(Set(together[1].map(\.lower)).count > 10)
  }
}
