import Foundation

/// A probability distribution on the real line, with the three functions
/// users check from outside: CDF, survival function and quantile.
///
/// The survival function is its own method, not `1 − cdf`, because in the
/// upper tail `1 − cdf` rounds to zero long before the probability does.
public protocol Distribution: Sendable {
  /// `P(X ≤ x)`.
  func cdf(_ x: Double) -> Double
  /// `P(X > x)`.
  func sf(_ x: Double) -> Double
  /// The smallest x with `cdf(x) ≥ p` (for continuous distributions, the
  /// inverse of the CDF).
  func quantile(_ p: Double) -> Double
}

/// A continuous distribution also offers its density, which quantile
/// inversion uses for Newton steps.
public protocol ContinuousDistribution: Distribution {
  func pdf(_ x: Double) -> Double
  /// The support's ends.
  var support: (lower: Double, upper: Double) { get }
}

extension ContinuousDistribution {
  /// Inverts the CDF by safeguarded Newton iteration.
  ///
  /// In the upper half it solves `sf(x) = 1 − p` instead (`1 − p` is exact
  /// there, by Sterbenz's lemma), so upper-tail quantiles keep full
  /// relative accuracy. The bracket shrinks every step; a Newton step that
  /// leaves it is replaced by bisection (geometric on positive supports,
  /// whose quantiles can span hundreds of orders of magnitude).
  func invert(_ p: Double, start: Double) -> Double {
    if p.isNaN || p < 0 || p > 1 { return .nan }
    if p == 0 { return support.lower }
    if p == 1 { return support.upper }
    let upperTail = p > 0.5
    let target = upperTail ? 1 - p : p
    // g(x) = F(x) − p, increasing in x (using −(S(x) − (1−p)) in the upper tail).
    func g(_ x: Double) -> Double { upperTail ? target - sf(x) : cdf(x) - target }
    var lo = support.lower, hi = support.upper
    var x = start.isFinite ? min(max(start, lo), hi) : 0
    // Establish a finite bracket by expanding from the start.
    var step = max(1, abs(x))
    if lo == -.infinity {
      var l = x - step
      while g(l) > 0 { step *= 2; l = x - step; if step > 1e300 { break } }
      lo = l
    }
    step = max(1, abs(x))
    if hi == .infinity {
      var h = x + step
      while g(h) < 0 { step *= 2; h = x + step; if step > 1e300 { break } }
      hi = h
    }
    if !(x > lo && x < hi) { x = lo > 0 ? sqrt(lo * max(hi, lo)) : 0.5 * (lo + hi) }
    for _ in 0..<400 {
      let gx = g(x)
      if gx == 0 { return x }
      if gx < 0 { lo = x } else { hi = x }
      let d = pdf(x)
      var next = x - gx / d
      if !(d > 0) || !next.isFinite || next <= lo || next >= hi {
        if lo > 0 {
          next = hi / lo > 4 ? (lo * hi).squareRoot() : 0.5 * (lo + hi)
        } else if lo == 0 {
          next = hi / 16
        } else {
          next = 0.5 * (lo + hi)
        }
      }
      if abs(next - x) <= 4 * Double.ulpOfOne * abs(next) || next == x {
        return next
      }
      x = next
      if hi - lo <= 2 * Double.ulpOfOne * max(abs(lo), abs(hi)) { return 0.5 * (lo + hi) }
    }
    return x
  }
}

/// Distributions on the non-negative integers.
public protocol DiscreteDistribution: Distribution {
  func pmf(_ k: Double) -> Double
  var mean: Double { get }
  var variance: Double { get }
  /// The third standardised moment: the quantile search starts from the
  /// Cornish–Fisher approximation, as R's `qpois`, `qbinom` and `qnbinom` do.
  var skewness: Double { get }
  /// The largest value with positive probability (the quantile at p = 1):
  /// infinite unless the support is bounded or the distribution degenerate.
  var largestValue: Double { get }
}

extension DiscreteDistribution {
  /// No skewness correction unless the distribution gives one.
  public var skewness: Double { 0 }
  /// Unbounded unless the distribution says otherwise.
  public var largestValue: Double { .infinity }

  /// The smallest integer k with `cdf(k) ≥ p`, found by searching from the
  /// Cornish–Fisher approximation (R's `do_search`, with a relative fuzz
  /// so that `quantile(cdf(k)) == k`).
  public func quantile(_ p: Double) -> Double { defaultQuantile(p) }
}
