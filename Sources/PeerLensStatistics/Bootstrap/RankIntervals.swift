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

    func draw(_ g: inout SeededGenerator) -> Double {
      switch self {
      case .gamma(let shape, let rate, let scale): return RankIntervals.gamma(shape, &g) / rate * scale
      case .beta(let a, let b, let scale):
        let x = RankIntervals.gamma(a, &g), y = RankIntervals.gamma(b, &g)
        return x / (x + y) * scale
      }
    }
  }

  /// Rank intervals, 1 = best by polarity (`higherIsBetter`). Draws run in
  /// a fixed number of seeded chunks across all cores, so the result does
  /// not depend on the machine.
  public static func compute(_ posteriors: [Posterior], higherIsBetter: Bool, draws: Int = 1000,
                             seed: UInt64 = 20_261_204) -> [(lower: Int, upper: Int)] {
    let n = posteriors.count
    guard n > 0 else { return [] }
    let chunks = 10
    let perChunk = (draws + chunks - 1) / chunks
    let box = Box(chunks: chunks)
    DispatchQueue.concurrentPerform(iterations: chunks) { c in
      var g = SeededGenerator(seed: seed &+ UInt64(c) &* 0x9E37_79B9)
      var ranks = [[Int]](repeating: [], count: n)
      var values = [Double](repeating: 0, count: n)
      for _ in 0..<perChunk {
        for i in 0..<n { values[i] = posteriors[i].draw(&g) }
        let order = (0..<n).sorted { a, b in
          values[a] != values[b] ? (higherIsBetter ? values[a] > values[b] : values[a] < values[b]) : a < b
        }
        for (r, i) in order.enumerated() { ranks[i].append(r + 1) }
      }
      box.set(c, ranks)
    }
    var all = [[Int]](repeating: [], count: n)
    for c in 0..<chunks { for i in 0..<n { all[i] += box.values[c]![i] } }
    return all.map { r in
      let s = r.sorted()
      let lo = s[Int((0.025 * Double(s.count - 1)).rounded(.down))]
      let hi = s[Int((0.975 * Double(s.count - 1)).rounded(.up))]
      return (lo, hi)
    }
  }

  /// Marsaglia–Tsang gamma(shape, 1) draw.
  static func gamma(_ shape: Double, _ g: inout SeededGenerator) -> Double {
    if shape < 1 {
      let u = max(g.uniform(), 1e-300)
      return gamma(shape + 1, &g) * pow(u, 1 / shape)
    }
    let d = shape - 1.0 / 3, c = 1 / (9 * d).squareRoot()
    while true {
      var x: Double, v: Double
      repeat { x = g.normal(); v = 1 + c * x } while v <= 0
      v = v * v * v
      let u = g.uniform()
      if u < 1 - 0.0331 * x * x * x * x { return d * v }
      if log(max(u, 1e-300)) < 0.5 * x * x + d * (1 - v + log(v)) { return d * v }
    }
  }

  private final class Box: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [[[Int]]?]
    init(chunks: Int) { values = Array(repeating: nil, count: chunks) }
    func set(_ c: Int, _ v: [[Int]]) { lock.lock(); values[c] = v; lock.unlock() }
  }
}
