import Foundation
import PeerLensData
import PeerLensNumerics
import PeerLensStatistics

/// Rank intervals by a parametric bootstrap of the contextual model
/// (issue 17.4), after Laird and Louis (1987, "Empirical Bayes confidence
/// intervals based on bootstrap samples", JASA 82:739).
///
/// Each resample:
/// 1. redraws every authority's count from the fitted model — negative
///    binomial NB(μᵢ, θ) for rates; beta-binomial with the prior
///    Beta(Mμᵢ, M(1 − μᵢ)) for proportions;
/// 2. refits the model to the redrawn counts (started from the full fit)
///    and re-estimates θ or M;
/// 3. draws each authority's underlying value from its posterior given
///    its *own observed* count under the refitted model — for rates
///    μᵢ*·Gamma(yᵢ + θ*, θ* + μᵢ*), for proportions
///    Beta(sᵢ + M*μᵢ*, nᵢ − sᵢ + M*(1 − μᵢ*));
/// 4. ranks the authorities on those values.
///
/// Why this and not ranks of the redrawn counts themselves: counts
/// redrawn around the model's expectations would rank authorities by
/// their context, not by their own figures. The posterior keeps each
/// authority's own data at the centre and the refits carry the
/// uncertainty in the model (its coefficients and its spread between
/// authorities) into the interval, which posterior draws from the single
/// fitted model would leave out. The posterior is the pack's "shrunk"
/// value: the same model, with the same prior, so the two agree.
///
/// Where context has no skill (leave-one-out skill ≤ 0) the model is the
/// intercept alone: every authority's prior is centred on the overall
/// value, as the shrunk value is.
public struct ModelRankBootstrap: Sendable {
  public enum Kind: String, Sendable { case negativeBinomial = "negative-binomial", betaBinomial = "beta-binomial" }

  public let kind: Kind
  public let frame: ModelFrame
  public let family: FamilyName
  public let link: Link?
  public let fit: FittedModel
  /// Observed counts (rates) or successes (proportions), per frame row.
  public let observed: [Double]
  /// Denominators (rates) or trials (proportions), per frame row.
  public let size: [Double]
  /// The full fit's expected counts (rates) or proportions, per frame row.
  public let expected: [Double]
  /// θ (rates) or M (proportions) of the full fit.
  public let spread: Double
  /// Each authority code's frame row.
  public let row: [String: Int]

  /// The bootstrap for an indicator's fitted contextual model, or nil
  /// where the model is not a negative binomial or (quasi-)binomial one
  /// for the latest period.
  public init?(_ run: ContextModelRun, latest: TimePeriod) {
    guard run.period == latest else { return nil }
    let contextual = run.showsExpectation
    let frame = contextual ? run.frame : run.frame.interceptOnly()
    guard let fit = contextual ? run.model : try? FittedModel.fit(frame: frame, family: run.spec.family, link: run.spec.parsedLink),
          frame.rowIndices.allSatisfy({ $0 < run.authorities.count }) else { return nil }
    let rows = frame.rowIndices.map { run.authorities[$0] }
    self.init(frame: frame, family: run.spec.family, link: run.spec.parsedLink, fit: fit,
              denominators: rows.map { $0.denominator ?? 0 }, codes: rows.map(\.code))
  }

  /// The bootstrap of `fit`, the model of `frame`, or nil where it is not
  /// a negative binomial (with `denominators`, per frame row) or
  /// (quasi-)binomial fit. `codes` names the frame's rows.
  public init?(frame: ModelFrame, family: FamilyName, link: Link?, fit: FittedModel, denominators: [Double], codes: [String]) {
    guard let response = frame.response, case .generalized(let g) = fit, codes.count == frame.design.rows else { return nil }
    switch (response, family) {
    case (.values(let y), .negativeBinomial):
      guard let theta = g.theta, theta.isFinite, theta > 0, denominators.count == y.count else { return nil }
      kind = .negativeBinomial
      observed = y
      // The rate's denominator (the model's exposure, through its offset).
      size = denominators
      expected = g.fittedValues
      spread = theta
    case (.binomial(let s, let f), .binomial), (.binomial(let s, let f), .quasibinomial):
      kind = .betaBinomial
      observed = s
      size = zip(s, f).map { $0 + $1 }
      expected = g.fittedValues
      spread = ContextualShrinkage.betaBinomialPrecision(successes: s, trials: size, expected: expected)
      guard spread.isFinite, spread > 0 else { return nil }
    default:
      return nil
    }
    guard observed.count >= 3, size.allSatisfy({ $0 > 0 }) else { return nil }
    self.frame = frame
    self.family = family
    self.link = link
    self.fit = fit
    self.row = Dictionary(codes.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
  }

  /// Rank intervals for every row of the frame, in the frame's order.
  public func intervals(higherIsBetter: Bool, resamples: Int = 1000, seed: UInt64 = 20_261_204) -> [(lower: Int, upper: Int)] {
    let rows: [Int?] = Array(0..<observed.count)
    return RankIntervals.compute(units: rows.count, higherIsBetter: higherIsBetter, draws: resamples, seed: seed) { g, values in
      resample(&g, rows: rows, values: &values)
    }
  }

  /// One resample: fills `values[k]` for each `rows[k]` that is a frame
  /// row (others are left for the caller), or returns false when the
  /// refit fails (the resample is left out).
  public func resample(_ g: inout SeededGenerator, rows: [Int?], values: inout [Double]) -> Bool {
    let n = observed.count
    switch kind {
    case .negativeBinomial:
      let theta = spread
      var y = [Double](repeating: 0, count: n)
      for i in 0..<n { y[i] = g.poisson(mean: expected[i] * g.gamma(shape: theta) / theta) }
      guard let refit = try? FittedModel.refit(frame: frame.replacingResponse(.values(y)), family: family, link: link,
                                               startingFrom: fit),
            case .generalized(let r) = refit else { return false }
      // θ* infinite: no spread between authorities beyond chance, so each
      // underlying rate is its expectation (a very large θ says the same).
      let t = min(r.theta ?? 1e8, 1e8)
      for (k, i) in rows.enumerated() {
        guard let i else { continue }
        let mu = r.fittedValues[i]
        values[k] = mu * g.gamma(shape: observed[i] + t) / (t + mu) / size[i]
      }
    case .betaBinomial:
      let m = spread
      var s = [Double](repeating: 0, count: n), f = s
      for i in 0..<n {
        let p = g.beta(m * expected[i], m * (1 - expected[i]))
        s[i] = g.binomial(trials: size[i], probability: p)
        f[i] = size[i] - s[i]
      }
      guard let refit = try? FittedModel.bootstrapRefit(frame: frame.replacingResponse(.binomial(successes: s, failures: f)),
                                                        family: family, link: link, startingFrom: fit),
            case .generalized(let r) = refit else { return false }
      let mStar = ContextualShrinkage.betaBinomialPrecision(successes: s, trials: size, expected: r.fittedValues, start: m)
      for (k, i) in rows.enumerated() {
        guard let i else { continue }
        let mu = min(max(r.fittedValues[i], 1e-12), 1 - 1e-12)
        values[k] = g.beta(observed[i] + mStar * mu, size[i] - observed[i] + mStar * (1 - mu))
      }
    }
    return true
  }
}
