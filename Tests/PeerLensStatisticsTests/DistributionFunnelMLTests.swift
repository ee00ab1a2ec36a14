import Foundation
import Testing
import PeerLensNumerics
@testable import PeerLensStatistics

/// θ and ρ of the distribution funnels are maximum-likelihood estimates to
/// full precision: golden section alone stopped where the log-likelihood
/// no longer changes in double precision, seven digits from the maximum,
/// and the values were printed to seventeen.
@Suite struct DistributionFunnelMLTests {
  // Twelve units of a rate (events, exposure) and of a proportion.
  static let events: [Double] = [120, 300, 45, 210, 900, 40, 250, 600, 8, 1100, 70, 150]
  static let exposure: [Double] = [20000, 45000, 9000, 50000, 110000, 12000, 30000, 100000, 2500, 150000, 18000, 40000]
  static let successes: [Double] = [12, 30, 45, 20, 90, 40, 25, 60, 8, 110, 70, 15]
  static let trials: [Double] = [100, 150, 200, 250, 300, 400, 120, 500, 80, 600, 350, 220]

  @Test func negativeBinomialThetaIsTheRootOfItsScore() throws {
    let f = try DistributionFunnel(family: .negativeBinomial, numerators: Self.events, denominators: Self.exposure)
    let rate = Self.events.reduce(0, +) / Self.exposure.reduce(0, +)
    // The score in θ with each mean fixed at rate × exposure, written out here.
    func score(_ th: Double) -> Double {
      zip(Self.events, Self.exposure).reduce(0) { s, u in
        let mu = rate * u.1
        return s + SpecialFunctions.digamma(u.0 + th) - SpecialFunctions.digamma(th) - log1p(mu / th) + (mu - u.0) / (th + mu)
      }
    }
    let theta = f.parameter
    #expect(score(theta * (1 - 1e-10)) > 0 && score(theta * (1 + 1e-10)) < 0, "θ = \(theta)")
    // 30-digit mpmath (findroot on the same score): 9.44516676683270.
    #expect(abs(theta - 9.44516676683270) < 1e-12 * theta, "θ = \(theta)")
  }

  @Test func betaBinomialRhoIsTheRootOfItsScore() throws {
    let f = try DistributionFunnel(family: .betaBinomial, numerators: Self.successes, denominators: Self.trials)
    let p = Self.successes.reduce(0, +) / Self.trials.reduce(0, +)
    // The score in s = (1 − ρ)/ρ with a = ps, b = (1 − p)s.
    func score(_ s: Double) -> Double {
      let a = p * s, b = (1 - p) * s, d = SpecialFunctions.digamma
      return zip(Self.successes, Self.trials).reduce(0) { acc, u in
        acc + p * (d(u.0 + a) - d(a)) + (1 - p) * (d(u.1 - u.0 + b) - d(b)) - (d(u.1 + s) - d(s))
      }
    }
    let rho = f.parameter, s = (1 - rho) / rho
    #expect((score(s * (1 - 1e-10)) < 0) != (score(s * (1 + 1e-10)) < 0), "ρ = \(rho)")
    // 30-digit mpmath: 0.029942325454094.
    #expect(abs(rho - 0.029942325454094) < 1e-12 * rho, "ρ = \(rho)")
  }

  /// At a bound (no over-dispersion: θ → ∞, ρ → 0) the estimate stays the
  /// golden section's, at the bound.
  @Test func withoutOverdispersionTheEstimateStaysAtItsBound() throws {
    let n: [Double] = [1000, 2000, 1500, 3000, 2500, 1200]
    let x = n.map { ($0 * 0.1).rounded() }  // exactly the target everywhere: no spread at all
    let nb = try DistributionFunnel(family: .negativeBinomial, numerators: x, denominators: n)
    #expect(nb.parameter > exp(19))
    let bb = try DistributionFunnel(family: .betaBinomial, numerators: x, denominators: n)
    #expect(bb.parameter < 1e-8)
  }

  @Test func scoreRootFallsBackWithoutASignChange() {
    #expect(DistributionFunnel.scoreRoot({ _ in 1 }, near: 2.5) == 2.5)
    let root = DistributionFunnel.scoreRoot({ 0.3 - $0 }, near: 0.3004)
    #expect(abs(root - 0.3) < 1e-15)
  }
}
