import ArgumentParser
import Foundation
import PeerLensData
import PeerLensStatistics

/// `peerlens interval`: one interval for a count.
struct IntervalCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "interval",
    abstract: "A confidence interval for a count: Wilson, exact binomial, exact Poisson or Byar's.",
    discussion: """
      Prints `value lower upper` on one line at full precision. A limit that is not defined prints as NA (Byar's lower limit, where it would be negative). Conventions of PHEindicatormethods.

      Examples:
        peerlens interval --method wilson --count 65 --denominator 100
        peerlens interval --method byar --count 20 --denominator 100 \\
            --multiplier 100 --level 0.998
        peerlens interval --method exact-poisson --count 3 --denominator 12000 \\
            --multiplier 10000
      """
  )

  @Option(name: .long, help: "wilson, exact-binomial, exact-poisson or byar.")
  var method: SmallNumberInterval.Method

  @Option(name: .long, parsing: .unconditional, help: "The count (numerator).")
  var count: Double

  @Option(name: .long, parsing: .unconditional, help: "The denominator.")
  var denominator: Double

  @Option(name: .long, parsing: .unconditional, help: "Multiplier (100 for a percentage, 10000 for a rate per 10,000).")
  var multiplier: Double = 1

  @Option(name: .long, parsing: .unconditional, help: "Confidence level, e.g. 0.95 or 0.998.")
  var level: Double = 0.95

  /// The largest count taken, 2⁵³: past it a double cannot hold every
  /// whole number, so "a whole number" can no longer be checked and the
  /// count the user typed may not be the one computed with.
  static let maxCount = 9_007_199_254_740_992.0
  /// The largest count the exact methods take: up to it their limits agree
  /// with Byar's to 1e-10 of the interval's half-width (as they should,
  /// Byar's being the Wilson–Hilferty form of the same gamma quantile);
  /// past it the incomplete gamma series stops short and the lower limit
  /// drifts (1e-6 of the half-width at 1e9, 1.4% at 1e10).
  static let maxExactCount = 100_000_000.0

  /// Every method here counts events, so a fractional or negative count is a
  /// typing error, refused rather than given an interval. So is a count past
  /// `maxCount`: no count of children is near it, and `--count 1e300` gave
  /// an exact-Poisson upper limit of inf.
  func validate() throws {
    guard count.isFinite, count >= 0, count == count.rounded() else {
      throw ValidationError("--count must be a non-negative whole number (a count of events), got \(JSONNumber.text(count)).")
    }
    guard count <= Self.maxCount else {
      throw ValidationError("--count must be a non-negative whole number no larger than 9,007,199,254,740,992 (2^53, "
        + "past which a double cannot hold every whole number), got \(JSONNumber.text(count)).")
    }
    if method == .exactPoisson || method == .exactBinomial, count > Self.maxExactCount {
      throw ValidationError("--method \(method.rawValue) takes counts up to 100,000,000, got \(JSONNumber.text(count)): past "
        + "that its gamma and beta quantiles lose digits. For a count this large byar (or wilson, for a proportion) "
        + "agrees with the exact interval to far more digits than the count has.")
    }
    guard denominator.isFinite, denominator > 0 else {
      throw ValidationError("--denominator must be a positive number, got \(JSONNumber.text(denominator)).")
    }
    // The exact binomial counts successes in a whole number of trials:
    // 3 of 10.5 gave an interval as if it had a meaning.
    if method == .exactBinomial, denominator != denominator.rounded() {
      throw ValidationError("--method exact-binomial needs a whole number of trials as --denominator, got "
        + "\(JSONNumber.text(denominator)); for a fractional denominator (FTEs, say) use wilson.")
    }
    guard level > 0, level < 1 else {
      throw ValidationError("--level must be a probability strictly between 0 and 1 (e.g. 0.95), got \(JSONNumber.text(level)).")
    }
    guard multiplier.isFinite, multiplier > 0 else {
      throw ValidationError("--multiplier must be a positive number, got \(JSONNumber.text(multiplier)).")
    }
  }

  func run() throws {
    // `--count -0` is 0: its value printed as -0.0.
    let r: SmallNumberInterval.Result
    do {
      r = try SmallNumberInterval.compute(method, count: count + 0, denominator: denominator, multiplier: multiplier,
                                          level: level)
    } catch {
      // Every input here is an option: a count above its denominator is a usage error.
      throw ValidationError(error.localizedDescription)
    }
    // A tiny denominator or a huge multiplier takes the rate past the
    // largest double: refused, rather than printed as inf.
    guard [r.value, r.lower, r.upper].allSatisfy({ $0.map(\.isFinite) ?? true }) else {
      throw ValidationError("--count \(JSONNumber.text(count)) over --denominator \(JSONNumber.text(denominator)) "
        + "× --multiplier \(JSONNumber.text(multiplier)) gives a value or limit that is not a finite number; "
        + "give the denominator in larger units or a smaller multiplier.")
    }
    let f = { (d: Double?) in d.map { $0.description } ?? "NA" }
    print("\(f(r.value)) \(f(r.lower)) \(f(r.upper))")
  }
}

extension SmallNumberInterval.Method: ExpressibleByArgument {}
