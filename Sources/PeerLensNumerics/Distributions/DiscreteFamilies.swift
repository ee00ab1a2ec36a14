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
    if p == 1 { return size }
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
    let sd = variance.squareRoot()
    let z = Normal.standard.quantile(p)
    var k = max(0, (mean + sd * z).rounded())
    let fuzzed = p * (1 - 64 * Double.ulpOfOne)
    if cdf(k) >= fuzzed {
      while k > 0 && cdf(k - 1) >= fuzzed { k -= 1 }
    } else {
      repeat { k += 1 } while cdf(k) < fuzzed && k < 1e15
    }
    return k
  }
}
