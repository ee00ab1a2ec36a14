import Foundation
import Testing
import PeerLensData

/// Memory and time stay bounded whatever the formula (issue 21, item 2):
/// the exact inputs from the issue give a `FormulaError`, not a stack
/// overflow, a 24 GB design matrix or a minute of expansion.
/// `Tests/Scripts/memory_limits.sh` runs the same cases through
/// `peerlens fit` under a 4 GiB `ulimit -v`.
@Suite struct FormulaBoundsTests {
  static func isTooDeep(_ text: String) -> Bool {
    do {
      _ = try FormulaParser.parse(text)
      return false
    } catch {
      if case .tooDeep(let limit, _, _) = error { return limit == FormulaLimits.maxDepth }
      return false
    }
  }

  static func termCount(_ text: String) throws(FormulaError) -> Int { try FormulaParser.parse(text).terms.count }

  static let sum12 = "(a + b + c + d + e + f + g + h + i + j + k + l)"

  @Test func deepNestingIsRefusedAtTheDocumentedDepth() {
    #expect(FormulaLimits.maxDepth == 200)
    let parens = "y ~ " + String(repeating: "(", count: 10_000) + "x" + String(repeating: ")", count: 10_000)
    let logs = "y ~ " + String(repeating: "log(", count: 10_000) + "x" + String(repeating: ")", count: 10_000)
    let minus = "y ~ I(" + String(repeating: "-", count: 100_000) + "x)"
    let chain = "y ~ I(" + Array(repeating: "x", count: 100_000).joined(separator: " + ") + ")"
    let response = String(repeating: "log(", count: 10_000) + "y" + String(repeating: ")", count: 10_000) + " ~ x"
    // A power chain recursed without counting its depth until the chain
    // was built: 30,000 `^` overflowed the stack.
    let powers = "y ~ I(" + Array(repeating: "x", count: 30_000).joined(separator: "^") + ")"
    for text in [parens, logs, minus, chain, response, powers] { #expect(Self.isTooDeep(text), "\(text.prefix(40))") }
    // Within the bound, nesting parses as before.
    let fine = "y ~ " + String(repeating: "(", count: 150) + "x" + String(repeating: ")", count: 150)
    #expect(throws: Never.self) { try FormulaParser.parse(fine) }
    let logs50 = "y ~ " + String(repeating: "log(", count: 50) + "x" + String(repeating: ")", count: 50)
    #expect((try? FormulaParser.parse(logs50))?.terms.count == 1)
    let powers50 = "y ~ I(" + Array(repeating: "x", count: 50).joined(separator: "^") + ")"
    #expect((try? FormulaParser.parse(powers50))?.terms.count == 1)
  }

  @Test func theMessageIsShortAndNamesTheLimit() {
    let parens = "y ~ " + String(repeating: "(", count: 10_000) + "x" + String(repeating: ")", count: 10_000)
    do {
      _ = try FormulaParser.parse(parens)
      Issue.record("accepted")
    } catch {
      let message = error.localizedDescription
      #expect(message.contains("nested more than 200 levels deep") && message.count < 600, "\(message.count)")
    }
  }

  /// Products that repeat terms stay under the term limit while the
  /// pairs they combine grow: the fuzzer's slow input was of this kind.
  /// The pairs are bounded over the whole formula.
  @Test func pairsOfTermsAreBounded() throws {
    #expect(FormulaLimits.maxTermPairs == 4_000_000)
    let x = "(a + b + c + d + e + f + g + h + i + j)^2"  // 55 terms; x:x combines 3,025 pairs
    #expect(try Self.termCount("y ~ \(x):\(x)") == 385)
    let many = "y ~ " + Array(repeating: "\(x):\(x)", count: 1_400).joined(separator: " + ")
    do {
      _ = try FormulaParser.parse(many)
      Issue.record("1,400 copies of x:x (4.2 million pairs) were accepted")
    } catch {
      guard case .tooComplex(let pairs, let limit, _, _) = error else { Issue.record("\(error)"); return }
      #expect(pairs > limit && limit == 4_000_000)
      #expect(error.localizedDescription.contains("pairs of terms") && error.localizedDescription.contains("4,000,000"))
    }
    // Under the bound, the same shape is accepted: 1,000 copies are 3 million pairs.
    let fewer = "y ~ " + Array(repeating: "\(x):\(x)", count: 1_000).joined(separator: " + ")
    #expect(try Self.termCount(fewer) == 385)
  }

  /// Three thousand main effects from `.` have no product to rewrite:
  /// the refusal says to list the variables, not to write interactions.
  @Test func tooManyColumnsUnderADotAreRefusedWithAdviceThatFits() throws {
    let columns = ["y"] + (0..<3_000).map { "c\($0)" }
    #expect {
      try FormulaParser.parse("y ~ .", columns: columns)
    } throws: { error in
      let text = error.localizedDescription
      return text.contains("at most 1,000") && text.contains("'.' stands for every column but the response")
        && !text.contains("interactions")
    }
  }

  @Test func expansionIsBounded() throws {
    #expect(FormulaLimits.maxTerms == 1_000)
    for text in ["y ~ a*b*c*d*e*f*g*h*i*j*k*l", "y ~ \(Self.sum12)^12"] {
      let start = Date()
      do {
        _ = try Self.termCount(text)
        Issue.record("\(text) was accepted")
      } catch {
        guard case .tooManyTerms(let count, let limit, _, _) = error else {
          Issue.record("\(text): \(error)")
          continue
        }
        #expect(count > limit && limit == 1_000)
        #expect(error.localizedDescription.contains("at most 1,000"))
      }
      #expect(Date().timeIntervalSince(start) < 10, "\(text) took too long to refuse")
    }
    // A product of four 12-term sums is every interaction of up to four of
    // the twelve variables: 12 + 66 + 220 + 495 terms, under the bound, and quick.
    let start = Date()
    #expect(try Self.termCount("y ~ \(Self.sum12)*\(Self.sum12)*\(Self.sum12)*\(Self.sum12)") == 793)
    #expect(try Self.termCount("y ~ \(Self.sum12)^2") == 78)
    #expect(try Self.termCount("y ~ (a + b + c)^1000000000") == 7, "a huge power stops at the number of variables")
    #expect(try Self.termCount("y ~ (a*b*c*d*e*f*g*h*i)^9") == 511, "a power of a closed set stops at once")
    #expect(Date().timeIntervalSince(start) < 10)
    #expect(throws: FormulaError.self) { try FormulaParser.parse("y ~ (a + b)^x") }
    #expect(throws: FormulaError.self) { try FormulaParser.parse("y ~ (a + b)^0") }
    #expect(throws: FormulaError.self) { try FormulaParser.parse("y ~ (a + b)^1.5") }
  }

  /// `y ~ a:b` with two 3,000-level factors would have 3,000 × 3,000
  /// indicator columns plus the intercept: refused with that number
  /// before any column is built.
  @Test func parameterCountIsCheckedFromTheLevels() throws {
    var csv = "y,a,b\n"
    for r in 0..<3_000 { csv += "\(r % 7),a\(r),b\((r * 7) % 3_000)\n" }
    let table = try CSVReader.parse(csv, source: "levels.csv")
    let formula = try FormulaParser.parse("y ~ a:b")
    do {
      _ = try ModelFrame.build(formula: formula, table: table)
      Issue.record("a 9,000,001-column design was built")
    } catch let error as FormulaError {
      #expect(error == .tooManyParameters(count: 9_000_001, limit: 10_000, formula: "y ~ a:b"))
      #expect(error.localizedDescription.contains("9,000,001 columns"))
    }
    // One factor's 3,000 levels fit within the bound.
    let frame = try ModelFrame.build(formula: FormulaParser.parse("y ~ a"), table: table)
    #expect(frame.design.columns == 3_000)
  }

  /// A 1 MiB variable name gives an error of ordinary length.
  @Test func hugeNamesGiveShortMessages() {
    let table = try? CSVReader.parse("y,x\n1,2\n2,3\n", source: "t.csv")
    let text = "y ~ " + String(repeating: "v", count: 1 << 20)
    do {
      _ = try ModelFrame.build(formula: FormulaParser.parse(text), table: table!)
      Issue.record("accepted")
    } catch {
      #expect(error.localizedDescription.count < 1_000, "\(error.localizedDescription.count) characters")
    }
  }
}
