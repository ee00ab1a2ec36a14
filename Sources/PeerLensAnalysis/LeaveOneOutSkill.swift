import Foundation
import PeerLensData
import PeerLensNumerics
import PeerLensStatistics

/// Out-of-sample skill of a contextual model: each authority is predicted
/// by the model refitted without it, and scored against the pooled value
/// of the other authorities (what a reader would assume with no context).
///
/// In-sample deviance explained always rewards extra terms; a model whose
/// leave-one-out skill is at or below zero predicts an authority worse
/// than England-like pooling does, so the pack must not present its
/// "expected" value as a finding (issue 24.1).
///
/// skill = 1 − Σ d(yᵢ, μ₋ᵢ) / Σ d(yᵢ, μ̄₋ᵢ), with d the unit deviance of the
/// model's family (squared error for least squares) and μ̄₋ᵢ the
/// intercept-only model fitted to the others: the leave-one-out form of
/// the in-sample deviance explained. For the negative binomial both sums
/// use the full fit's θ, so the two are on one scale.
public struct LeaveOneOutSkill: Sendable, Equatable {
  /// Leave-one-out deviance explained (`loo_deviance_explained`, `context_skill`).
  public let devianceExplained: Double
  /// μ₋ᵢ for each row of the model frame, on the model's mean scale
  /// (proportion for binomial models, count for count models).
  public let predictions: [Double]
  /// μ̄₋ᵢ: the pooled value of the other authorities, on the same scale.
  public let pooled: [Double]
  /// Each row's position against the prediction limits of the model
  /// refitted without it ("within", "above_95", …; nil when the limits
  /// could not be computed): leave-one-out coverage (issue 17.5). Empty
  /// from the shortcut.
  public var positions: [String?] = []
  /// The rows with the largest Cook's distance, and the other rows whose
  /// position changes when the model is refitted without each (issue 17.5).
  public var influence: [Influence] = []

  /// One influential authority: its row, Cook's distance, and the rows
  /// whose position (within, outside 95%, outside 99.8%) differs between
  /// the full fit and the fit without it.
  public struct Influence: Sendable, Equatable {
    public let row: Int
    public let cooksDistance: Double
    public let changedRows: [Int]
  }

  /// How many influential authorities are checked by refitting without them.
  public static let influentialChecked = 3

  /// Exact refits, one per row, run across all cores. The result does not
  /// depend on scheduling: each refit is deterministic and written to its
  /// own slot.
  ///
  /// Each refit also judges its left-out authority against its own
  /// prediction limits (`positions`), and for the `influentialChecked`
  /// rows with the largest Cook's distance, every other authority too
  /// (`influence`): the same refits give coverage and influence at no
  /// extra fitting cost.
  /// - Parameter logitNormalTau2: the full fit's between-authority variance
  ///   on the logit scale (quasi-binomial models; see ``RowPrediction``).
  /// - Parameter coverage: also judge positions and influence; `false`
  ///   gives the skill alone (the explorer's workbench shows no more).
  public static func exact(frame: ModelFrame, family: FamilyName, link: Link?,
                           fitted: FittedModel, logitNormalTau2: Double? = nil,
                           coverage: Bool = true) throws -> LeaveOneOutSkill {
    let n = frame.design.rows
    guard n >= 3 else { throw AnalysisError.invalid("Leave-one-out skill needs at least three authorities in the model.") }
    let all = Array(0..<n)
    let x = frame.design.matrix
    let full = coverage ? (0..<n).map { RowPrediction.position(row: $0, frame: frame, model: fitted, full: fitted,
                                                               logitNormalTau2: logitNormalTau2) } : []
    let cooks = fitted.cooksDistance
    let influential = coverage ? Set(all.filter { cooks[$0].isFinite }.sorted { (cooks[$0], $1) > (cooks[$1], $0) }
      .prefix(influentialChecked)) : []
    let box = ResultBox(count: n)
    DispatchQueue.concurrentPerform(iterations: n) { i in
      var rows = all
      rows.remove(at: i)
      do {
        let fold = try FittedModel.refit(frame: frame.selectingRows(rows), family: family, link: link, startingFrom: fitted)
        var eta = frame.offset?[i] ?? 0
        let beta = fold.coefficients
        for a in 0..<beta.count { if let b = beta[a] { eta += x[i, a] * b } }
        let mu: Double
        switch fold {
        case .linear: mu = eta
        case .generalized(let g): mu = g.link.inverse(eta)
        }
        let position = coverage ? RowPrediction.position(row: i, frame: frame, model: fold, full: fitted,
                                                         logitNormalTau2: logitNormalTau2) : nil
        var changed: [Int] = []
        if influential.contains(i) {
          for j in all where j != i {
            let p = RowPrediction.position(row: j, frame: frame, model: fold, full: fitted, logitNormalTau2: logitNormalTau2)
            if p != full[j] { changed.append(j) }
          }
        }
        box.set(i, .success(Fold(mu: mu, position: position, changed: changed)))
      } catch {
        box.set(i, .failure(error))
      }
    }
    var predictions = [Double](repeating: .nan, count: n)
    var positions = [String?](repeating: nil, count: n)
    var changedBy: [Int: [Int]] = [:]
    for i in 0..<n {
      switch box.values[i] {
      case .success(let f)?:
        predictions[i] = f.mu
        positions[i] = f.position
        if influential.contains(i) { changedBy[i] = f.changed }
      case .failure(let e)?: throw e
      case nil: throw AnalysisError.invalid("Leave-one-out refit \(i + 1) did not run.")
      }
    }
    var result = score(fitted: fitted, predictions: predictions)
    guard coverage else { return result }
    result.positions = positions
    result.influence = influential.sorted { (cooks[$0], $1) > (cooks[$1], $0) }.map {
      Influence(row: $0, cooksDistance: cooks[$0], changedRows: changedBy[$0] ?? [])
    }
    return result
  }

  /// One refit's results.
  struct Fold {
    let mu: Double
    let position: String?
    let changed: [Int]
  }

  /// The one-step ("linear") shortcut: for least squares the exact
  /// leave-one-out residual eᵢ/(1 − hᵢᵢ); for a GLM one IRLS step from the
  /// full fit, ηᵢ − hᵢᵢ zᵢ/(1 − hᵢᵢ) with zᵢ the working residual. Cheap,
  /// and a check on the refits (tests compare the two).
  public static func shortcut(fitted: FittedModel) -> LeaveOneOutSkill {
    switch fitted {
    case .linear(let f):
      let p = (0..<f.response.count).map { i in f.response[i] - f.residuals[i] / (1 - f.leverage[i]) }
      return score(fitted: fitted, predictions: p)
    case .generalized(let g):
      let z = g.workingResiduals
      let p = (0..<g.y.count).map { i in
        g.link.inverse(g.linearPredictor[i] - g.leverage[i] * z[i] / (1 - g.leverage[i]))
      }
      return score(fitted: fitted, predictions: p)
    }
  }

  /// The others' pooled rate for a negative binomial with exposures: the
  /// rate r maximising Σⱼ≠ᵢ wⱼ log NB(yⱼ; r·Eⱼ, θ) at the full fit's θ,
  /// by Newton's method in log r from the ratio of sums.
  ///
  /// Why not the ratio of sums itself: that is the Poisson maximum. Under
  /// the negative binomial's deviance, with strong over-dispersion (small
  /// θ), it sits well away from the best single rate (which weighs
  /// authorities more equally), so scoring against it credited context
  /// with what the model's intercept alone does: unaccompanied children
  /// starting care scored 0.13 out of sample beside 0.01 in sample. The
  /// in-sample share (R's null deviance) uses the intercept-only maximum;
  /// so does this, without the authority.
  static func negativeBinomialPooledRate(y: [Double], w: [Double], exposure: [Double], theta: Double,
                                         leaving i: Int, start: Double) -> Double {
    var b = log(start)
    for _ in 0..<50 {
      var score = 0.0, information = 0.0
      for j in y.indices where j != i && w[j] > 0 {
        let mu = exp(b) * exposure[j]
        score += w[j] * theta * (y[j] - mu) / (mu + theta)
        information += w[j] * theta * mu * (y[j] + theta) / ((mu + theta) * (mu + theta))
      }
      guard information > 0, score.isFinite else { break }
      let step = max(-2, min(2, score / information))
      b += step
      if abs(step) < 1e-13 { break }
    }
    return exp(b)
  }

  /// Scores predictions against the pooled value of the other rows.
  static func score(fitted: FittedModel, predictions: [Double]) -> LeaveOneOutSkill {
    let y: [Double], w: [Double], offset: [Double]?
    let unit: (Double, Double, Double) -> Double
    var logLink = false
    switch fitted {
    case .linear(let f):
      y = f.response
      w = f.weights ?? [Double](repeating: 1, count: y.count)
      offset = f.offset
      unit = { y, mu, w in w * (y - mu) * (y - mu) }
    case .generalized(let g):
      y = g.y
      w = g.priorWeights
      offset = g.offset
      let family: GLMFamily
      switch g.family {
      case .quasiPoisson: family = .poisson
      case .quasiBinomial: family = .binomial
      case .gaussian where g.link == .identity: family = .gaussian
      default: family = g.family
      }
      unit = { y, mu, w in family.devianceResidual(y, mu, w) }
      logLink = g.link == .log
    }
    var theta: Double? = nil
    if case .generalized(let g) = fitted, case .negativeBinomial(let t) = g.family, t.isFinite, t > 0 { theta = t }
    let n = y.count
    // Pooled value of the others: for a log link with an offset, the
    // ratio of sums (the pooled rate) times the authority's exposure;
    // otherwise the weighted mean of the others (for a binomial, Σs/Σn).
    // Each is the maximum-likelihood fit of the intercept-only model to the
    // others, the null model of the in-sample deviance explained, except
    // for the negative binomial with an offset (below).
    let exposure = offset.map { o in logLink ? o.map(Foundation.exp) : [Double](repeating: 1, count: n) }
    let additive = offset.flatMap { o in logLink ? nil : o }
    var sumW = 0.0, sumWY = 0.0, sumE = 0.0
    for i in 0..<n {
      let yi = y[i] - (additive?[i] ?? 0)
      sumW += w[i]; sumWY += w[i] * yi; sumE += w[i] * (exposure?[i] ?? 1)
    }
    var pooled = [Double](repeating: .nan, count: n)
    var dModel = 0.0, dPooled = 0.0
    for i in 0..<n where w[i] > 0 {
      let yi = y[i] - (additive?[i] ?? 0)
      var rest = (sumWY - w[i] * yi) / (exposure == nil ? (sumW - w[i]) : (sumE - w[i] * exposure![i]))
      if let theta, let exposure, rest > 0 {
        rest = negativeBinomialPooledRate(y: y, w: w, exposure: exposure, theta: theta, leaving: i, start: rest)
      }
      pooled[i] = rest * (exposure?[i] ?? 1) + (additive?[i] ?? 0)
      dModel += unit(y[i], predictions[i], w[i])
      dPooled += unit(y[i], pooled[i], w[i])
    }
    return LeaveOneOutSkill(devianceExplained: 1 - dModel / dPooled, predictions: predictions, pooled: pooled)
  }

  /// One slot per refit, written from concurrent iterations.
  private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [Result<Fold, any Error>?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: Result<Fold, any Error>) {
      lock.lock(); values[i] = r; lock.unlock()
    }
  }
}
