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
    invert(p, start: GammaDistribution.startingValue(shape: shape, p: p) * scale)
  }

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
