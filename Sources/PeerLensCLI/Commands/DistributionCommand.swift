import ArgumentParser
import Foundation
import PeerLensNumerics

/// `peerlens distribution cdf|sf|quantile NAME --x VALUE [parameters]`.
struct DistributionCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "distribution",
    abstract: "Evaluate a distribution's CDF, survival function or quantile at full precision.",
    discussion: """
      Names and parameters: normal [--mean --sd]; t --df; chisq --df; f --df1 --df2; \
      gamma --shape --scale; beta --a --b; poisson --lambda; binomial --size --prob; \
      negative_binomial --size --prob (failures before the size-th success, as R's pnbinom). \
      For quantile, --x is the probability. The number printed round-trips exactly.

      Examples:
        peerlens distribution cdf normal --x -1.96
        peerlens distribution quantile chisq --x 0.975 --df 4
        peerlens distribution sf binomial --x 30 --size 100 --prob 0.2
      """,
    subcommands: [CDF.self, SF.self, Quantile.self]
  )

  enum Name: String, ExpressibleByArgument, CaseIterable {
    case normal, t, chisq, f, gamma, beta, poisson, binomial
    case negativeBinomial = "negative_binomial"
  }

  struct Parameters: ParsableArguments {
    @Argument(help: "The distribution: normal, t, chisq, f, gamma, beta, poisson, binomial, negative_binomial.")
    var name: Name
    @Option(name: .long, parsing: .unconditional, help: "The point (for quantile: the probability).") var x: Double
    @Option(name: .long, parsing: .unconditional, help: "Degrees of freedom (t, chisq).") var df: Double?
    @Option(name: .long, parsing: .unconditional, help: "Numerator degrees of freedom (f).") var df1: Double?
    @Option(name: .long, parsing: .unconditional, help: "Denominator degrees of freedom (f).") var df2: Double?
    @Option(name: .long, parsing: .unconditional, help: "Shape (gamma).") var shape: Double?
    @Option(name: .long, parsing: .unconditional, help: "Scale (gamma; default 1).") var scale: Double?
    @Option(name: .long, parsing: .unconditional, help: "First shape (beta).") var a: Double?
    @Option(name: .long, parsing: .unconditional, help: "Second shape (beta).") var b: Double?
    @Option(name: .long, parsing: .unconditional, help: "Mean (poisson).") var lambda: Double?
    @Option(name: .long, parsing: .unconditional, help: "Size (binomial trials; negative_binomial target successes).") var size: Double?
    @Option(name: .long, parsing: .unconditional, help: "Success probability (binomial, negative_binomial).") var prob: Double?
    @Option(name: .long, parsing: .unconditional, help: "Mean (normal; default 0).") var mean: Double?
    @Option(name: .long, parsing: .unconditional, help: "Standard deviation (normal; default 1).") var sd: Double?

    /// Refuses a point, mean or standard deviation that is not a number or
    /// is infinite: the CDF at NaN printed NaN with exit status 0, an answer
    /// a script would carry on with. A finite point far in a tail gives 0
    /// or 1 as it should.
    func validate() throws {
      guard x.isFinite else {
        throw ValidationError("--x must be a finite number (the point; for quantile, the probability), got \(x).")
      }
      for (flag, value) in [("--mean", mean), ("--sd", sd)] {
        if let value, !value.isFinite { throw ValidationError("\(flag) must be a finite number, got \(value).") }
      }
    }

    func need(_ v: Double?, _ flag: String, positive: Bool = true) throws -> Double {
      guard let v else { throw ValidationError("The \(name.rawValue) distribution needs --\(flag).") }
      guard v.isFinite, !positive || v > 0 else { throw ValidationError("--\(flag) must be a positive number, got \(v).") }
      return v
    }

    func distribution() throws -> any Distribution {
      switch name {
      case .normal:
        let s = sd ?? 1
        guard s > 0 else { throw ValidationError("--sd must be positive.") }
        return Normal(mean: mean ?? 0, standardDeviation: s)
      case .t: return StudentT(degreesOfFreedom: try need(df, "df"))
      case .chisq: return ChiSquared(degreesOfFreedom: try need(df, "df"))
      case .f: return FisherF(d1: try need(df1, "df1"), d2: try need(df2, "df2"))
      case .gamma: return GammaDistribution(shape: try need(shape, "shape"), scale: try need(scale ?? 1, "scale"))
      case .beta: return BetaDistribution(a: try need(a, "a"), b: try need(b, "b"))
      case .poisson:
        let l = try need(lambda, "lambda", positive: false)
        guard l >= 0 else { throw ValidationError("--lambda must be non-negative.") }
        return Poisson(lambda: l)
      case .binomial:
        let n = try need(size, "size", positive: false), p = try need(prob, "prob", positive: false)
        guard n >= 0, n == n.rounded() else { throw ValidationError("--size must be a whole number of trials.") }
        guard p >= 0, p <= 1 else { throw ValidationError("--prob must be between 0 and 1.") }
        return Binomial(size: n, prob: p)
      case .negativeBinomial:
        let n = try need(size, "size"), p = try need(prob, "prob")
        guard p <= 1 else { throw ValidationError("--prob must be in (0, 1].") }
        return NegativeBinomial(size: n, prob: p)
      }
    }
  }

  struct CDF: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "P(X ≤ x).")
    @OptionGroup var parameters: Parameters
    func run() throws { print(JSONNumber.text(try parameters.distribution().cdf(parameters.x))) }
  }

  struct SF: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "P(X > x), accurate in the upper tail.")
    @OptionGroup var parameters: Parameters
    func run() throws { print(JSONNumber.text(try parameters.distribution().sf(parameters.x))) }
  }

  struct Quantile: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The smallest x with P(X ≤ x) ≥ p (--x is p).")
    @OptionGroup var parameters: Parameters
    func validate() throws {
      guard parameters.x >= 0, parameters.x <= 1 else { throw ValidationError("For quantile, --x is a probability in [0, 1].") }
    }
    func run() throws { print(JSONNumber.text(try parameters.distribution().quantile(parameters.x))) }
  }
}

/// Full-precision number text (shortest round-trip form).
enum JSONNumber {
  static func text(_ d: Double) -> String {
    if d.isNaN { return "NaN" }
    if d.isInfinite { return d > 0 ? "Inf" : "-Inf" }
    return d.description
  }
}
