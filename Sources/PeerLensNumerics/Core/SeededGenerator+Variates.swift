import Foundation

/// Exact random variates for parametric bootstraps: gamma, beta, Poisson
/// and binomial draws from a seeded generator.
///
/// Why exact samplers rather than normal approximations: a parametric
/// bootstrap redraws small counts (Rutland's handful of children) as well
/// as large ones, and a normal draw would give negative or fractional
/// counts exactly where the intervals matter most. The rejection methods
/// are Hörmann's (1993), which take a bounded number of uniforms at any
/// mean, where inversion would take one per unit of the mean.
extension SeededGenerator {
  /// Gamma(shape, 1) by Marsaglia and Tsang (2000); shape < 1 by the
  /// boost U^(1/shape).
  public mutating func gamma(shape: Double) -> Double {
    if shape < 1 {
      let u = max(uniform(), 1e-300)
      return gamma(shape: shape + 1) * pow(u, 1 / shape)
    }
    let d = shape - 1.0 / 3, c = 1 / (9 * d).squareRoot()
    while true {
      var x: Double, v: Double
      repeat { x = normal(); v = 1 + c * x } while v <= 0
      v = v * v * v
      let u = uniform()
      if u < 1 - 0.0331 * x * x * x * x { return d * v }
      if log(max(u, 1e-300)) < 0.5 * x * x + d * (1 - v + log(v)) { return d * v }
    }
  }

  /// Beta(a, b) as a ratio of gamma draws.
  public mutating func beta(_ a: Double, _ b: Double) -> Double {
    let x = gamma(shape: a), y = gamma(shape: b)
    return x + y > 0 ? x / (x + y) : (a / (a + b))
  }

  /// Poisson(mean): inversion below a mean of 10, Hörmann's PTRS
  /// (transformed rejection with squeeze) above.
  public mutating func poisson(mean lambda: Double) -> Double {
    guard lambda > 0, lambda.isFinite else { return 0 }
    if lambda < 10 {
      // Sequential search from 0: F(k) by the pmf recurrence.
      var k = 0.0, p = exp(-lambda), f = p
      let u = uniform()
      while u > f && k < 1000 {
        k += 1
        p *= lambda / k
        f += p
      }
      return k
    }
    let slam = lambda.squareRoot(), loglam = log(lambda)
    let b = 0.931 + 2.53 * slam
    let a = -0.059 + 0.02483 * b
    let invAlpha = 1.1239 + 1.1328 / (b - 3.4)
    let vr = 0.9277 - 3.6224 / (b - 2)
    while true {
      let u = uniform() - 0.5, v = uniform()
      let us = 0.5 - abs(u)
      let k = ((2 * a / us + b) * u + lambda + 0.43).rounded(.down)
      if us >= 0.07 && v <= vr { return k }
      if k < 0 || (us < 0.013 && v > us) { continue }
      if log(v) + log(invAlpha) - log(a / (us * us) + b) <= -lambda + k * loglam - lgamma(k + 1) { return k }
    }
  }

  /// Binomial(n, p): inversion when the smaller of np and n(1 − p) is
  /// below 10, Hörmann's BTRS above; drawn for p ≤ ½ and reflected.
  public mutating func binomial(trials n: Double, probability p: Double) -> Double {
    let n = n.rounded()
    guard n > 0, p > 0 else { return 0 }
    guard p < 1 else { return n }
    if p > 0.5 { return n - binomial(trials: n, probability: 1 - p) }
    let q = 1 - p
    if n * p < 10 {
      // Sequential search from 0: F(k) by the pmf recurrence.
      var k = 0.0, pk = exp(n * log1p(-p)), f = pk
      let u = uniform(), r = p / q
      while u > f && k < n {
        pk *= (n - k) / (k + 1) * r
        k += 1
        f += pk
      }
      return k
    }
    let spq = (n * p * q).squareRoot()
    let b = 1.15 + 2.53 * spq
    let a = -0.0873 + 0.0248 * b + 0.01 * p
    let c = n * p + 0.5
    let vr = 0.92 - 4.2 / b
    let alpha = (2.83 + 5.1 / b) * spq
    let lpq = log(p / q)
    let m = ((n + 1) * p).rounded(.down)
    let h = lgamma(m + 1) + lgamma(n - m + 1)
    while true {
      let u = uniform() - 0.5
      var v = uniform()
      let us = 0.5 - abs(u)
      let k = ((2 * a / us + b) * u + c).rounded(.down)
      if k < 0 || k > n { continue }
      if us >= 0.07 && v <= vr { return k }
      v = log(v * alpha / (a / (us * us) + b))
      if v <= h - lgamma(k + 1) - lgamma(n - k + 1) + (k - m) * lpq { return k }
    }
  }
}
