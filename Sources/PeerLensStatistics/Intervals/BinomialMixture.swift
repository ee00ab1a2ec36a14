import Foundation
import PeerLensNumerics

/// An equal-weight mixture of binomial distributions with the same number
/// of trials: the count of a logit-normal prediction, one component per
/// node of the spread.
///
/// Why a type of its own: a quantile of the mixture is a search over
/// counts, and each value of the distribution function costs one
/// continued fraction per component. `quantile(_:start:)` pays that once
/// at the start of the search and then steps one count at a time, adding
/// or taking away each component's probability of that count, which
/// follows from the one before by a ratio: ten or more continued-fraction
/// evaluations per limit become one or two.
struct BinomialMixture {
  let components: [Binomial]
  /// The number of trials, shared by every component.
  let trials: Double

  init(trials: Double, probabilities: [Double]) {
    self.trials = trials
    components = probabilities.map { Binomial(size: trials, prob: $0) }
  }

  /// P(X ≤ k), each component's by its continued fraction.
  func cdf(_ k: Double) -> Double {
    components.reduce(0) { $0 + $1.cdf(k) } / Double(components.count)
  }

  /// P(X ≤ k) and P(X ≤ k − 1), the second as the first less P(X = k).
  func cdfs(_ k: Double) -> (atOrBelow: Double, below: Double) {
    let k = floor(k)
    if k <= 0 { return (k < 0 ? 0 : cdf(0), 0) }
    let value = cdf(k)
    if k > trials { return (value, 1) }
    return (value, value - components.reduce(0) { $0 + $1.pmf(k) } / Double(components.count))
  }

  /// Legs of the walk, each from a fresh exact start, before the search
  /// goes over to doubling steps and halving (a start far from the
  /// answer, where halving takes fewer exact values than walking).
  static let legs = 4

  /// Counts stepped from each exact start. Why so few:
  /// a component whose probability of the starting count is below a
  /// double's range is carried as zero, and within this many steps it
  /// cannot climb to a size that matters beside the tails searched for
  /// (log-concave probabilities rise by at most the ratio at the start,
  /// under 1e9 per step for the 50,000 trials allowed here).
  static let walkLimit = 32

  /// The smallest k in 0…trials with P(X ≤ k) ≥ q, searched from `start`.
  ///
  /// The answer is the count a search with the continued fractions alone
  /// gives, except where P(X ≤ k) is within about 1e-14 of q (the sums
  /// round differently there): the limits built from it are counts, and
  /// a tie that close is a coin toss either way.
  func quantile(_ q: Double, start: Double) -> Double {
    let n = trials
    var k = min(max(start.rounded(), 0), n)
    var walk = Walk(self, at: k)
    let down = walk.value >= q
    for leg in 0..<Self.legs {
      // A fresh exact start for each leg of the walk.
      if leg > 0 { walk = Walk(self, at: k) }
      if down {
        // The answer is k once P(X ≤ k − 1) = P(X ≤ k) − P(X = k) < q.
        for _ in 0..<Self.walkLimit {
          if k == 0 { return 0 }
          let below = walk.value - walk.massAtCount
          if below < q { return k }
          walk.stepDown(from: k, mixture: self, value: below)
          k -= 1
        }
      } else {
        // Add P(X = k + 1) until the sum reaches q.
        for _ in 0..<Self.walkLimit {
          if k == n { return n }
          walk.stepUp(from: k, mixture: self)
          k += 1
          if walk.value >= q { return k }
        }
      }
    }
    return down ? search(q, atOrAbove: k) : search(q, below: k)
  }

  /// The smallest k with P(X ≤ k) ≥ q, given P(X ≤ hi) ≥ q: a bracket by
  /// doubling steps down from `hi`, then halved.
  private func search(_ q: Double, atOrAbove hi: Double) -> Double {
    var hi = hi, lo: Double, step = 1.0  // F(lo) < q ≤ F(hi); F(−1) = 0
    while true {
      let next = hi - step
      if next < 0 { lo = -1; break }
      if cdf(next) < q { lo = next; break }
      hi = next
      step *= 2
    }
    return bisect(q, lo, hi)
  }

  /// The smallest k with P(X ≤ k) ≥ q, given P(X ≤ lo) < q: a bracket by
  /// doubling steps up from `lo`, then halved.
  private func search(_ q: Double, below lo: Double) -> Double {
    var lo = lo, hi: Double, step = 1.0  // F(lo) < q ≤ F(hi); F(n) = 1
    while true {
      let next = lo + step
      if next >= trials { hi = trials; break }
      if cdf(next) >= q { hi = next; break }
      lo = next
      step *= 2
    }
    return bisect(q, lo, hi)
  }

  private func bisect(_ q: Double, _ lo: Double, _ hi: Double) -> Double {
    var lo = lo, hi = hi
    while hi - lo > 1 {
      let mid = ((lo + hi) / 2).rounded(.down)
      if cdf(mid) >= q { hi = mid } else { lo = mid }
    }
    return hi
  }

  /// The distribution function at the current count and each component's
  /// probability of that count, exact at the start and carried by ratios.
  private struct Walk {
    var value: Double
    var pmf: [Double]

    init(_ mixture: BinomialMixture, at k: Double) {
      value = mixture.cdf(k)
      pmf = mixture.components.map { $0.pmf(k) }
    }

    /// The mixture's probability of the current count.
    var massAtCount: Double { pmf.reduce(0, +) / Double(pmf.count) }

    /// From count k to k − 1; `value` is P(X ≤ k − 1), already known.
    /// P(X = k − 1) = P(X = k) · k / (n − k + 1) · (1 − p) / p.
    mutating func stepDown(from k: Double, mixture: BinomialMixture, value below: Double) {
      let n = mixture.trials
      for j in pmf.indices {
        let p = mixture.components[j].prob
        pmf[j] = p == 0 || p == 1 ? mixture.components[j].pmf(k - 1) : pmf[j] * (k / (n - k + 1)) * ((1 - p) / p)
      }
      value = below
    }

    /// From count k to k + 1, adding P(X = k + 1) to `value`.
    /// P(X = k + 1) = P(X = k) · (n − k) / (k + 1) · p / (1 − p).
    mutating func stepUp(from k: Double, mixture: BinomialMixture) {
      let n = mixture.trials
      for j in pmf.indices {
        let p = mixture.components[j].prob
        pmf[j] = p == 0 || p == 1 ? mixture.components[j].pmf(k + 1) : pmf[j] * ((n - k) / (k + 1)) * (p / (1 - p))
      }
      value += massAtCount
    }
  }
}
