import Foundation
import PeerLensNumerics

/// 95% intervals for ranks (issue 17.4): each unit's underlying value is
/// drawn from its posterior many times, the units are ranked in every
/// draw, and each unit's 2.5th and 97.5th percentile ranks are reported.
///
/// Why: a league table's rank carries no sense of how far apart the
/// authorities really are. When the interval spans most of the table the
/// rank says little, and the pack must say so.
public enum RankIntervals {
  /// The posterior of one unit's underlying value.
  public enum Posterior: Sendable, Equatable {
    /// Gamma(shape, rate) — a rate from a count (times `scale`).
    case gamma(shape: Double, rate: Double, scale: Double)
    /// Beta(a, b) — a proportion (times `scale`).
    case beta(a: Double, b: Double, scale: Double)

    public func draw(_ g: inout SeededGenerator) -> Double {
      switch self {
      case .gamma(let shape, let rate, let scale): return RankIntervals.gamma(shape, &g) / rate * scale
      case .beta(let a, let b, let scale):
        let x = RankIntervals.gamma(a, &g), y = RankIntervals.gamma(b, &g)
        return x / (x + y) * scale
      }
    }
  }

  /// Rank intervals, 1 = best by polarity (`higherIsBetter`), from
  /// independent draws of each unit's posterior.
  public static func compute(_ posteriors: [Posterior], higherIsBetter: Bool, draws: Int = 1000,
                             seed: UInt64 = 20_261_204) -> [(lower: Int, upper: Int)] {
    compute([Job(posteriors, higherIsBetter: higherIsBetter, draws: draws, seed: seed)])[0]
  }

  /// Rank intervals from any sampler of the units' values: `sample` fills
  /// one draw of every unit's value (a parametric bootstrap refits a
  /// model in it), or returns false for a draw to leave out. Draws run in
  /// a fixed number of seeded chunks across all cores, so the result does
  /// not depend on the machine. Ties rank in the units' order.
  public static func compute(units n: Int, higherIsBetter: Bool, draws: Int = 1000, seed: UInt64 = 20_261_204,
                             sample: @escaping @Sendable (inout SeededGenerator, inout [Double]) -> Bool)
    -> [(lower: Int, upper: Int)] {
    compute([Job(units: n, higherIsBetter: higherIsBetter, draws: draws, seed: seed, sample: sample)])[0]
  }

  /// Several sets of rank intervals at once, in the order of `jobs`, each
  /// the same as `compute(units:higherIsBetter:draws:seed:sample:)` gives
  /// for it alone.
  ///
  /// Why: a national run ranks some thirty indicators by bootstrap. One
  /// indicator at a time, each ended with one core waiting for the other's
  /// last chunk; every chunk of every indicator in one pool keeps both
  /// cores busy to the end.
  public static func compute(_ jobs: [Job]) -> [[(lower: Int, upper: Int)]] {
    let chunks = Job.chunks
    // Each job's counts are summed as its chunks finish (the same sums in
    // any order), so only one table per job is held, not one per chunk.
    let totals = Totals(jobs.map { $0.units * $0.units })
    DispatchQueue.concurrentPerform(iterations: jobs.count * chunks) { k in
      totals.add(jobs[k / chunks].rankCounts(chunk: k % chunks), to: k / chunks)
    }
    return jobs.indices.map { jobs[$0].intervals(totals.counts[$0]) }
  }

  /// One set of rank intervals to compute: the units, their polarity and
  /// the sampler of their values.
  public struct Job: Sendable {
    /// The seeded chunks the draws run in: fixed, so that the draws (and
    /// the intervals) are the same on any number of cores.
    static let chunks = 10

    let units: Int
    let higherIsBetter: Bool
    let draws: Int
    let seed: UInt64
    let sample: @Sendable (inout SeededGenerator, inout [Double]) -> Bool

    public init(units: Int, higherIsBetter: Bool, draws: Int = 1000, seed: UInt64 = 20_261_204,
                sample: @escaping @Sendable (inout SeededGenerator, inout [Double]) -> Bool) {
      self.units = units
      self.higherIsBetter = higherIsBetter
      self.draws = draws
      self.seed = seed
      self.sample = sample
    }

    /// The job for independent draws of each unit's posterior.
    public init(_ posteriors: [Posterior], higherIsBetter: Bool, draws: Int = 1000, seed: UInt64 = 20_261_204) {
      self.init(units: posteriors.count, higherIsBetter: higherIsBetter, draws: draws, seed: seed) { g, values in
        for i in values.indices { values[i] = posteriors[i].draw(&g) }
        return true
      }
    }

    /// How often each unit took each rank in chunk `c`'s draws: row u,
    /// column r − 1 of an n × n table (row-major).
    ///
    /// Why counts and not each draw's rank: the intervals are two order
    /// statistics of each unit's ranks, which the counts give exactly, and
    /// sorting a thousand ranks for each of 150 authorities of 30
    /// indicators was a tenth of a second with one core idle.
    func rankCounts(chunk c: Int) -> [Int32] {
      let n = units
      guard n > 0 else { return [] }
      let perChunk = (draws + Self.chunks - 1) / Self.chunks
      var g = SeededGenerator(seed: seed &+ UInt64(c) &* 0x9E37_79B9)
      var counts = [Int32](repeating: 0, count: n * n)
      var values = [Double](repeating: 0, count: n)
      // (key, unit) in the last draw's rank order: draws of the same
      // units come out in nearly the same order, which the sort's run
      // detection then passes over quickly. Keys are negated where higher
      // ranks first; with ties broken by unit the order is a total one,
      // so it does not depend on where the sort starts.
      var order = (0..<n).map { (key: 0.0, unit: $0) }
      for _ in 0..<perChunk {
        guard sample(&g, &values) else { continue }
        // NaN compares with nothing, so the order is not a total one: start
        // from the units' order, as without the reuse.
        if values.contains(where: \.isNaN) { for j in 0..<n { order[j].unit = j } }
        for j in 0..<n {
          let v = values[order[j].unit]
          order[j].key = higherIsBetter ? -v : v
        }
        order.sort { a, b in a.key != b.key ? a.key < b.key : a.unit < b.unit }
        for (r, u) in order.enumerated() { counts[u.unit * n + r] += 1 }
      }
      return counts
    }

    /// The 2.5th and 97.5th percentile ranks from the counts of all chunks:
    /// of each unit's ranks sorted (s), s[⌊0.025(N − 1)⌋] and
    /// s[⌈0.975(N − 1)⌉], where N is the number of draws kept.
    func intervals(_ total: [Int]) -> [(lower: Int, upper: Int)] {
      let n = units
      guard n > 0 else { return [] }
      return (0..<n).map { u in
        let row = total[(u * n)..<(u * n + n)]
        let count = row.reduce(0, +)
        guard count > 0 else { return (1, n) }
        // The rank at sorted position `index`: the first whose running
        // count passes it.
        func rank(at index: Int) -> Int {
          var seen = 0
          for (r, c) in row.enumerated() {
            seen += c
            if seen > index { return r + 1 }
          }
          return n
        }
        return (rank(at: Int((0.025 * Double(count - 1)).rounded(.down))),
                rank(at: Int((0.975 * Double(count - 1)).rounded(.up))))
      }
    }
  }

  /// A gamma(shape, 1) draw (`SeededGenerator.gamma(shape:)`).
  static func gamma(_ shape: Double, _ g: inout SeededGenerator) -> Double { g.gamma(shape: shape) }

  /// Each job's rank counts, summed under a lock.
  private final class Totals: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var counts: [[Int]]
    init(_ sizes: [Int]) { counts = sizes.map { [Int](repeating: 0, count: $0) } }
    func add(_ chunk: [Int32], to job: Int) {
      lock.lock()
      defer { lock.unlock() }
      for k in chunk.indices { counts[job][k] += Int(chunk[k]) }
    }
  }
}
