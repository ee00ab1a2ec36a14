import Foundation

/// Something a user should know about a fit, in plain words. Diagnostics
/// are results, not exceptions: summaries, JSON and packs show them.
public enum ModelDiagnostic: Sendable, Equatable, CustomStringConvertible {
  case didNotConverge(iterations: Int)
  case fittedProbabilitiesZeroOrOne(count: Int)
  case fittedRatesZero(count: Int)
  /// Every response is 0 (or, for proportions, every one is 1).
  case allResponsesAtBoundary(String)
  case thetaVeryLarge(theta: Double)
  case nonIntegerCounts(row: Int, value: Double)
  case aliasedCoefficients(names: [String])
  case largeConditionNumber(Double)
  /// Columns kept here that R's `lm` would report as not estimable.
  case aliasedInR(names: [String])
  case stepHalving
  case observationsDropped(count: Int)

  public var description: String {
    switch self {
    case .didNotConverge(let k):
      return "The fitting algorithm did not converge in \(k) iterations; estimates may be unreliable."
    case .fittedProbabilitiesZeroOrOne(let c):
      return "Fitted probabilities numerically 0 or 1 occurred for \(c) observation(s): the data may be separated (a predictor perfectly predicts the outcome), so some estimates and standard errors are unreliable."
    case .fittedRatesZero(let c):
      return "Fitted rates numerically 0 occurred for \(c) observation(s)."
    case .allResponsesAtBoundary(let what):
      return "The response has no variation to model: \(what), so the fitted values tend to the boundary and the estimates "
        + "to infinity. The coefficients, standard errors and p-values shown are where the iterations stopped, not estimates."
    case .thetaVeryLarge(let t):
      return String(format: "Theta is very large (%.3g): there is no evidence of over-dispersion, and a Poisson model fits as well.", t)
    case .nonIntegerCounts(let r, let v):
      return "The response is not a whole number in row \(r + 1) (\(v)); a count family expects counts. The likelihood and AIC are computed with rounded values."
    case .aliasedCoefficients(let names):
      return "\(names.count) coefficient(s) not defined because of singularities: \(names.joined(separator: ", "))."
    case .largeConditionNumber(let c):
      return String(format: "The condition number is large (%.2e): there may be strong multicollinearity.", c)
    case .aliasedInR(let names):
      return "R's lm, whose tolerance for collinear columns is 1e-7, would report \(names.joined(separator: ", ")) as not defined "
        + "because of singularities (NA) and fit without \(names.count == 1 ? "it" : "them"); PeerLens keeps columns down to 1e-12 "
        + "(NIST's hardest least-squares problem needs it), so these estimates rest on differences near the data's rounding. "
        + "Leave \(names.count == 1 ? "it" : "them") out of the formula to get R's fit."
    case .stepHalving:
      return "Step halving was needed during fitting (the deviance rose or left the valid range)."
    case .observationsDropped(let c):
      return "\(c) observation(s) deleted due to missingness."
    }
  }

  /// A short machine-readable code for JSON output.
  public var code: String {
    switch self {
    case .didNotConverge: return "did_not_converge"
    case .fittedProbabilitiesZeroOrOne: return "fitted_probabilities_0_or_1"
    case .fittedRatesZero: return "fitted_rates_0"
    case .allResponsesAtBoundary: return "all_responses_at_boundary"
    case .thetaVeryLarge: return "theta_very_large"
    case .nonIntegerCounts: return "non_integer_counts"
    case .aliasedCoefficients: return "aliased_coefficients"
    case .largeConditionNumber: return "large_condition_number"
    case .aliasedInR: return "aliased_in_r"
    case .stepHalving: return "step_halving"
    case .observationsDropped: return "observations_dropped"
    }
  }
}
