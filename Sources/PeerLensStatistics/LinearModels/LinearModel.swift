import Foundation
import PeerLensNumerics

/// Ordinary and weighted least squares: the specification.
///
/// A `LinearModel` holds only options; `fit` is pure and returns an
/// immutable `LinearModelFit` (scikit-learn's contract, without
/// statsmodels' mutation of the model during fitting).
///
/// ```swift
/// let fit = try LinearModel().fit(design, response: y)
/// print(fit.summary().text)
/// ```
public struct LinearModel: Sendable {
  /// Relative tolerance below which a column counts as aliased
  /// (see `LeastSquares`).
  public var aliasTolerance: Double

  public init(aliasTolerance: Double = LeastSquares.defaultAliasTolerance) {
    self.aliasTolerance = aliasTolerance
  }

  /// Fits `response ~ design` by least squares.
  ///
  /// - Parameters:
  ///   - weights: prior weights (`nil` = all 1). Zero-weight rows are left
  ///     out of the fit but keep their fitted values and residuals, as in
  ///     R's `lm.wfit`.
  ///   - offset: a known component subtracted from the response before fitting.
  /// - Throws: `ModelError` for negative, NaN or all-zero weights, too few
  ///   observations, or non-finite data.
  ///   - lowOrder: low-order parts of the design and response (the data as
  ///     stated, to double-double), used for unweighted fits with no offset:
  ///     see `LeastSquares.solve`.
  public func fit(_ design: DesignMatrix, response: [Double], weights: [Double]? = nil,
                  offset: [Double]? = nil, lowOrder: (x: Matrix, y: [Double])? = nil) throws(ModelError) -> LinearModelFit {
    let n = design.rows, p = design.columns
    guard response.count == n else { throw .dimensionMismatch(what: "response", expected: n, found: response.count) }
    if let w = weights {
      guard w.count == n else { throw .dimensionMismatch(what: "weights", expected: n, found: w.count) }
      if let bad = w.firstIndex(where: { !($0 >= 0) || !$0.isFinite }) { throw .invalidWeight(row: bad, value: w[bad]) }
    }
    if let o = offset, o.count != n { throw .dimensionMismatch(what: "offset", expected: n, found: o.count) }
    if let bad = response.firstIndex(where: { !$0.isFinite }) { throw .nonFiniteResponse(row: bad) }
    try Self.checkMagnitudes(design, response: response)

    let w = weights ?? [Double](repeating: 1, count: n)
    let used = (0..<n).filter { w[$0] > 0 }
    guard !used.isEmpty else { throw .noObservations }
    guard used.count >= p else { throw .tooFewObservations(observations: used.count, parameters: p) }
    let z = (0..<n).map { response[$0] - (offset?[$0] ?? 0) }

    // Transform to an unweighted problem: rows scaled by √w.
    let sw = used.map { w[$0].squareRoot() }
    var x = design.matrix.selectingRows(used)
    for j in 0..<p { for (r, s) in sw.enumerated() { x[r, j] *= s } }
    let zw = used.enumerated().map { z[$0.element] * sw[$0.offset] }

    // Low-order parts apply only where the solved problem is the stated one.
    let low = (weights == nil && offset == nil) ? lowOrder : nil
    let solution: LeastSquaresSolution
    do { solution = try LeastSquares.solve(x, zw, aliasTolerance: aliasTolerance, lowOrder: low) } catch {
      throw .numerical(error)
    }
    guard solution.rank > 0 || p == 0 else { throw .noEstimableCoefficients }
    if used.count < solution.rank { throw .tooFewObservations(observations: used.count, parameters: solution.rank) }

    let beta = solution.coefficients.map { $0 ?? 0 }
    let linear = design.matrix.multiplied(by: beta)
    let fitted = (0..<n).map { linear[$0] + (offset?[$0] ?? 0) }
    // With low-order parts the solver's residuals (in double-double, from
    // the stated data) are the accurate ones; every row is used then.
    let residuals = low != nil ? solution.residuals : (0..<n).map { response[$0] - fitted[$0] }
    var leverage = [Double](repeating: 0, count: n)
    for (r, i) in used.enumerated() { leverage[i] = solution.leverage[r] }

    var fit = LinearModelFit(
      design: design, response: response, weights: weights, offset: offset,
      coefficients: solution.coefficients, aliased: solution.aliased, rank: solution.rank,
      fittedValues: fitted, residuals: residuals, leverage: leverage,
      unscaledCovariance: solution.unscaledCovariance, observationsUsed: used.count,
      conditionNumber: solution.conditionNumber)
    // Only a design this ill-conditioned can have a column R would drop
    // (its pivoted QR keeps a column whose diagonal is at least 1e-7 of the
    // first); the second solve is skipped everywhere else.
    if aliasTolerance < Self.rTolerance && solution.conditionNumber > 1 / Self.rTolerance,
       let r = try? LeastSquares.solve(x, zw, aliasTolerance: Self.rTolerance, details: false, refine: false) {
      fit.aliasedInR = zip(r.aliased, solution.aliased).map { $0 && !$1 }
    }
    return fit
  }

  /// R's `lm` tolerance for aliased columns (`qr(tol = 1e-07)`).
  public static let rTolerance = 1e-7
}

extension LinearModel {
  /// Refuses values whose squares double precision cannot hold (see
  /// `DesignMatrix.representableMagnitudes`); shared with the GLM fits.
  static func checkMagnitudes(_ design: DesignMatrix, response: [Double]) throws(ModelError) {
    if let (name, value, row) = design.columnOutsideRepresentableRange {
      throw .columnOutOfRange(column: name, value: value, row: row)
    }
    let limit = DesignMatrix.representableMagnitudes.upperBound
    if let bad = response.firstIndex(where: { abs($0) > limit }) {
      throw .invalidValue(row: bad, input: .response, value: response[bad],
                          expected: "a value of magnitude at most 1e150 (its square must fit in double precision: rescale the column)")
    }
  }
}

/// Errors fitting a model, with messages for people.
///
/// A row here is a row of the design (0-based), which is not a line of any
/// file: rows with a missing value were dropped before the design was
/// built, and this layer knows nothing of files. A caller that knows where
/// the rows came from names the file, line and column instead
/// (`ModelFrame.locating(_:in:weights:)` in PeerLensData); `row` and
/// `input` are what it needs.
public enum ModelError: Error, LocalizedError, Sendable {
  case dimensionMismatch(what: String, expected: Int, found: Int)
  case invalidWeight(row: Int, value: Double)
  case nonFiniteResponse(row: Int)
  case noObservations
  case noEstimableCoefficients
  case tooFewObservations(observations: Int, parameters: Int)
  case numerical(LinearAlgebraError)
  case invalidResponse(String)
  case invalidOffset(row: Int, value: Double)
  /// A value the family cannot take: in which row and which input, and
  /// what was expected (words that follow "expected").
  case invalidValue(row: Int, input: ModelInput, value: Double, expected: String)
  /// A design column whose values are too large or too small in magnitude
  /// for the fit's squares (`DesignMatrix.representableMagnitudes`), with
  /// the design row of its largest value.
  case columnOutOfRange(column: String, value: Double, row: Int)

  /// The design row and the input a row-level error is about, if it is one.
  public var location: (row: Int, input: ModelInput)? {
    switch self {
    case .invalidWeight(let r, _): return (r, .weights)
    case .nonFiniteResponse(let r): return (r, .response)
    case .invalidOffset(let r, _): return (r, .offset)
    case .invalidValue(let r, let input, _, _): return (r, input)
    default: return nil
    }
  }

  /// What the value at `location` should have been, in words that follow "expected".
  public var expectation: String? {
    switch self {
    case .invalidWeight: return "a finite weight of zero or more"
    case .nonFiniteResponse: return "a finite number"
    case .invalidOffset: return "a finite offset (log of a zero or negative population?)"
    case .invalidValue(_, _, _, let e): return e
    default: return nil
    }
  }

  /// The offending value at `location`, if the error carries it.
  public var value: Double? {
    switch self {
    case .invalidWeight(_, let v), .invalidOffset(_, let v), .invalidValue(_, _, let v, _): return v
    default: return nil
    }
  }

  public var errorDescription: String? {
    switch self {
    case .dimensionMismatch(let what, let e, let f): return "The \(what) has \(f) values but the design has \(e) rows."
    case .invalidWeight(let r, let v): return "Weight \(v) in row \(r + 1) is not allowed: weights must be finite and non-negative."
    case .nonFiniteResponse(let r): return "The response in row \(r + 1) is not a finite number."
    case .noObservations: return "No observations to fit: every weight is zero."
    case .noEstimableCoefficients: return "No coefficient can be estimated: every column of the design is zero or aliased."
    case .tooFewObservations(let n, let p):
      return "Too few observations: \(n) rows for \(p) parameters. A model needs at least as many rows as parameters."
    case .numerical(let e): return e.localizedDescription
    case .invalidResponse(let s): return s
    case .invalidOffset(let r, let v): return "The offset in row \(r + 1) is \(v); offsets must be finite (log of a zero or negative population?)."
    case .invalidValue(let r, let input, let v, let e): return "The \(input.rawValue) in row \(r + 1) is \(v); expected \(e)."
    case .columnOutOfRange(let column, let v, _):
      let large = abs(v) > 1
      // At most 1e300: the literal itself must be a finite double
      // (I(x * 1e320) was suggested, and 1e320 is infinite).
      let power = "1e\(min(300, Int(abs(log10(abs(v))).rounded(.down))))"
      return "The column '\(column)' holds the value \(v), too \(large ? "large" : "small") to fit in double precision: a "
        + "coefficient's variance needs the squares of a column's values, and these \(large ? "overflow" : "underflow"). "
        + "Rescale the column in the formula, as in I(\(column) \(large ? "/" : "*") \(power)), and fit again; "
        + "its coefficient is then \(large ? "multiplied" : "divided") by the same factor."
    }
  }
}

/// The inputs of a fit a row-level `ModelError` can be about.
public enum ModelInput: String, Sendable {
  case response, successes, failures, weights, offset
}
