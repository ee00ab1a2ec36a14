import Foundation

/// The Poisson distribution with mean λ.
public struct Poisson: DiscreteDistribution {
  public let lambda: Double

  public init(lambda: Double) {
    precondition(lambda >= 0)
    self.lambda = lambda
  }

  public var mean: Double { lambda }
  public var variance: Double { lambda }
  public var skewness: Double { lambda > 0 ? 1 / lambda.squareRoot() : 0 }
  public var largestValue: Double { lambda == 0 ? 0 : .infinity }

  public func pmf(_ k: Double) -> Double {
    k < 0 || k != k.rounded() ? 0 : SpecialFunctions.poissonDensityRaw(k, lambda)
  }

  /// `P(X ≤ k) = Q(k + 1, λ)`.
  public func cdf(_ k: Double) -> Double {
    if k < 0 { return 0 }
    if lambda == 0 { return 1 }
    return SpecialFunctions.regularizedGamma(floor(k) + 1, lambda).q
  }

  public func sf(_ k: Double) -> Double {
    if k < 0 { return 1 }
    if lambda == 0 { return 0 }
    return SpecialFunctions.regularizedGamma(floor(k) + 1, lambda).p
  }
}

/// The binomial distribution with `size` trials and success probability `prob`.
public struct Binomial: DiscreteDistribution {
  public let size: Double
  public let prob: Double

  public init(size: Double, prob: Double) {
    precondition(size >= 0 && prob >= 0 && prob <= 1)
    self.size = size
    self.prob = prob
  }

  public var mean: Double { size * prob }
  public var variance: Double { size * prob * (1 - prob) }
  public var skewness: Double { variance > 0 ? (1 - 2 * prob) / variance.squareRoot() : 0 }
  public var largestValue: Double { prob == 0 ? 0 : size }

  public func pmf(_ k: Double) -> Double {
    k < 0 || k > size || k != k.rounded() ? 0 : SpecialFunctions.binomialDensityRaw(k, size, prob, 1 - prob)
  }

  /// `P(X ≤ k) = I_{1−p}(n − k, k + 1)`.
  public func cdf(_ k: Double) -> Double {
    let k = floor(k)
    if k < 0 { return 0 }
    if k >= size { return 1 }
    if prob == 0 { return 1 }
    if prob == 1 { return 0 }
    return SpecialFunctions.regularizedBeta(size - k, k + 1, x: 1 - prob, y: prob).w
  }

  public func sf(_ k: Double) -> Double {
    let k = floor(k)
    if k < 0 { return 1 }
    if k >= size { return 0 }
    if prob == 0 { return 0 }
    if prob == 1 { return 1 }
    return SpecialFunctions.regularizedBeta(size - k, k + 1, x: 1 - prob, y: prob).w1
  }

  public func quantile(_ p: Double) -> Double {
    if p == 1 { return largestValue }
    return min(size, defaultQuantile(p))
  }
}

/// The negative binomial distribution of the number of failures before the
/// `size`-th success (R's `pnbinom(q, size, prob)`); `size` may be real.
public struct NegativeBinomial: DiscreteDistribution {
  public let size: Double
  public let prob: Double

  public init(size: Double, prob: Double) {
    precondition(size > 0 && prob > 0 && prob <= 1)
    self.size = size
    self.prob = prob
  }

  /// The mean–dispersion form used in NB2 regression: mean μ, `Var = μ + μ²/θ`.
  public init(mean mu: Double, theta: Double) {
    self.init(size: theta, prob: theta / (theta + mu))
  }

  public var mean: Double { size * (1 - prob) / prob }
  public var variance: Double { size * (1 - prob) / (prob * prob) }
  public var skewness: Double { prob < 1 ? (2 - prob) / (size * (1 - prob)).squareRoot() : 0 }
  public var largestValue: Double { prob == 1 ? 0 : .infinity }

  public func pmf(_ k: Double) -> Double {
    if k < 0 || k != k.rounded() { return 0 }
    // R's dnbinom: size/(size+x) · dbinom_raw(size, x+size, prob, 1−prob).
    if k == 0 { return exp(size * log(prob)) }
    return size / (size + k) * SpecialFunctions.binomialDensityRaw(size, k + size, prob, 1 - prob)
  }

  /// `P(X ≤ k) = I_p(size, k + 1)`.
  public func cdf(_ k: Double) -> Double {
    let k = floor(k)
    if k < 0 { return 0 }
    if prob == 1 { return 1 }
    return SpecialFunctions.regularizedBeta(size, k + 1, x: prob, y: 1 - prob).w
  }

  public func sf(_ k: Double) -> Double {
    let k = floor(k)
    if k < 0 { return 1 }
    if prob == 1 { return 0 }
    return SpecialFunctions.regularizedBeta(size, k + 1, x: prob, y: 1 - prob).w1
  }
}

extension DiscreteDistribution {
  /// The protocol's search, callable from a type that customises `quantile`.
  func defaultQuantile(_ p: Double) -> Double {
    if p.isNaN || p < 0 || p > 1 { return .nan }
    if p == 0 { return 0 }
    // The whole support: R's qpois(1, λ) and qnbinom(1, …) are Inf, qbinom(1, n, p) is n.
    if p == 1 { return largestValue }
    let sd = variance.squareRoot()
    let z = Normal.standard.quantile(p)
    let gamma = skewness.isFinite ? skewness : 0
    let start = (mean + sd * (z + gamma * (z * z - 1) / 6)).rounded()
    // Positive zero, never −0 (a start that rounds to −0 would be printed so).
    let k = start.isFinite ? (start > 0 ? start : 0) : (mean.rounded() > 0 ? mean.rounded() : 0)
    let fuzzed = p * (1 - 64 * Double.ulpOfOne)
    // The answer is the k with cdf(k − 1) < p ≤ cdf(k). Bracket it by
    // steps that double from the start (a few evaluations when the start
    // is close, as it almost always is), then halve the bracket.
    var below: Double, above: Double  // cdf(below) < p ≤ cdf(above)
    if cdf(k) >= fuzzed {
      above = k
      var step = 1.0
      while true {
        let next = max(above - step, -1)
        if next < 0 || cdf(next) < fuzzed { below = next; break }
        above = next
        step *= 2
      }
    } else {
      below = k
      var step = 1.0
      while true {
        let next = below + step
        if cdf(next) >= fuzzed || next >= 1e15 { above = next; break }
        below = next
        step *= 2
      }
    }
    while above - below > 1 {
      let mid = (below + (above - below) / 2).rounded(.down)
      if cdf(mid) >= fuzzed { above = mid } else { below = mid }
    }
    return above
  }
}
