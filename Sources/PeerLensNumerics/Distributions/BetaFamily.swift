import Foundation

/// The beta distribution with shapes a and b.
public struct BetaDistribution: ContinuousDistribution {
  public let a: Double
  public let b: Double

  public init(a: Double, b: Double) {
    precondition(a > 0 && b > 0)
    self.a = a
    self.b = b
  }

  public var support: (lower: Double, upper: Double) { (0, 1) }

  public func pdf(_ x: Double) -> Double {
    if x < 0 || x > 1 { return 0 }
    if x == 0 || x == 1 {
      let s = x == 0 ? a : b
      return s < 1 ? .infinity : (s == 1 ? (x == 0 ? b : a) : 0)
    }
    // R's dbeta: a·b/(a+b)·… expressed through dbinom_raw for accuracy.
    if a <= 2 || b <= 2 {
      return exp((a - 1) * log(x) + (b - 1) * log1p(-x) - SpecialFunctions.logBeta(a, b))
    }
    return (a + b - 1) * SpecialFunctions.binomialDensityRaw(a - 1, a + b - 2, x, 1 - x)
  }

  public func cdf(_ x: Double) -> Double {
    if x <= 0 { return 0 }
    if x >= 1 { return 1 }
    return SpecialFunctions.regularizedBeta(a, b, x: x, y: 1 - x).w
  }

  public func sf(_ x: Double) -> Double {
    if x <= 0 { return 1 }
    if x >= 1 { return 0 }
    return SpecialFunctions.regularizedBeta(a, b, x: x, y: 1 - x).w1
  }

  public func quantile(_ p: Double) -> Double {
    invert(p, start: a / (a + b))
  }
}

/// Student's t distribution with ν degrees of freedom (ν may be fractional).
public struct StudentT: ContinuousDistribution {
  public let degreesOfFreedom: Double

  public init(degreesOfFreedom: Double) {
    precondition(degreesOfFreedom > 0)
    self.degreesOfFreedom = degreesOfFreedom
  }

  public var support: (lower: Double, upper: Double) { (-.infinity, .infinity) }

  /// Many degrees of freedom (`StudentTLargeDF`): the expansion in 1/ν.
  private var large: Bool { degreesOfFreedom >= StudentTLargeDF.threshold }

  public func pdf(_ t: Double) -> Double {
    let n = degreesOfFreedom
    let logNorm: Double = n >= StudentTLargeDF.densityThreshold ? StudentTLargeDF.logNormalisingConstant(degreesOfFreedom: n)
      : lgamma((n + 1) / 2) - lgamma(n / 2) - 0.5 * log(n * Double.pi)
    let logKernel: Double = -(n + 1) / 2 * log1p(t * t / n)
    return exp(logNorm + logKernel)
  }

  /// `P(T ≤ t)` for t < 0 is `½ I_{ν/(ν+t²)}(ν/2, ½)`, with `1 − x = t²/(ν+t²)`
  /// passed exactly so that small |t| keeps its accuracy.
  private func lowerTail(_ absT: Double) -> Double {
    let n = degreesOfFreedom
    // Past |t| = 1e150, t² overflows (x became 0, and P(T ≤ −1e300) was 0
    // for ν = 0.01, where it is 4.9e-4). There x = ν/t² < 1e-299 and
    // I_x(a, ½) = x^a / (a B(a, ½)) · (1 + O(x)), exact in doubles,
    // taken through logarithms.
    if absT > Self.farTail {
      let a = n / 2
      return 0.5 * exp(a * (log(n) - 2 * log(absT)) - log(a) - SpecialFunctions.logBeta(a, 0.5))
    }
    let t2 = absT * absT
    let x: Double, y: Double
    if t2 > n {
      x = n / (n + t2)
      y = 1 / (1 + n / t2)
    } else {
      x = 1 / (1 + t2 / n)
      y = t2 / (n + t2)
    }
    return 0.5 * SpecialFunctions.regularizedBeta(n / 2, 0.5, x: x, y: y).w
  }

  public func cdf(_ t: Double) -> Double {
    if t.isNaN { return .nan }
    if t.isInfinite { return t < 0 ? 0 : 1 }
    if large { return Normal.standard.cdf(StudentTLargeDF.normal(fromT: t, degreesOfFreedom: degreesOfFreedom)) }
    return t <= 0 ? lowerTail(-t) : 1 - lowerTail(t)
  }

  public func sf(_ t: Double) -> Double {
    if t.isNaN { return .nan }
    if t.isInfinite { return t < 0 ? 1 : 0 }
    if large { return Normal.standard.sf(StudentTLargeDF.normal(fromT: t, degreesOfFreedom: degreesOfFreedom)) }
    return t >= 0 ? lowerTail(t) : 1 - lowerTail(-t)
  }

  public func quantile(_ p: Double) -> Double {
    if p == 0.5 { return 0 }
    if large, p > 0, p < 1 {
      // Through the normal's quantile of the smaller tail, where p is exact.
      let z = p < 0.5 ? Normal.standard.quantile(p) : -Normal.standard.quantile(1 - p)
      return StudentTLargeDF.t(fromNormal: z, degreesOfFreedom: degreesOfFreedom)
    }
    // Symmetric: solve in the lower tail, where p is exact.
    if p > 0.5 { return -quantileLower(1 - p) }
    return quantileLower(p)
  }

  private func quantileLower(_ p: Double) -> Double {
    let n = degreesOfFreedom
    // Exact for ν = 1 (Cauchy) and ν = 2; a Hill-type start otherwise.
    if n == 1 { return -1 / tan(Double.pi * p) }
    let z = Normal.standard.quantile(p)
    var start = z * (1 + (z * z + 1) / (4 * n))
    // In the far tail t ≈ −(p·ν·B(ν/2,½)·√ν)^{−1/ν}·… grows like p^{−1/ν}.
    let logScale: Double = log(p * n) + SpecialFunctions.logBeta(n / 2, 0.5)
    let tail = -exp(-logScale / n) * n.squareRoot()
    // Past the far tail the start is the answer: it inverts `lowerTail`'s
    // asymptotic form exactly (the search had stopped at √max ≈ 1.3e154
    // for every ν below 0.0085). Past the largest double it is −∞.
    if tail < -Self.farTail { return tail }
    if tail < start { start = tail }
    return invert(p, start: start)
  }

  /// |t| past which t² would overflow, and the tails are taken in logarithms.
  static let farTail = 1e150
}

/// Fisher's F distribution with (d₁, d₂) degrees of freedom.
public struct FisherF: ContinuousDistribution {
  public let d1: Double
  public let d2: Double

  public init(d1: Double, d2: Double) {
    precondition(d1 > 0 && d2 > 0)
    self.d1 = d1
    self.d2 = d2
  }

  public var support: (lower: Double, upper: Double) { (0, .infinity) }

  public func pdf(_ x: Double) -> Double {
    if x <= 0 { return 0 }
    let num: Double = d1 * log(d1 * x) + d2 * log(d2)
    let den: Double = (d1 + d2) * log(d1 * x + d2)
    let lx: Double = 0.5 * (num - den) - log(x) - SpecialFunctions.logBeta(d1 / 2, d2 / 2)
    return exp(lx)
  }

  private func split(_ x: Double) -> (Double, Double) {
    let den = d1 * x + d2
    return (d1 * x / den, d2 / den)
  }

  public func cdf(_ x: Double) -> Double {
    if x <= 0 { return 0 }
    if x.isInfinite { return 1 }
    let (u, v) = split(x)
    return SpecialFunctions.regularizedBeta(d1 / 2, d2 / 2, x: u, y: v).w
  }

  public func sf(_ x: Double) -> Double {
    if x <= 0 { return 1 }
    if x.isInfinite { return 0 }
    let (u, v) = split(x)
    return SpecialFunctions.regularizedBeta(d1 / 2, d2 / 2, x: u, y: v).w1
  }

  public func quantile(_ p: Double) -> Double { invert(p, start: d2 > 2 ? d2 / (d2 - 2) : 1) }
}
