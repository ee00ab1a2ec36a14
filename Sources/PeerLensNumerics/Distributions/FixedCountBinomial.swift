import Foundation

/// `SpecialFunctions.logBinomialDensityRaw(x, n, p, q)` for one count x of
/// n at many probabilities: the terms in x and n alone (three Stirling
/// errors, a log and a log1p) are computed once, and each probability
/// costs the two deviance terms `bd0`. Every value is the same double the
/// function gives: the same operations, in the same order.
///
/// Why: the logit-normal spread τ² of a binomial model is found by a
/// search that evaluates each authority's binomial at some forty nodes,
/// about forty times; the parts that never change were most of that work.
public struct FixedCountBinomial: Sendable {
  public let x: Double
  public let n: Double
  /// stirlingError(n) − stirlingError(x) − stirlingError(n − x), where x
  /// is strictly between 0 and n (nil otherwise: the function's own
  /// branches then apply).
  private let stirling: Double?
  /// ½ (log 2π + log x + log1p(−x/n)).
  private let normalising: Double

  public init(x: Double, n: Double) {
    self.x = x
    self.n = n
    if x == 0 || x == n || x < 0 || x > n || x.isNaN || n.isNaN {
      stirling = nil
      normalising = 0
    } else {
      stirling = SpecialFunctions.stirlingError(n) - SpecialFunctions.stirlingError(x) - SpecialFunctions.stirlingError(n - x)
      normalising = 0.5 * (SpecialFunctions.ln2Pi + log(x) + log1p(-x / n))
    }
  }

  /// log of the binomial density of x at probability p (q = 1 − p, given
  /// separately as the function takes it).
  @inline(__always)
  public func logDensity(_ p: Double, _ q: Double) -> Double {
    guard let stirling, p != 0, q != 0 else { return SpecialFunctions.logBinomialDensityRaw(x, n, p, q) }
    let lc = stirling - SpecialFunctions.bd0(x, n * p) - SpecialFunctions.bd0(n - x, n * q)
    return lc - normalising
  }
}
