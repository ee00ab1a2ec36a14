import Foundation
import PeerLensData
import PeerLensStatistics

/// The weighting of a Gaussian model of a mean score as a random-effects
/// meta-regression (`sampling_variance = "pupil_sd"` in its specification):
/// an authority's mean of n pupils varies by chance with variance σ²/n,
/// and authorities of the same context differ by τ² beyond chance, so
/// each is weighted by 1/(τ² + σ²/n).
///
/// Why: unweighted least squares gives a cohort of 8 and one of 300 the
/// same prediction interval. On Attainment 8 of children in care
/// (2024/25), 7 of 29 authorities with under 20 pupils lay outside the 95%
/// interval against 3 of 120 larger ones: the interval was too narrow
/// where chance is large and too wide where it is small. τ² is fitted by
/// REML with the model's covariates (`MetaRegression`), σ is the
/// catalogue's `pupil_sd`, the spread the packs' funnels use.
public struct RandomEffectsWeighting: Sendable {
  /// σ: the spread of one pupil's score (`pupil_sd`).
  public let pupilSD: Double
  /// τ²: the between-authority variance that context leaves, by REML.
  public let tauSquared: Double
  /// τ² about a single mean (no context), by REML on the same authorities.
  public let tauSquaredWithoutContext: Double
  /// The model frame with each row's weight 1/(τ² + σ²/n).
  public let frame: ModelFrame

  /// The share of the spread between authorities beyond chance that
  /// context accounts for, (τ²₀ − τ²)/τ²₀ (metafor's R² for a
  /// meta-regression); nil where there is none beyond chance to explain.
  ///
  /// Why beside the weighted R²: most of the spread of small cohorts'
  /// means is chance, which no context can predict, so R² can be 14%
  /// while context accounts for nearly all the spread beyond chance.
  public var shareBeyondChanceExplained: Double? {
    tauSquaredWithoutContext > 0 ? max(0, (tauSquaredWithoutContext - tauSquared) / tauSquaredWithoutContext) : nil
  }

  /// The weight of an authority with `pupils` pupils.
  public func weight(pupils n: Double) -> Double { 1 / (tauSquared + pupilSD * pupilSD / n) }

  /// Refuses a specification this weighting does not fit, before its
  /// frame is built (so that the key, not a symptom, is named): another
  /// family or link, a response other than the value itself (σ²/n is the
  /// variance of the mean score, not of its logarithm or of the points), or
  /// an indicator without `pupil_sd`.
  /// - Parameter source: the specification's file, named first where known.
  static func check(spec: ContextModelSpec, indicator: Indicator, formula: Formula, source: String? = nil) throws {
    guard let setting = spec.samplingVariance.map({ "sampling_variance = \"\($0.rawValue)\"" }) else { return }
    let key = source.map { "\(setting) (\($0))" } ?? setting
    guard spec.family == .gaussian, spec.parsedLink == nil || spec.parsedLink == .identity else {
      throw AnalysisError.invalid("The model for \(spec.indicator) sets \(key), which weights a Gaussian model of a mean "
        + "score with the identity link; its family is \"\(spec.family.rawValue)\"\(spec.link.map { " with link \"\($0)\"" } ?? ""). "
        + "Remove the key, or use family = \"gaussian\" with no link.")
    }
    guard formula.response?.label == "value" else {
      throw AnalysisError.invalid("The model for \(spec.indicator) sets \(key), whose chance variance σ²/n is that of the "
        + "mean score itself; its formula's response is '\(formula.response?.label ?? "none")'. Use value ~ … as the "
        + "response, or remove the key.")
    }
    guard indicator.pupilSD != nil else {
      throw AnalysisError.invalid("The model for \(spec.indicator) sets \(key), but the indicator has no pupil_sd in the "
        + "indicator catalogue (the spread of one pupil's score, for a mean score). Add it there, or remove the key.")
    }
  }

  /// Fits τ² and weights `frame`, whose prior weights are the pupils
  /// (the `denominator` column); `check` has passed.
  ///
  /// - Throws: `AnalysisError.invalid` for a row without pupils, or a
  ///   spread no τ² accounts for.
  static func fit(frame: ModelFrame, spec: ContextModelSpec, indicator: Indicator) throws -> RandomEffectsWeighting {
    let key = "sampling_variance = \"\(spec.samplingVariance?.rawValue ?? "")\""
    guard let sigma = indicator.pupilSD, case .values(let y)? = frame.response, let pupils = frame.weights else {
      throw AnalysisError.invalid("The model for \(spec.indicator) sets \(key), which needs a value and its pupils "
        + "(the denominator) for each authority, and the indicator's pupil_sd.")
    }
    if let bad = pupils.firstIndex(where: { !($0 > 0) }) {
      throw AnalysisError.invalid("The model for \(spec.indicator) sets \(key), but the authority on line "
        + "\(frame.lineNumbers[bad]) of its data has \(pupils[bad]) pupils; a mean needs at least one.")
    }
    let v = pupils.map { sigma * sigma / $0 }
    let tau2: Double
    do { tau2 = try MetaRegression.remlTauSquared(design: frame.design, response: y, samplingVariances: v) } catch {
      throw AnalysisError.invalid("The random-effects model for \(spec.indicator) could not be fitted: \(error.localizedDescription)")
    }
    let weighted = frame.reweighted(v.map { 1 / (tau2 + $0) })
    return RandomEffectsWeighting(pupilSD: sigma, tauSquared: tau2,
                                  tauSquaredWithoutContext: BetweenUnitVariance.reml.estimate(y: y, v: v), frame: weighted)
  }
}
