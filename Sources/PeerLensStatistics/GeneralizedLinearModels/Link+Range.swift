extension Link {
  /// The fitted values μ = g⁻¹(η) the link can give, in words that follow
  /// "fitted values lie" (or "are"), or nil when any real number will do.
  ///
  /// Why: IRLS starts from μ near the response (R's `mustart`), and a
  /// response outside this range has no η = g(μ) (the logit of 1.5, the
  /// log of −1), so the first weighted least-squares pass met NaN and the
  /// fit failed in the words of linear algebra. The range lets the refusal
  /// say what the link needs instead. `sqrt` asks for μ above 0, not 0 or
  /// more, as R's `valideta` for it asks for η > 0.
  public var fittedRange: String? {
    switch self {
    case .identity: return nil
    case .log, .sqrt: return "above 0"
    case .logit, .probit, .cloglog: return "between 0 and 1"
    case .inverse: return "other than 0"
    }
  }
}
