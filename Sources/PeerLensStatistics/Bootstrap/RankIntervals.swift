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
    compute(units: posteriors.count, higherIsBetter: higherIsBetter, draws: draws, seed: seed) { g, values in
      for i in values.indices { values[i] = posteriors[i].draw(&g) }
      return true
    }
  }

  /// Rank intervals from any sampler of the units' values: `sample` fills
  /// one draw of every unit's value (a parametric bootstrap refits a
  /// model in it), or returns false for a draw to leave out. Draws run in
  /// a fixed number of seeded chunks across all cores, so the result does
  /// not depend on the machine. Ties rank in the units' order.
  public static func compute(units n: Int, higherIsBetter: Bool, draws: Int = 1000, seed: UInt64 = 20_261_204,
                             sample: @escaping @Sendable (inout SeededGenerator, inout [Double]) -> Bool)
    -> [(lower: Int, upper: Int)] {
    guard n > 0 else { return [] }
    let chunks = 10
    let perChunk = (draws + chunks - 1) / chunks
    let box = Box(chunks: chunks)
    DispatchQueue.concurrentPerform(iterations: chunks) { c in
      var g = SeededGenerator(seed: seed &+ UInt64(c) &* 0x9E37_79B9)
      var ranks = [[Int]](repeating: [], count: n)
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
        for (r, u) in order.enumerated() { ranks[u.unit].append(r + 1) }
      }
      box.set(c, ranks)
    }
    var all = [[Int]](repeating: [], count: n)
    for c in 0..<chunks { for i in 0..<n { all[i] += box.values[c]![i] } }
    return all.map { r in
      guard !r.isEmpty else { return (1, n) }
      let s = r.sorted()
      let lo = s[Int((0.025 * Double(s.count - 1)).rounded(.down))]
      let hi = s[Int((0.975 * Double(s.count - 1)).rounded(.up))]
      return (lo, hi)
    }
  }

  /// A gamma(shape, 1) draw (`SeededGenerator.gamma(shape:)`).
  static func gamma(_ shape: Double, _ g: inout SeededGenerator) -> Double { g.gamma(shape: shape) }

  private final class Box: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [[[Int]]?]
    init(chunks: Int) { values = Array(repeating: nil, count: chunks) }
    func set(_ c: Int, _ v: [[Int]]) { lock.lock(); values[c] = v; lock.unlock() }
  }
}
