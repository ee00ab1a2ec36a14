import Foundation
import Testing
import PeerLensStatistics

/// A column of values near 1e300 (or 1e-300) made the solver see a column
/// of infinities (or zeros): the fit said "not defined because of
/// singularities" and gave the intercept-only answer. Such columns are
/// now refused with the fix, and columns inside the range fit as their
/// rescaled versions do.
@Suite struct ColumnMagnitudeTests {
  static let x: [Double] = [1, 2, 3.5, 4, 5.2, 6.1]
  static let y: [Double] = [1, 2, 3, 4, 5, 7]

  @Test(arguments: [1e300, -1e300, 1e-300, 1e160, 1e-160, 1e-320])
  func aColumnOutsideTheRangeIsRefusedByName(factor: Double) throws {
    let design = DesignMatrix.withIntercept([Self.x.map { $0 * factor }], names: ["x"])
    for fit in [{ _ = try LinearModel().fit(design, response: Self.y) },
                { _ = try GeneralizedLinearModel(family: .poisson).fit(design, response: .values(Self.y)) }] {
      do {
        try fit()
        Issue.record("a column scaled by \(factor) was fitted")
      } catch let error as ModelError {
        guard case .columnOutOfRange(let column, _, _) = error else { Issue.record("\(error)"); continue }
        #expect(column == "x")
        let text = error.localizedDescription
        #expect(text.contains(factor > 1 || factor < -1 ? "I(x / 1e" : "I(x * 1e"), "\(text)")
        // The factor suggested is itself a finite number (1e320 was).
        let literal = text.components(separatedBy: "I(x ").last?.dropFirst(2).prefix { $0 != ")" } ?? ""
        #expect(Double(String(literal))?.isFinite == true, "\(literal) in \(text)")
      }
    }
  }

  /// Inside the range the fit is the rescaled fit: coefficient and
  /// standard error scale by the factor, to rounding.
  @Test(arguments: [1e140, 1e-140, 1e60])
  func aColumnInsideTheRangeFitsAsItsRescaledSelf(factor: Double) throws {
    let plain = try LinearModel().fit(DesignMatrix.withIntercept([Self.x], names: ["x"]), response: Self.y)
    let scaled = try LinearModel().fit(DesignMatrix.withIntercept([Self.x.map { $0 * factor }], names: ["x"]),
                                       response: Self.y)
    let b = try #require(plain.coefficients[1]), bs = try #require(scaled.coefficients[1])
    let s = try #require(plain.standardErrors[1]), ss = try #require(scaled.standardErrors[1])
    #expect(abs(bs * factor / b - 1) < 1e-12)
    #expect(abs(ss * factor / s - 1) < 1e-12)
    #expect(abs(try #require(scaled.coefficients[0]) - (try #require(plain.coefficients[0]))) < 1e-12)
  }

  @Test func aResponseBeyondTheRangeIsRefusedAtItsRow() throws {
    let design = DesignMatrix.withIntercept([Self.x], names: ["x"])
    var y = Self.y
    y[3] = 2e200
    #expect {
      try LinearModel().fit(design, response: y)
    } throws: { error in
      guard case .invalidValue(let row, .response, let value, _) = error as? ModelError else { return false }
      return row == 3 && value == 2e200
    }
  }
}
