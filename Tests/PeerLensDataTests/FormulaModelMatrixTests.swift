import Foundation
import Testing
import PeerLensData
import _PeerLensTestSupport

/// The design matrix equals R's `model.matrix()` for every formula form the
/// parser accepts: term labels, column names, `assign` and values, on a
/// small frame with numeric and factor columns. The fixtures were made once
/// by `Tests/Fixtures/formulas/make_fixtures.R` (CI has no R).
@Suite struct FormulaModelMatrixTests {
  struct Case: CustomStringConvertible {
    let file: String
    let formula: String
    /// R was given the data without the weights column (for `.`).
    let withoutWeights: Bool
    let terms: [String]
    let columns: [String]
    let assign: [Int]
    let rows: [[Double]]
    var description: String { "\(file): \(formula)" }
  }

  static let folder = TestData.fixtures.appendingPathComponent("formulas")

  static func cases() throws -> [Case] {
    let dir = folder.appendingPathComponent("cases")
    let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".tsv") }.sorted()
    return try files.map { name in
      let lines = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
        .split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
      func field(_ key: String) -> [String] { Array(lines.first { $0.first == key }!.dropFirst()) }
      return Case(file: name, formula: field("formula")[0], withoutWeights: field("data")[0] == "no-weights",
                  terms: field("terms"), columns: field("columns"), assign: field("assign").map { Int($0)! },
                  rows: lines.dropFirst(5).map { $0.map { Double($0)! } })
    }
  }

  @Test func atLeastThirtyFormulas() throws {
    #expect(try Self.cases().count >= 30)
  }

  @Test func designMatrixEqualsR() throws {
    let table = try CSVReader.read(contentsOf: Self.folder.appendingPathComponent("data.csv"), source: "data.csv")
    for c in try Self.cases() {
      let weights = c.withoutWeights ? "w" : nil
      let formula = try FormulaParser.parse(c.formula, columns: table.columnNames, weights: weights)
      let frame = try ModelFrame.build(formula: formula, table: table, weights: weights)
      let d = frame.design
      #expect(d.termLabels == c.terms, "\(c)")
      #expect(d.columnNames == c.columns, "\(c)")
      // R numbers terms from 1 whether or not there is an intercept;
      // PeerLens's assign indexes termLabels, which start at the intercept.
      #expect(d.assign == c.assign.map { d.hasIntercept ? $0 : $0 - 1 }, "\(c)")
      try #require(d.rows == c.rows.count && d.columns == c.columns.count, "\(c)")
      for i in 0..<d.rows {
        for j in 0..<d.columns {
          #expect(agrees(d.matrix[i, j], c.rows[i][j], relative: 1e-14, absolute: 1e-300),
                  "\(c) [\(i), \(j)]: \(d.matrix[i, j]) vs R \(c.rows[i][j])")
        }
      }
      if c.withoutWeights { #expect(formula.notes.contains { $0.contains("--weights column 'w'") }, "\(c)") }
    }
  }
}
