import Foundation
import Testing
import PeerLensNumerics
@testable import PeerLensStatistics

/// Variance inflation factors agree with their definition, 1 / (1 − R²ⱼ)
/// from regressing each column on the others by least squares (the OLS
/// fit NIST's StRD checks), and name shares that add up to 100%.
@Suite struct VarianceInflationTests {
  static func columns(n: Int = 60, seed: UInt64 = 7) -> [[Double]] {
    var g = SeededGenerator(seed: seed)
    let a = (0..<n).map { _ in g.normal() * 3 + 10 }
    let b = (0..<n).map { _ in g.normal() }
    let c = (0..<n).map { k in 0.8 * a[k] - 2 * b[k] + 0.3 * g.normal() }  // mostly a and b
    let d = (0..<n).map { _ in g.uniform() * 100 }
    return [a, b, c, d]
  }

  @Test func factorsAreOneOverOneMinusRSquaredOfEachColumnOnTheRest() throws {
    let x = Self.columns()
    let names = ["a", "b", "c", "d"]
    let factors = try #require(VarianceInflation.factors(DesignMatrix.withIntercept(x, names: names)))
    #expect(factors.map(\.name) == names)
    for j in x.indices {
      let others = x.indices.filter { $0 != j }
      let fit = try LinearModel().fit(DesignMatrix.withIntercept(others.map { x[$0] }, names: others.map { names[$0] }),
                                      response: x[j])
      let expected = 1 / (1 - fit.rSquared)
      #expect(abs(factors[j].factor - expected) <= 1e-9 * expected, "\(names[j]): \(factors[j].factor) against \(expected)")
    }
    // c is mostly a and b: its factor is far above the rest, d's near 1.
    #expect(factors[2].factor > 10 && factors[3].factor < 1.5)
    // The note names the columns above 10 (c with the a and b it is made of), not d.
    let high = factors.filter { $0.factor > 10 }.map(\.name)
    #expect(high.contains("c") && !high.contains("d"))
    let note = try #require(VarianceInflation.note(DesignMatrix.withIntercept(x, names: names)))
    #expect(note.hasPrefix(EnglishList.joined(high) + (high.count == 1 ? " is" : " are") + " strongly collinear"), "\(note)")
  }

  @Test func sharesThatAddUpTo100AreNamedAndUnrelatedColumnsAreNot() throws {
    var g = SeededGenerator(seed: 3)
    var shares: [[Double]] = Array(repeating: [], count: 5)
    for _ in 0..<150 {
      let raw = (0..<5).map { _ in g.uniform() + 0.05 }
      let total = raw.reduce(0, +)
      // Rounded to one decimal, as published: just short of singular.
      for k in 0..<5 { shares[k].append((1000 * raw[k] / total).rounded() / 10) }
    }
    let names = ["white", "asian", "black", "mixed", "other"]
    let note = try #require(VarianceInflation.note(DesignMatrix.withIntercept(shares, names: names)))
    #expect(note.hasPrefix("white, asian, black, mixed and other are strongly collinear"), "\(note)")
    #expect(note.contains("leave one of them out"))
    // Four of the five: no longer tied to each other.
    #expect(VarianceInflation.note(DesignMatrix.withIntercept(Array(shares.prefix(4)), names: Array(names.prefix(4)))) == nil)
  }

  @Test func undefinedCasesGiveNoFactors() {
    let x = Self.columns()
    let noIntercept = DesignMatrix(matrix: Matrix(columns: x), columnNames: ["a", "b", "c", "d"], hasIntercept: false)
    #expect(VarianceInflation.factors(noIntercept) == nil)
    #expect(VarianceInflation.factors(DesignMatrix.withIntercept([x[0]], names: ["a"])) == nil)
    let constant = [Double](repeating: 4, count: x[0].count)
    #expect(VarianceInflation.factors(DesignMatrix.withIntercept([x[0], constant], names: ["a", "k"])) == nil)
    #expect(VarianceInflation.whole(12345.4) == "12,345" && VarianceInflation.whole(999) == "999")
  }
}
