import Testing
@testable import PeerLensData

/// The response on the right-hand side, and `.` over a column with no
/// name: `y ~ y` fitted y on itself (slope 1, R² = 1) and a blank header
/// cell gave a coefficient with no name.
@Suite struct FormulaResponseTests {
  /// R drops the response's own term from the right-hand side with a
  /// warning, and keeps it inside other terms.
  @Test func theResponseIsDroppedFromTheRightWithANote() throws {
    let alone = try FormulaParser.parse("y ~ y")
    #expect(alone.terms.isEmpty && alone.hasIntercept)
    #expect(alone.notes.contains { $0.contains("The response 'y' appeared on the right-hand side and was dropped") })

    let beside = try FormulaParser.parse("log(y) ~ x + log(y) + x:log(y)")
    #expect(beside.terms.map(\.label) == ["x", "x:log(y)"])
    #expect(beside.notes.count == 1)

    let different = try FormulaParser.parse("y ~ x + I(y^2)")
    #expect(different.terms.map(\.label) == ["x", "I(y^2)"])
    #expect(different.notes.isEmpty)
  }

  /// `offset(x) + offset(x)` added x twice (a slope of −1.015 where R,
  /// which keeps one copy of a repeated variable, gives −0.0148).
  @Test func theSameOffsetTwiceIsAppliedOnce() throws {
    for text in ["y ~ x + offset(x) + offset(x)", "y ~ offset(log(n)) + x + offset(log( n ))"] {
      let f = try FormulaParser.parse(text)
      #expect(f.offsets.count == 1, "\(text)")
      #expect(f.notes.count == 1 && f.notes[0].contains("appears more than once in the formula and is applied once"), "\(f.notes)")
    }
    let two = try FormulaParser.parse("y ~ x + offset(x) + offset(2 * x)")
    #expect(two.offsets.map(\.label) == ["x", "2 * x"] && two.notes.isEmpty, "\(two.offsets.map(\.label))")
  }

  /// A value that is not finite is named in words with a cause that fits
  /// the expression: `sqrt(x - 3)` was said to evaluate to "-nan", with a
  /// hint about log.
  @Test func aValueThatIsNotFiniteIsNamedWithACauseThatFits() throws {
    let table = try CSVReader.parse("y,x\n1,1\n2,2.1\n3,2.9\n", source: "t.csv")
    let cases = [("y ~ sqrt(x - 3)", "evaluates to NaN (not a number)", "(here perhaps the square root of a negative value)."),
                 ("y ~ log(x - 1)", "evaluates to minus infinity", "(here perhaps the log of zero or of a negative value)."),
                 ("y ~ I(1/(x - 1))", "evaluates to infinity", "(here perhaps a division by zero).")]
    for (text, value, cause) in cases {
      #expect {
        try ModelFrame.build(formula: FormulaParser.parse(text), table: table)
      } throws: { error in
        let message = (error as? FormulaError)?.errorDescription ?? ""
        return message.hasPrefix("t.csv, line 2: '") && message.contains(value) && message.hasSuffix(cause)
          && !message.contains("nan") && (text.contains("log") || !message.contains("log"))
      }
    }
  }

  @Test func dotRefusesAColumnWithNoName() {
    #expect {
      try FormulaParser.parse("y ~ .", columns: ["y", " ", "x"])
    } throws: { error in
      let text = (error as? FormulaError)?.errorDescription ?? ""
      return text.contains("column 2 has no name in the header") && text.contains("list the variables instead")
    }
    // Named columns only: '.' expands as before.
    #expect((try? FormulaParser.parse("y ~ .", columns: ["y", "a", "x"]))?.terms.map(\.label) == ["a", "x"])
  }
}
