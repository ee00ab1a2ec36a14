import Foundation
import Testing
import PeerLensNumerics

/// The exact samplers behind the parametric rank bootstrap (issue 17.4):
/// draws against the probability mass function summed in the test, in
/// both regimes of each sampler (inversion for small means, Hörmann's
/// transformed rejection above).
@Suite struct RandomVariateTests {
  /// Pearson's χ² of `draws` against `pmf` over the values with expected
  /// count ≥ 5, the rest pooled in one cell; with its degrees of freedom.
  static func chiSquared(_ draws: [Double], pmf: (Double) -> Double, support: ClosedRange<Int>) -> (Double, Int) {
    var observed: [Int: Int] = [:]
    for d in draws { observed[Int(d), default: 0] += 1 }
    let total = Double(draws.count)
    var chi = 0.0, cells = 0, inCellsO = 0.0, inCellsE = 0.0
    for k in support {
      let e = total * pmf(Double(k)), o = Double(observed[k] ?? 0)
      guard e >= 5 else { continue }
      chi += (o - e) * (o - e) / e
      cells += 1
      inCellsO += o
      inCellsE += e
    }
    // Everything else (small cells and beyond the support) in one cell.
    let pooledO = total - inCellsO, pooledE = max(total - inCellsE, 1e-9)
    chi += (pooledO - pooledE) * (pooledO - pooledE) / pooledE
    return (chi, cells)
  }

  /// A χ² far beyond its degrees of freedom (a wrong constant in a
  /// rejection step gives thousands): mean df, sd √(2 df).
  static func plausible(_ chi: Double, _ df: Int) -> Bool { chi < Double(df) + 6 * (2 * Double(df)).squareRoot() + 10 }

  @Test(arguments: [0.3, 4.5, 9.99, 10.0, 37.2, 850.0])
  func poissonDrawsFollowThePoissonPMF(mean: Double) {
    var g = SeededGenerator(seed: 17)
    let draws = (0..<200_000).map { _ in g.poisson(mean: mean) }
    #expect(draws.allSatisfy { $0 >= 0 && $0 == $0.rounded() })
    func pmf(_ k: Double) -> Double { exp(k * log(mean) - mean - lgamma(k + 1)) }
    let sd = mean.squareRoot()
    let support = max(0, Int(mean - 6 * sd))...Int(mean + 6 * sd + 10)
    let (chi, df) = Self.chiSquared(draws, pmf: pmf, support: support)
    #expect(Self.plausible(chi, df), "Poisson(\(mean)): χ² \(chi) on \(df) cells")
    // The mean to five standard errors: a half-count bias fails here.
    let m = draws.reduce(0, +) / Double(draws.count)
    #expect(abs(m - mean) < 5 * sd / Double(draws.count).squareRoot(), "Poisson(\(mean)): mean \(m)")
  }

  @Test(arguments: [(12.0, 0.2), (300.0, 0.02), (40.0, 0.5), (1500.0, 0.37), (200.0, 0.93), (5000.0, 0.004)])
  func binomialDrawsFollowTheBinomialPMF(n: Double, p: Double) {
    var g = SeededGenerator(seed: 29)
    let draws = (0..<200_000).map { _ in g.binomial(trials: n, probability: p) }
    #expect(draws.allSatisfy { $0 >= 0 && $0 <= n && $0 == $0.rounded() })
    func pmf(_ k: Double) -> Double {
      let logChoose: Double = lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1)
      return exp(logChoose + k * log(p) + (n - k) * log1p(-p))
    }
    let mean = n * p, sd = (n * p * (1 - p)).squareRoot()
    let support = max(0, Int(mean - 6 * sd))...min(Int(n), Int(mean + 6 * sd + 10))
    let (chi, df) = Self.chiSquared(draws, pmf: pmf, support: support)
    #expect(Self.plausible(chi, df), "Binomial(\(n), \(p)): χ² \(chi) on \(df) cells")
    let m = draws.reduce(0, +) / Double(draws.count)
    #expect(abs(m - mean) < 5 * sd / Double(draws.count).squareRoot(), "Binomial(\(n), \(p)): mean \(m)")
  }

  @Test func gammaAndBetaDrawsHaveTheirMoments() {
    var g = SeededGenerator(seed: 5)
    for shape in [0.4, 1.0, 7.5] {
      let x = (0..<200_000).map { _ in g.gamma(shape: shape) }
      let m = x.reduce(0, +) / Double(x.count)
      let v = x.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(x.count - 1)
      // Mean shape, variance shape; standard error of the mean √(shape/N).
      #expect(abs(m - shape) < 5 * (shape / Double(x.count)).squareRoot(), "gamma(\(shape)) mean \(m)")
      #expect(abs(v / shape - 1) < 0.05, "gamma(\(shape)) variance \(v)")
    }
    let b = (0..<200_000).map { _ in g.beta(2, 6) }
    let mb = b.reduce(0, +) / Double(b.count)
    #expect(abs(mb - 0.25) < 0.002, "beta(2, 6) mean \(mb)")
  }

  @Test func degenerateArgumentsGiveTheirOnlyValue() {
    var g = SeededGenerator(seed: 1)
    #expect(g.poisson(mean: 0) == 0)
    #expect(g.binomial(trials: 20, probability: 0) == 0)
    #expect(g.binomial(trials: 20, probability: 1) == 20)
    #expect(g.binomial(trials: 0, probability: 0.4) == 0)
  }
}

