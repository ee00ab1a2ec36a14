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
  ///     is an offset), the covariance and the leverages; intermediate
  ///     fits (inside θ estimation, leave-one-out refits) skip them.
  public func fit(_ design: DesignMatrix, response: Response, weights: [Double]? = nil, offset: [Double]? = nil,
                  start: [Double]? = nil, nullDeviance: Bool = true) throws(ModelError) -> GLMFit {
    let (y, priorWeights, warnings) = try checked(design, response: response, weights: weights, offset: offset)
    let off = offset ?? [Double](repeating: 0, count: design.rows)
    let result = try irls(design, y: y, priorWeights: priorWeights, offset: off, start: start, details: nullDeviance)
    return GLMFit.assemble(spec: self, design: design, y: y, priorWeights: priorWeights, offset: offset,
                           state: result, warnings: warnings, computeNullDeviance: nullDeviance)
  }

  /// The response as proportions or values with the prior weights (trials
  /// folded in for a binomial response), after every check `fit` makes:
  /// sizes, finiteness, ranges, and enough observations for the columns.
  func checked(_ design: DesignMatrix, response: Response, weights: [Double]?, offset: [Double]?)
    throws(ModelError) -> (y: [Double], priorWeights: [Double], warnings: [ModelDiagnostic]) {
    let n = design.rows
    var y: [Double]
    var priorWeights = weights ?? [Double](repeating: 1, count: n)
    var warnings: [ModelDiagnostic] = []
    switch response {
    case .values(let v):
      guard v.count == n else { throw .dimensionMismatch(what: "response", expected: n, found: v.count) }
      y = v
      if family.isBinomial, let bad = y.firstIndex(where: { $0 < 0 || $0 > 1 }) {
        throw .invalidValue(row: bad, input: .response, value: y[bad],
                            expected: "0 or 1, or a proportion from 0 to 1, for a binomial response given as one column (for counts use cbind(successes, failures))")
      }
    case .binomial(let s, let f):
      guard s.count == n, f.count == n else { throw .dimensionMismatch(what: "response", expected: n, found: s.count) }
      if let bad = (0..<n).first(where: { s[$0] < 0 || f[$0] < 0 }) {
        let successes = s[bad] < 0
        throw .invalidValue(row: bad, input: successes ? .successes : .failures, value: successes ? s[bad] : f[bad],
                            expected: "a count of zero or more (\(successes ? "successes" : "failures") in cbind(successes, failures))")
      }
      y = (0..<n).map { s[$0] + f[$0] > 0 ? s[$0] / (s[$0] + f[$0]) : 0 }
      priorWeights = (0..<n).map { priorWeights[$0] * (s[$0] + f[$0]) }
    }
    if let bad = y.firstIndex(where: { !$0.isFinite }) { throw .nonFiniteResponse(row: bad) }
    try LinearModel.checkMagnitudes(design, response: y)
    if let bad = priorWeights.firstIndex(where: { !($0 >= 0) || !$0.isFinite }) {
      throw .invalidWeight(row: bad, value: priorWeights[bad])
    }
    if let o = offset {
      guard o.count == n else { throw .dimensionMismatch(what: "offset", expected: n, found: o.count) }
      if let bad = o.firstIndex(where: { !$0.isFinite }) { throw .invalidOffset(row: bad, value: o[bad]) }
    }
    if family.isCount {
      if let bad = y.firstIndex(where: { $0 < 0 }) {
        throw .invalidValue(row: bad, input: .response, value: y[bad],
                            expected: "a count of zero or more (the \(family.name) family models counts)")
      }
      if let bad = y.firstIndex(where: { $0 != $0.rounded() }) {
        warnings.append(.nonIntegerCounts(row: bad, value: y[bad]))
      }
    }
    let usedRows = priorWeights.filter { $0 > 0 }.count
    guard usedRows >= design.columns else {
      throw .tooFewObservations(observations: usedRows, parameters: design.columns)
    }
    return (y, priorWeights, warnings)
  }

  /// What a response must be for the link to start from it, in words that
  /// follow "expected": the link, the range of its fitted values, and the
  /// starting value the family takes from the response.
  var startExpectation: String {
    let start: String
    switch family {
    case .gaussian: start = "the response itself"
    case .poisson, .quasiPoisson: start = "the response plus 0.1"
    case .negativeBinomial: start = "the response (1/6 for a zero)"
    case .binomial, .quasiBinomial: start = "(weight × response + 0.5) / (weight + 1)"
    }
    return "a response the \(link.rawValue) link can fit: its fitted values lie \(link.fittedRange ?? "anywhere"), "
      + "and a \(family.name) fit starts from \(start)"
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
    let family = self.family, link = self.link
    // The intercept-only model (the null deviance's fit) is weighted least
    // squares on a column of ones: its solution is the weighted mean of
    // the working response, so no factorization is needed.
    let onesOnly = p == 1 && design.matrix.storage.allSatisfy { $0 == 1 }
    var eta = [Double](repeating: 0, count: n)
    var mu = [Double](repeating: 0, count: n)
    if let s = start {
      let lin = design.matrix.multiplied(by: s)
      for i in 0..<n { eta[i] = lin[i] + offset[i]; mu[i] = link.inverse(eta[i]) }
    } else {
      for i in 0..<n { mu[i] = family.startingMu(y[i], w[i]); eta[i] = link.link(mu[i]) }
      // A response the link cannot start from (the logit of 1.5, the log of
      // −1) is named by its row, not met later as NaN in the first pass.
      // Rows of zero weight are left out of every pass, so they may hold anything.
      if let bad = (0..<n).first(where: { w[$0] > 0 && !link.validEta(eta[$0]) }) {
        throw .invalidValue(row: bad, input: .response, value: y[bad], expected: startExpectation)
      }
    }
    /// The deviance, summed with Neumaier's compensation (no temporary array).
    func deviance(_ mu: [Double]) -> Double {
      var s = 0.0, comp = 0.0
      for i in 0..<n {
        let (t, e) = Compensated.twoSum(s, family.devianceResidual(y[i], mu[i], w[i]))
        s = t
        comp += e
      }
      return s + comp
    }
    /// η = Xβ + offset and μ = g⁻¹(η), in place.
    func update(_ beta: [Double]) {
      let lin = design.matrix.multiplied(by: beta)
      for i in 0..<n { eta[i] = lin[i] + offset[i]; mu[i] = link.inverse(eta[i]) }
    }
    func invalid(_ dev: Double) -> Bool {
      !dev.isFinite || !mu.allSatisfy(family.validMu) || !eta.allSatisfy(link.validEta)
    }
    var devOld = deviance(mu)
    var beta = [Double](repeating: 0, count: p)
    var betaOld: [Double]? = start
    var aliased = [Bool](repeating: false, count: p)
    var rank = p
    var solved = false
    var converged = false, boundary = false
    var iter = 0
    var good: [Int] = []
    good.reserveCapacity(n)
    var ww = [Double](repeating: 0, count: n)
    var muEta = [Double](repeating: 0, count: n)
    /// Working weights at the current μ on the rows with positive weight;
    /// fills `good` and `ww`, and returns the weighted design √W X and the
    /// weighted working response √W z.
    func weightedDesign() -> (x: Matrix, z: [Double]) {
      good.removeAll(keepingCapacity: true)
      for i in 0..<n {
        ww[i] = 0
        guard w[i] > 0 else { continue }
        // For the log link dμ/dη is μ itself (the same clamped exp(η)).
        let me = link == .log ? mu[i] : link.muEta(eta[i])
        muEta[i] = me
        guard me != 0 else { continue }
        good.append(i)
        ww[i] = w[i] * me * me / family.variance(mu[i])
      }
      let m = good.count
      // √wᵢ once per row, not once per column: the same doubles, with a
      // p-th of the square roots (each fit and refit of the national run
      // passes through here a few times).
      let root = good.map { ww[$0].squareRoot() }
      var storage = [Double](repeating: 0, count: m * p)
      design.matrix.storage.withUnsafeBufferPointer { src in
        storage.withUnsafeMutableBufferPointer { dst in
          for j in 0..<p {
            for (r, i) in good.enumerated() { dst[j * m + r] = src[j * n + i] * root[r] }
          }
        }
      }
      let z = good.indices.map { r in
        let i = good[r]
        return ((eta[i] - offset[i]) + (y[i] - mu[i]) / muEta[i]) * root[r]
      }
      return (Matrix(rows: m, columns: p, columnMajor: storage), z)
    }
    while iter < maxIterations {
      iter += 1
      let (x, z) = weightedDesign()
      if onesOnly {
        // Weighted mean of the working response: Σ √wᵢ (√wᵢ zᵢ) / Σ wᵢ
        // (x holds √wᵢ, z holds √wᵢ zᵢ).
        var sw = 0.0, swz = 0.0
        for r in 0..<good.count { sw += x[r, 0] * x[r, 0]; swz += x[r, 0] * z[r] }
        guard sw > 0 else { throw .tooFewObservations(observations: 0, parameters: 1) }
        beta[0] = swz / sw
      } else {
        let sol: LeastSquaresSolution
        // Refinement only where the fit is reported (`details`): elsewhere
        // the next iteration, or the final fit, corrects a step's error.
        do { sol = try LeastSquares.solve(x, z, aliasTolerance: aliasTolerance, details: false, refine: details) } catch {
          if error == .nonFinite, let o = offset.max(), o > 700, link == .log {
            throw .invalidResponse(Self.offsetOverflow(largest: o))
          }
          if error == .nonFinite && link != family.canonicalLink { throw .invalidResponse(leftTheRange) }
          throw .numerical(error)
        }
        beta = sol.coefficients.map { $0 ?? 0 }
        aliased = sol.aliased
        rank = sol.rank
      }
      solved = true
      update(beta)
      var dev = deviance(mu)
      // Step halving: non-finite deviance, invalid μ/η, or a rising deviance.
      if let old = betaOld, invalid(dev) || (iter > 1 && dev > devOld * (1 + 1e-12) + 1e-12) {
        var halvings = 0
        while (invalid(dev) || dev > devOld * (1 + 1e-12) + 1e-12) && halvings < 40 {
          halvings += 1
          beta = (0..<p).map { (beta[$0] + old[$0]) / 2 }
          update(beta)
          dev = deviance(mu)
        }
        boundary = true
        if invalid(dev) { break }
      }
      if abs(dev - devOld) / (abs(dev) + 0.1) < tolerance {
        converged = true
        devOld = dev
        break
      }
      devOld = dev
      betaOld = beta
    }
    var leverage = [Double](repeating: .nan, count: n)
    var covariance = Matrix(rows: p, columns: p, repeating: .nan)
    var conditionNumber = Double.nan
    // Intermediate fits (inside θ estimation, the null deviance) need no covariance.
    if !(details || !solved) {
      // The working weights at the converged μ, without the weighted design.
      for i in 0..<n {
        let me = link == .log ? mu[i] : link.muEta(eta[i])
        ww[i] = w[i] > 0 && me != 0 ? w[i] * me * me / family.variance(mu[i]) : 0
      }
    }
    if details || !solved {
      // Final working weights at the converged μ, for standard errors.
      let x = weightedDesign().x
      let fin: LeastSquaresSolution
      do { fin = try LeastSquares.solve(x, [Double](repeating: 0, count: good.count), aliasTolerance: aliasTolerance) }
      catch { throw .numerical(error) }
      leverage = [Double](repeating: 0, count: n)
      for (r, i) in good.enumerated() { leverage[i] = fin.leverage[r] }
      if !solved { aliased = fin.aliased }
      rank = fin.rank
      covariance = fin.unscaledCovariance
      conditionNumber = fin.conditionNumber
    }
    return IRLSState(
      coefficients: (0..<p).map { aliased[$0] ? nil : beta[$0] }, aliased: aliased, rank: rank,
      eta: eta, mu: mu, deviance: devOld, iterations: iter, converged: converged, boundary: boundary,
      workingWeights: ww, unscaledCovariance: covariance, leverage: leverage,
      conditionNumber: conditionNumber)
  }
}

extension GeneralizedLinearModel {
  /// Why a fit overflowed when its offset is far past the log scale:
  /// `offset(pop)` where `offset(log(pop))` was meant makes every fitted
  /// value exp(30,000), and the message said only "the matrix contains NaN
  /// or infinite values", naming no term.
  static func offsetOverflow(largest o: Double) -> String {
    "The fit overflowed: the offset reaches \(String(format: "%g", o)), and under the log link each fitted value is "
      + "exp(linear predictor + offset), which passes the largest number once the offset is above about 700. "
      + "An offset is on the scale of the linear predictor: for a count per head of a population, write offset(log(pop))."
  }

  /// Why a fit with a non-canonical link failed when its working weights
  /// became NaN: the link's fitted values left the family's range (a
  /// probability above 1 under the log link, a rate below 0 under the
  /// identity link), where the variance is negative. R's `glm` stops there
  /// too ("no valid set of coefficients has been found"); the message said
  /// only "the matrix contains NaN or infinite values".
  var leftTheRange: String {
    let range = family.isBinomial ? "a probability outside 0 to 1" : "a fitted value at or below 0"
    let name = family.name, used = link.rawValue, canonical = family.canonicalLink.rawValue
    let what = "The \(name) family with the \(used) link reached \(range) during fitting and could not step back inside "
    let r = "(R's glm stops here too: 'no valid set of coefficients has been found'). "
    let advice = "The \(canonical) link (the family's canonical one) keeps every fitted value in range; the \(used) link "
      + "needs a model whose fitted values stay inside it for every row."
    return what + r + advice
  }
}
