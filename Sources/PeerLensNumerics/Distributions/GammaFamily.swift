import Foundation

/// The gamma distribution with shape k and scale θ.
public struct GammaDistribution: ContinuousDistribution {
  public let shape: Double
  public let scale: Double

  public init(shape: Double, scale: Double = 1) {
    precondition(shape > 0 && scale > 0)
    self.shape = shape
    self.scale = scale
  }

  public var support: (lower: Double, upper: Double) { (0, .infinity) }

  public func pdf(_ x: Double) -> Double {
    if x < 0 { return 0 }
    if x == 0 { return shape < 1 ? .infinity : (shape == 1 ? 1 / scale : 0) }
    // xᵏ⁻¹e^{−x/θ}/(Γ(k)θᵏ) = dpois_raw(k − 1, x/θ)/θ, without cancellation.
    if shape < 1 {
      return SpecialFunctions.poissonDensityRaw(shape, x / scale) * shape / x
    }
    return SpecialFunctions.poissonDensityRaw(shape - 1, x / scale) / scale
  }

  public func cdf(_ x: Double) -> Double { x <= 0 ? 0 : SpecialFunctions.regularizedGamma(shape, x / scale).p }
  public func sf(_ x: Double) -> Double { x <= 0 ? 1 : SpecialFunctions.regularizedGamma(shape, x / scale).q }

  public func quantile(_ p: Double) -> Double {
    // Past a shape of 1e8 the incomplete gamma loses digits, and the
    // inversion drifted with it (the exact Poisson funnel limit at an
    // expected count of 1e12 was off in the seventh digit, and at 1e14 the
    // lower limit sat above the target). There Wilson–Hilferty is itself
    // exact to working precision: its relative error falls as shape^(−3/2)
    // (checked against mpmath: 6e-9 at a shape of 1e5, so below 3e-13 past 1e8
    // for p from 1e-6 to 1 − 1e-6; it grows with |z|, to 3e-12 at p = 1e-12).
    if shape > Self.wilsonHilfertyShape, p > 0, p < 1 {
      let c = 1 / (9 * shape)
      let wh = shape * pow(1 - c + Normal.standard.quantile(p) * c.squareRoot(), 3)
      if wh > 0 { return wh * scale }
    }
    return invert(p, start: GammaDistribution.startingValue(shape: shape, p: p) * scale)
  }

  /// The shape past which `quantile` is Wilson–Hilferty's.
  static let wilsonHilfertyShape = 1e8

  /// Wilson–Hilferty, or the small-p power law `(p Γ(k+1))^{1/k}` in the
  /// lower tail, where Wilson–Hilferty can go negative.
  static func startingValue(shape k: Double, p: Double) -> Double {
    let z = Normal.standard.quantile(p)
    let c = 1 / (9 * k)
    let wh = k * pow(1 - c + z * c.squareRoot(), 3)
    let small = exp((log(p) + lgamma(k + 1)) / k)
    if wh <= 0 || small < 0.5 * k && p < 0.05 { return max(small, .leastNormalMagnitude) }
    return wh
  }
}

/// The chi-squared distribution with ν degrees of freedom (gamma with shape
/// ν/2 and scale 2).
public struct ChiSquared: ContinuousDistribution {
  public let degreesOfFreedom: Double
  private let gamma: GammaDistribution

  public init(degreesOfFreedom: Double) {
    precondition(degreesOfFreedom > 0)
    self.degreesOfFreedom = degreesOfFreedom
    self.gamma = GammaDistribution(shape: degreesOfFreedom / 2, scale: 2)
  }

  public var support: (lower: Double, upper: Double) { (0, .infinity) }
  public func pdf(_ x: Double) -> Double { gamma.pdf(x) }
  public func cdf(_ x: Double) -> Double { gamma.cdf(x) }
  public func sf(_ x: Double) -> Double { gamma.sf(x) }
  public func quantile(_ p: Double) -> Double { gamma.quantile(p) }
}
