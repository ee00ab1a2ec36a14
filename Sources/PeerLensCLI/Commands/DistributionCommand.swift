import ArgumentParser
import Foundation
import PeerLensNumerics
import PeerLensStatistics

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

    /// The options that set the distribution's parameters, without `--`.
    var parameters: [String] {
      switch self {
      case .normal: return ["mean", "sd"]
      case .t, .chisq: return ["df"]
      case .f: return ["df1", "df2"]
      case .gamma: return ["shape", "scale"]
      case .beta: return ["a", "b"]
      case .poisson: return ["lambda"]
      case .binomial, .negativeBinomial: return ["size", "prob"]
      }
    }
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
      // `cdf normal --x 1 --df 3` printed the standard normal's CDF: a user
      // who meant t had the wrong distribution's answer without a word.
      let given: [(String, Double?)] = [("df", df), ("df1", df1), ("df2", df2), ("shape", shape), ("scale", scale), ("a", a),
                                        ("b", b), ("lambda", lambda), ("size", size), ("prob", prob), ("mean", mean), ("sd", sd)]
      let takes = name.parameters
      let stray = given.filter { $0.1 != nil && !takes.contains($0.0) }.map { "--\($0.0)" }
      if !stray.isEmpty {
        throw ValidationError("\(EnglishList.joined(stray)) \(stray.count == 1 ? "does" : "do") not apply to the \(name.rawValue) "
          + "distribution, which takes \(EnglishList.joined(takes.map { "--\($0)" }))."
          + " Names and parameters: peerlens distribution --help.")
      }
    }

    func need(_ v: Double?, _ flag: String, positive: Bool = true) throws -> Double {
      guard let v else { throw ValidationError("The \(name.rawValue) distribution needs --\(flag).") }
      guard v.isFinite, !positive || v > 0 else {
        throw ValidationError("--\(flag) must be a \(positive ? "positive " : "")finite number, got \(v).")
      }
      return v
    }

    /// The largest shape the incomplete gamma and beta functions take here:
    /// up to it they agree with the asymptotic expansions to 1e-11 or
    /// better; past it their series stop short and drift (`cdf chisq --x
    /// 2e10 --df 2e10` gave 0.341 for 0.5000013, `cdf beta --x 0.5 --a 1e15
    /// --b 1e15` 0.444 for 0.5, and NaN at 1e300). `interval` caps its exact
    /// methods at the same count.
    static let maxShape = 100_000_000.0

    /// Refuses a parameter whose shape is past `maxShape`, naming the flag:
    /// a printed number that has lost its digits is worse than none.
    func within(_ value: Double, _ flag: String, shape: Double? = nil, what: String = " (a shape of at most 100,000,000)") throws -> Double {
      let s = shape ?? value
      guard s <= Self.maxShape else {
        throw ValidationError("--\(flag) \(JSONNumber.text(value)) is past what the \(name.rawValue) distribution computes "
          + "to full precision here\(what): past it the incomplete gamma and beta "
          + "functions lose digits. For parameters this large the normal approximation (mean and sd) agrees to "
          + "about 1/sqrt(\(shape == nil ? flag : "shape")), better than 1e-4.")
      }
      return value
    }

    func distribution() throws -> any Distribution {
      switch name {
      case .normal:
        let s = sd ?? 1
        guard s > 0 else { throw ValidationError("--sd must be positive.") }
        return Normal(mean: mean ?? 0, standardDeviation: s)
      case .t:
        // Below 1e-100 the incomplete beta at a shape of ν/2 loses the
        // answer (the CDF at 3.7e11 with ν = 1e-300 was 1 for 0.5).
        let v = try need(df, "df")
        guard v >= 1e-100 else {
          throw ValidationError("--df \(JSONNumber.text(v)) is below what the t distribution computes to full precision here "
            + "(at least 1e-100): with so few degrees of freedom every finite t has a CDF of 0.5 to within 1e-14.")
        }
        return StudentT(degreesOfFreedom: v)
      case .chisq:
        let k = try need(df, "df")
        return ChiSquared(degreesOfFreedom: try within(k, "df", shape: k / 2, what: " (at most 200,000,000 degrees of freedom)"))
      case .f:
        let d1 = try need(df1, "df1"), d2 = try need(df2, "df2")
        let why = " (at most 200,000,000 degrees of freedom)"
        return FisherF(d1: try within(d1, "df1", shape: d1 / 2, what: why), d2: try within(d2, "df2", shape: d2 / 2, what: why))
      case .gamma:
        return GammaDistribution(shape: try within(need(shape, "shape"), "shape"), scale: try need(scale ?? 1, "scale"))
      case .beta: return BetaDistribution(a: try within(need(a, "a"), "a"), b: try within(need(b, "b"), "b"))
      case .poisson:
        let l = try need(lambda, "lambda", positive: false)
        guard l >= 0 else { throw ValidationError("--lambda must be non-negative.") }
        return Poisson(lambda: try within(l, "lambda", what: " (a mean of at most 100,000,000)"))
      case .binomial:
        let n = try need(size, "size", positive: false), p = try need(prob, "prob", positive: false)
        guard n >= 0, n == n.rounded() else { throw ValidationError("--size must be a whole number of trials.") }
        guard p >= 0, p <= 1 else { throw ValidationError("--prob must be between 0 and 1.") }
        return Binomial(size: try within(n, "size", what: " (at most 100,000,000 trials)"), prob: p)
      case .negativeBinomial:
        let n = try need(size, "size"), p = try need(prob, "prob")
        guard p <= 1 else { throw ValidationError("--prob must be in (0, 1].") }
        // The mean, size(1 - p)/p, is the failures' scale: --prob 1e-16
        // gave a median 4% low, and 1e-300 never returned.
        _ = try within(n, "size")
        _ = try within(p, "prob", shape: n * (1 - p) / p,
                       what: " (a mean, size(1 - prob)/prob, of at most 100,000,000; here \(JSONNumber.text(n * (1 - p) / p)))")
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
