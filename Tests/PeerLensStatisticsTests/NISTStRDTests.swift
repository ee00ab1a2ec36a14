import Foundation
import Testing
import PeerLensData
import PeerLensStatistics
import _PeerLensTestSupport

/// NIST StRD linear regression: every certified value to at least 9
/// correct significant digits (McCullough's log relative error).
@Suite struct NISTStRDTests {
  static let models: [(String, String)] = [
    ("Norris", "y ~ x"),
    ("NoInt1", "y ~ 0 + x"),
    ("Longley", "y ~ x1 + x2 + x3 + x4 + x5 + x6"),
    ("Wampler1", "y ~ x + I(x^2) + I(x^3) + I(x^4) + I(x^5)"),
    ("Wampler2", "y ~ x + I(x^2) + I(x^3) + I(x^4) + I(x^5)"),
    ("Filip", "y ~ x + " + (2...10).map { "I(x^\($0))" }.joined(separator: " + ")),
  ]

  @Test(arguments: models)
  func certifiedValuesToNineDigits(name: String, formula: String) throws {
    let data = try StRDDataset(named: name)
    let table = try CSVReader.parse(data.csv, source: "\(name).dat")
    let frame = try ModelFrame.build(formula: FormulaParser.parse(formula), table: table)
    guard case .values(let y) = frame.response else { Issue.record("no response"); return }
    // The data as stated (decimal), not only as rounded to doubles: what
    // `peerlens fit` does too. Filip needs it for nine digits.
    let fit = try LinearModel().fit(frame.design, response: y, lowOrder: frame.lowOrderParts(table: table))
    #expect(fit.coefficients.count == data.estimates.count)
    for k in 0..<data.estimates.count {
      let b = try #require(fit.coefficients[k])
      let se = try #require(fit.standardErrors[k])
      let lreB = logRelativeError(b, certified: data.estimates[k])
      let lreS = logRelativeError(se, certified: data.standardDeviations[k])
      #expect(lreB >= 9, "\(name) B\(k): \(b) vs \(data.estimates[k]) (LRE \(lreB))")
      #expect(lreS >= 9, "\(name) SE\(k): \(se) vs \(data.standardDeviations[k]) (LRE \(lreS))")
    }
    let lreSigma = logRelativeError(fit.sigma, certified: data.residualStandardDeviation)
    let lreR2 = logRelativeError(fit.rSquared, certified: data.rSquared)
    #expect(lreSigma >= 9, "\(name) sigma \(fit.sigma) vs \(data.residualStandardDeviation)")
    #expect(lreR2 >= 9, "\(name) R² \(fit.rSquared) vs \(data.rSquared)")
  }
}

/// A Filip-shaped problem with a known exact answer: a degree-10
/// polynomial on x ∈ [−9, −3] (Filip's range), sampled at quarter steps so
/// that every xᵏ and every y is exact in binary. R's `lm` declares this
/// design rank-deficient; the refined QR must recover all 11 coefficients.
@Suite struct IllConditionedPolynomialTests {
  @Test func degreeTenPolynomialOnFilipRange() throws {
    let coefficients: [Double] = [3, -2, 1, 1, -1, 2, 1, -1, 1, 1, 1]
    var lines = ["y,x"]
    for k in 12...36 {
      let x = -Double(k) / 4
      var y = 0.0, power = 1.0
      for c in coefficients { y += c * power; power *= x }
      lines.append("\(y),\(x)")
    }
    let table = try CSVReader.parse(lines.joined(separator: "\n"), source: "poly10")
    let rhs = (2...10).map { "I(x^\($0))" }.joined(separator: " + ")
    let frame = try ModelFrame.build(formula: FormulaParser.parse("y ~ x + \(rhs)"), table: table)
    guard case .values(let y) = frame.response else { Issue.record("no response"); return }
    let fit = try LinearModel().fit(frame.design, response: y)
    #expect(fit.rank == 11)
    for (k, c) in coefficients.enumerated() {
      let b = try #require(fit.coefficients[k])
      #expect(logRelativeError(b, certified: c) >= 7, "coefficient \(k): \(b) vs \(c)")
    }
  }
}
