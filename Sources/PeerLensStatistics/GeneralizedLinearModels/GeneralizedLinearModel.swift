import Foundation
import PeerLensNumerics

/// A generalized linear model specification: family, link and the
/// control of the IRLS loop (R's `glm.control`).
///
/// ```swift
/// let spec = GeneralizedLinearModel(family: .poisson)
/// let fit = try spec.fit(design, response: .counts(y), offset: logPopulation)
/// ```
///
/// IRLS is weighted least squares in a loop (`LeastSquares` each pass),
/// with R's convergence test `|D − D_old| / (|D| + 0.1) < ε` and step
/// halving when the deviance is not finite, μ or η leave their valid
/// range, or the deviance rises. The default ε is 1e-10, far tighter than
/// R's 1e-8, so fits are the maximum-likelihood solution to about 10
/// digits.
public struct GeneralizedLinearModel: Sendable {
  public var family: GLMFamily
  public var link: Link
  public var tolerance: Double
  public var maxIterations: Int
  public var aliasTolerance: Double

  public init(family: GLMFamily, link: Link? = nil, tolerance: Double = 1e-10, maxIterations: Int = 100,
              aliasTolerance: Double = LeastSquares.defaultAliasTolerance) {
    self.family = family
    self.link = link ?? family.canonicalLink
    self.tolerance = tolerance
    self.maxIterations = maxIterations
    self.aliasTolerance = aliasTolerance
  }

  /// The response of a GLM.
  public enum Response: Sendable {
    /// A numeric response (counts, measurements, or 0/1 for the binomial).
    case values([Double])
    /// Binomial successes and failures (`cbind(s, f)` in a formula).
    case binomial(successes: [Double], failures: [Double])
  }

  /// Fits the model by IRLS.
  ///
  /// - Parameters:
  ///   - start: starting coefficients (otherwise R's `mustart`).
  /// - Throws: `ModelError` for invalid responses, weights or offsets.
  ///   - nullDeviance: compute the null deviance (an extra fit when there
  ///     is an offset); intermediate fits inside θ estimation skip it.
  public func fit(_ design: DesignMatrix, response: Response, weights: [Double]? = nil, offset: [Double]? = nil,
                  start: [Double]? = nil, nullDeviance: Bool = true) throws(ModelError) -> GLMFit {
    let n = design.rows
    var y: [Double]
    var priorWeights = weights ?? [Double](repeating: 1, count: n)
    var warnings: [ModelDiagnostic] = []
    switch response {
    case .values(let v):
      guard v.count == n else { throw .dimensionMismatch(what: "response", expected: n, found: v.count) }
      y = v
      if family.isBinomial, let bad = y.firstIndex(where: { $0 < 0 || $0 > 1 }) {
        throw .invalidResponse("A binomial response given as one column must be 0/1 or a proportion in [0, 1]; row \(bad + 1) has \(y[bad]). For counts use cbind(successes, failures).")
      }
    case .binomial(let s, let f):
      guard s.count == n, f.count == n else { throw .dimensionMismatch(what: "response", expected: n, found: s.count) }
      if let bad = (0..<n).first(where: { s[$0] < 0 || f[$0] < 0 }) {
        throw .invalidResponse("Binomial counts must be non-negative; row \(bad + 1) has \(s[bad]) successes and \(f[bad]) failures.")
      }
      y = (0..<n).map { s[$0] + f[$0] > 0 ? s[$0] / (s[$0] + f[$0]) : 0 }
      priorWeights = (0..<n).map { priorWeights[$0] * (s[$0] + f[$0]) }
    }
    if let bad = y.firstIndex(where: { !$0.isFinite }) { throw .nonFiniteResponse(row: bad) }
    if let bad = priorWeights.firstIndex(where: { !($0 >= 0) || !$0.isFinite }) {
      throw .invalidWeight(row: bad, value: priorWeights[bad])
    }
    if let o = offset {
      guard o.count == n else { throw .dimensionMismatch(what: "offset", expected: n, found: o.count) }
      if let bad = o.firstIndex(where: { !$0.isFinite }) { throw .invalidOffset(row: bad, value: o[bad]) }
    }
    if family.isCount {
      if let bad = y.firstIndex(where: { $0 < 0 }) {
        throw .invalidResponse("Counts must be non-negative; row \(bad + 1) has \(y[bad]).")
      }
      if let bad = y.firstIndex(where: { $0 != $0.rounded() }) {
        warnings.append(.nonIntegerCounts(row: bad, value: y[bad]))
      }
    }
    let usedRows = priorWeights.filter { $0 > 0 }.count
    guard usedRows >= design.columns else {
      throw .tooFewObservations(observations: usedRows, parameters: design.columns)
    }
    let off = offset ?? [Double](repeating: 0, count: n)
    let result = try irls(design, y: y, priorWeights: priorWeights, offset: off, start: start, details: nullDeviance)
    return GLMFit.assemble(spec: self, design: design, y: y, priorWeights: priorWeights, offset: offset,
                           state: result, warnings: warnings, computeNullDeviance: nullDeviance)
  }

  /// The state at the end of IRLS.
  struct IRLSState {
    var coefficients: [Double?]
    var aliased: [Bool]
    var rank: Int
    var eta: [Double]
    var mu: [Double]
    var deviance: Double
    var iterations: Int
    var converged: Bool
    var boundary: Bool
    var workingWeights: [Double]
    var unscaledCovariance: Matrix
    var leverage: [Double]
    var conditionNumber: Double
  }

  func irls(_ design: DesignMatrix, y: [Double], priorWeights w: [Double], offset: [Double],
            start: [Double]?, details: Bool = true) throws(ModelError) -> IRLSState {
    let n = design.rows, p = design.columns
    var eta: [Double]
    var mu: [Double]
    if let s = start {
      let lin = design.matrix.multiplied(by: s)
      eta = (0..<n).map { lin[$0] + offset[$0] }
      mu = eta.map(link.inverse)
    } else {
      mu = (0..<n).map { family.startingMu(y[$0], w[$0]) }
      eta = mu.map(link.link)
    }
    func deviance(_ mu: [Double]) -> Double {
      Compensated.sum((0..<n).map { family.devianceResidual(y[$0], mu[$0], w[$0]) })
    }
    var devOld = deviance(mu)
    var beta = [Double](repeating: 0, count: p)
    var betaOld: [Double]? = start
    var solution: LeastSquaresSolution? = nil
    var converged = false, boundary = false
    var iter = 0
    var good: [Int] = []
    var ww: [Double] = []
    while iter < maxIterations {
      iter += 1
      // Working response and weights on the rows with positive weight.
      let me = eta.map(link.muEta)
      good = (0..<n).filter { w[$0] > 0 && me[$0] != 0 }
      ww = [Double](repeating: 0, count: n)
      var x = design.matrix.selectingRows(good)
      var z = [Double](repeating: 0, count: good.count)
      for (r, i) in good.enumerated() {
        let wi = (w[i] * me[i] * me[i] / family.variance(mu[i])).squareRoot()
        ww[i] = wi * wi
        z[r] = ((eta[i] - offset[i]) + (y[i] - mu[i]) / me[i]) * wi
        for j in 0..<p { x[r, j] *= wi }
      }
      let sol: LeastSquaresSolution
      do { sol = try LeastSquares.solve(x, z, aliasTolerance: aliasTolerance, details: false) } catch {
        throw .numerical(error)
      }
      solution = sol
      beta = sol.coefficients.map { $0 ?? 0 }
      var lin = design.matrix.multiplied(by: beta)
      eta = (0..<n).map { lin[$0] + offset[$0] }
      mu = eta.map(link.inverse)
      var dev = deviance(mu)
      // Step halving: non-finite deviance, invalid μ/η, or a rising deviance.
      func invalid() -> Bool {
        !dev.isFinite || !mu.allSatisfy(family.validMu) || !eta.allSatisfy(link.validEta)
      }
      if let old = betaOld, invalid() || (iter > 1 && dev > devOld * (1 + 1e-12) + 1e-12) {
        var halvings = 0
        while (invalid() || dev > devOld * (1 + 1e-12) + 1e-12) && halvings < 40 {
          halvings += 1
          beta = (0..<p).map { (beta[$0] + old[$0]) / 2 }
          lin = design.matrix.multiplied(by: beta)
          eta = (0..<n).map { lin[$0] + offset[$0] }
          mu = eta.map(link.inverse)
          dev = deviance(mu)
        }
        boundary = true
        if invalid() { break }
      }
      if abs(dev - devOld) / (abs(dev) + 0.1) < tolerance {
        converged = true
        devOld = dev
        break
      }
      devOld = dev
      betaOld = beta
    }
    // Final working weights at the converged μ, for standard errors.
    let me = eta.map(link.muEta)
    good = (0..<n).filter { w[$0] > 0 && me[$0] != 0 }
    ww = [Double](repeating: 0, count: n)
    var x = design.matrix.selectingRows(good)
    for (r, i) in good.enumerated() {
      let wi = (w[i] * me[i] * me[i] / family.variance(mu[i])).squareRoot()
      ww[i] = wi * wi
      for j in 0..<p { x[r, j] *= wi }
    }
    let fin: LeastSquaresSolution
    do {
      // Intermediate fits (inside θ estimation) need no covariance.
      fin = details || solution == nil
        ? try LeastSquares.solve(x, [Double](repeating: 0, count: good.count), aliasTolerance: aliasTolerance)
        : solution!
    } catch { throw .numerical(error) }
    var leverage = [Double](repeating: 0, count: n)
    for (r, i) in good.enumerated() { leverage[i] = fin.leverage[r] }
    let aliased = solution?.aliased ?? fin.aliased
    return IRLSState(
      coefficients: (0..<p).map { aliased[$0] ? nil : beta[$0] }, aliased: aliased, rank: fin.rank,
      eta: eta, mu: mu, deviance: devOld, iterations: iter, converged: converged, boundary: boundary,
      workingWeights: ww, unscaledCovariance: fin.unscaledCovariance, leverage: leverage,
      conditionNumber: fin.conditionNumber)
  }
}
