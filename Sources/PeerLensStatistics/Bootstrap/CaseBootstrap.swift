import CLAPACKE
import Dispatch
import Foundation
import PeerLensNumerics

/// The case-resampling (nonparametric) bootstrap: refit a statistic on
/// resamples of the rows drawn with replacement, on all cores.
///
/// Resamples come from a seeded generator, and every result is stored at
/// its resample's position, so the same seed gives the same answer
/// whatever the number of cores or the order the work finishes in.
///
/// ```swift
/// let boot = CaseBootstrap(rows: 150, count: 1000, seed: 1)
/// let estimates = boot.run { rows in try refit(rows) }   // [[Double]?], nil where a refit failed
/// let (lo, hi) = CaseBootstrap.percentileInterval(estimates.compactMap { $0?[1] }, level: 0.95)
/// ```
public struct CaseBootstrap: Sendable {
  /// Row indices of each resample.
  public let resamples: [[Int]]

  /// `count` resamples of `rows` rows each, index i = ⌊u·n⌋ for uniform u.
  public init(rows n: Int, count: Int, seed: UInt64) {
    precondition(n > 0 && count >= 0, "A bootstrap needs rows and a non-negative count")
    var rng = SeededGenerator(seed: seed)
    resamples = (0..<count).map { _ in (0..<n).map { _ in min(n - 1, Int(rng.uniform() * Double(n))) } }
  }

  /// Given resamples (to reproduce another tool's draws).
  public init(resamples: [[Int]]) { self.resamples = resamples }

  /// Evaluates `statistic` on every resample, in parallel. A resample on
  /// which the statistic throws (a refit that cannot be done, such as a
  /// factor level missing from the draw) gives `nil` in its place.
  public func run(_ statistic: @Sendable ([Int]) throws -> [Double]) -> [[Double]?] {
    var results = [[Double]?](repeating: nil, count: resamples.count)
    // Small matrices: one OpenBLAS thread per worker, not threads within threads.
    let previousThreads = openblas_get_num_threads()
    openblas_set_num_threads(1)
    defer { openblas_set_num_threads(previousThreads) }
    let resamples = self.resamples
    results.withUnsafeMutableBufferPointer { out in
      nonisolated(unsafe) let base = out.baseAddress!
      DispatchQueue.concurrentPerform(iterations: resamples.count) { r in
        base[r] = try? statistic(resamples[r])
      }
    }
    return results
  }

  /// The percentile interval: quantiles (1 − level)/2 and (1 + level)/2 of
  /// the bootstrap estimates, interpolated as R's `quantile` (type 7).
  public static func percentileInterval(_ values: [Double], level: Double = 0.95) -> (lower: Double, upper: Double)? {
    let finite = values.filter(\.isFinite)
    guard !finite.isEmpty, level > 0, level < 1 else { return nil }
    let q = Quantiles.type7(finite, [(1 - level) / 2, (1 + level) / 2])
    return (q[0], q[1])
  }
}
