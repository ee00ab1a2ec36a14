import Foundation
import PeerLensData
import PeerLensNumerics
import PeerLensStatistics

/// The family names users write (`--family`, model spec files).
public enum FamilyName: String, Sendable, CaseIterable, Codable {
  case gaussian, poisson, quasipoisson, binomial, quasibinomial
  case negativeBinomial = "negative-binomial"

  /// The links the family takes, as R's family functions take them
  /// (`binomial()` logit, probit, cloglog, log; `poisson()` and MASS's
  /// `glm.nb` log, identity, sqrt; `gaussian()` identity, log, inverse),
  /// with the identity link kept for the binomial (the linear probability
  /// model). A sqrt or inverse link gives a binomial probability no bound
  /// and a logit a count no meaning; the quasi families take any, as R's do.
  public var links: [Link]? {
    switch self {
    case .binomial: return [.logit, .probit, .cloglog, .log, .identity]
    case .poisson, .negativeBinomial: return [.log, .identity, .sqrt]
    case .gaussian: return [.identity, .log, .inverse]
    case .quasipoisson, .quasibinomial: return nil
    }
  }
}

/// A linear or generalized linear fit behind one interface, so commands
/// and reports handle both alike.
public enum FittedModel: Sendable {
  case linear(LinearModelFit)
  case generalized(GLMFit)

  /// Fits a model frame: least squares for the Gaussian family with the
  /// identity link, IRLS otherwise, with θ estimated for the negative
  /// binomial.
  /// - Parameter table: the table the frame came from; a linear model then
  ///   solves the data as stated in decimal (see `ModelFrame.lowOrderParts`).
  public static func fit(frame: ModelFrame, family: FamilyName, link: Link? = nil, table: CSVTable? = nil) throws -> FittedModel {
    try fit(frame: frame, family: family, link: link, table: table, startingFrom: nil)
  }

  /// A refit of `frame` (usually the full fit's frame less some rows)
  /// started from `full`'s solution, for its predictions only: no null
  /// deviance, covariance, leverages or θ standard error.
  ///
  /// Why: leave-one-out skill and coverage refit the model once per
  /// authority. Each refit's maximum is a step or two from the full fit's,
  /// so starting there (and, for the negative binomial, from its θ)
  /// skips the Poisson start and most of the alternation, and reaches the
  /// same maximum to the convergence tolerance. Least squares has no
  /// iterations and is fitted as usual.
  public static func refit(frame: ModelFrame, family: FamilyName, link: Link? = nil,
                           startingFrom full: FittedModel) throws -> FittedModel {
    try fit(frame: frame, family: family, link: link, table: nil, startingFrom: full)
  }

  /// A binomial refit of `frame` by at most `steps` IRLS (Fisher scoring)
  /// steps from `full`'s solution, for a parametric bootstrap's
  /// resamples.
  ///
  /// Why: a resample's maximum is within sampling error of the full fit's,
  /// and Fisher scoring converges quickly from there: what two steps leave
  /// is about a thousandth of the resampling spread of each fitted
  /// proportion (one step leaves about a fifth; `BootstrapRefitTests`),
  /// where the third step, taken to confirm convergence at 1e-8, cost a
  /// third of each resample's fit. On the national run this moves 52 of
  /// 7,896 rank-interval ends by one or two places, where another seed
  /// moves 4,588 of them by up to 13: far inside the Monte Carlo error.
  /// Bootstrapping GLMs with a few steps from the full estimate is Moulton
  /// and Zeger's (1991, "Bootstrapping generalized linear models", CSDA
  /// 11:53). Other families refit to convergence, as `refit` does.
  public static func bootstrapRefit(frame: ModelFrame, family: FamilyName, link: Link? = nil,
                                    startingFrom full: FittedModel, steps: Int = 2) throws -> FittedModel {
    guard case .binomial(let s, let f)? = frame.response, family == .binomial || family == .quasibinomial,
          case .generalized(let g) = full else {
      return try refit(frame: frame, family: family, link: link, startingFrom: full)
    }
    let glm = GeneralizedLinearModel(family: family == .binomial ? .binomial : .quasiBinomial, link: link,
                                     tolerance: refitTolerance, maxIterations: steps)
    return .generalized(try glm.fit(frame.design, response: .binomial(successes: s, failures: f), weights: frame.weights,
                                    offset: frame.offset, start: g.coefficients.map { $0 ?? 0 }, nullDeviance: false))
  }

  /// The refits stop at R's `glm.control` tolerance (1e-8, what `glm` and
  /// `MASS::glm.nb` use), not the 1e-10 of a reported fit: a refit gives
  /// one prediction, which moves by far less than the digits shown of any
  /// leave-one-out figure, and the tighter tolerance cost the negative
  /// binomial two more θ updates per refit.
  public static let refitTolerance = 1e-8

  /// One dispatch on family and response for fits and refits: a refit
  /// (`full` given) differs only in its start, tolerance and detail.
  private static func fit(frame: ModelFrame, family: FamilyName, link: Link?, table: CSVTable?,
                          startingFrom full: FittedModel?) throws -> FittedModel {
    guard let response = frame.response else { throw FormulaError.missingResponse(formula: frame.formula.text) }
    if let link, let allowed = family.links, !allowed.contains(link) {
      throw ModelError.invalidResponse("The \(family.rawValue) family does not take the \(link.rawValue) link (R's glm refuses it too); "
        + "its links are \(allowed.map(\.rawValue).joined(separator: ", ")).")
    }
    var start: [Double]? = nil, theta: Double? = nil
    if case .generalized(let g)? = full {
      start = g.coefficients.map { $0 ?? 0 }
      theta = g.theta.flatMap { $0.isFinite ? $0 : nil }
    }
    let detailed = full == nil
    let tolerance = detailed ? 1e-10 : refitTolerance  // 1e-10: the IRLS and glm.nb defaults of a reported fit
    switch response {
    case .binomial(let s, let f):
      guard family == .binomial || family == .quasibinomial else {
        throw ModelError.invalidResponse("cbind(successes, failures) is a binomial response: use the binomial or quasibinomial family.")
      }
      let glm = GeneralizedLinearModel(family: family == .binomial ? .binomial : .quasiBinomial, link: link, tolerance: tolerance)
      return .generalized(try glm.fit(frame.design, response: .binomial(successes: s, failures: f),
                                      weights: frame.weights, offset: frame.offset, start: start, nullDeviance: detailed))
    case .values(let y):
      switch family {
      case .gaussian where link == nil || link == .identity:
        return .linear(try LinearModel().fit(frame.design, response: y, weights: frame.weights, offset: frame.offset,
                                             lowOrder: table.flatMap { frame.lowOrderParts(table: $0) }))
      case .negativeBinomial:
        return .generalized(try NegativeBinomialModel(link: link ?? .log, tolerance: tolerance).fit(
          frame.design, response: y, weights: frame.weights, offset: frame.offset,
          start: start.flatMap { s in theta.map { (s, $0) } }, details: detailed))
      default:
        let f: GLMFamily
        switch family {
        case .gaussian: f = .gaussian
        case .poisson: f = .poisson
        case .quasipoisson: f = .quasiPoisson
        case .binomial: f = .binomial
        case .quasibinomial: f = .quasiBinomial
        case .negativeBinomial: f = .poisson
        }
        return .generalized(try GeneralizedLinearModel(family: f, link: link, tolerance: tolerance).fit(
          frame.design, response: .values(y), weights: frame.weights, offset: frame.offset,
          start: start, nullDeviance: detailed))
      }
    }
  }

  /// Whether the model is binomial or quasi-binomial (a proportion).
  public var isBinomialFamily: Bool {
    if case .generalized(let g) = self { return g.family == .binomial || g.family == .quasiBinomial }
    return false
  }

  public var coefficientNames: [String] {
    switch self {
    case .linear(let f): return f.coefficientNames
    case .generalized(let g): return g.coefficientNames
    }
  }

  /// θ of a negative-binomial fit (nil for other families).
  /// Cook's distance of each row, as R's `cooks.distance` for `lm` and `glm`.
  public var cooksDistance: [Double] {
    switch self {
    case .linear(let f): return f.cooksDistance
    case .generalized(let g): return g.cooksDistance
    }
  }

  public var theta: Double? {
    if case .generalized(let g) = self { return g.theta }
    return nil
  }

  public var coefficients: [Double?] {
    switch self {
    case .linear(let f): return f.coefficients
    case .generalized(let g): return g.coefficients
    }
  }

  public var standardErrors: [Double?] {
    switch self {
    case .linear(let f): return f.standardErrors
    case .generalized(let g): return g.standardErrors
    }
  }

  public var pValues: [Double?] {
    switch self {
    case .linear(let f): return f.pValues
    case .generalized(let g): return g.pValues
    }
  }

  /// R² for least squares; deviance explained (1 − D/D₀) for GLMs.
  public var pseudoRSquared: Double {
    switch self {
    case .linear(let f): return f.rSquared
    case .generalized(let g): return g.devianceExplained
    }
  }

  public var aic: Double? {
    switch self {
    case .linear(let f): return f.aic
    case .generalized(let g): return g.aic
    }
  }

  public var diagnostics: [String] {
    switch self {
    case .linear(let f):
      let aliased = (0..<f.aliased.count).filter { f.aliased[$0] }.map { f.coefficientNames[$0] }
      return aliased.isEmpty ? [] : [ModelDiagnostic.aliasedCoefficients(names: aliased).description]
    case .generalized(let g): return g.diagnostics.map(\.description)
    }
  }

  /// The R-style summary text.
  public func summaryText(formula: String, dropped: Int, weighted: Bool) -> String {
    switch self {
    case .linear(let f): return f.summary(formula: formula, weighted: weighted, dropped: dropped).text
    case .generalized(let g): return g.summary(formula: formula, dropped: dropped).text
    }
  }
}
