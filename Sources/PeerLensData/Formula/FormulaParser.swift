/// A recursive-descent parser for model formulas.
///
/// Grammar (R's precedence: `:` binds tighter than `*`, which binds tighter
/// than `+` and `-`):
/// ```
/// formula := [expr] '~' sum
/// sum     := product (('+' | '-') product)*
/// product := inter ('*' inter)*
/// inter   := atom (':' atom)*
/// atom    := '0' | '1' | '(' sum ')' | call | name
/// ```
/// Inside `I()`, `log()` and the like, ordinary arithmetic applies
/// (`+ - * / ^`, unary minus, numbers).
public struct FormulaParser {
  static let arithmeticFunctions: Set<String> = ["log", "log2", "log10", "log1p", "sqrt", "exp", "abs"]
  static let termFunctions: Set<String> = ["I", "factor", "offset", "cbind"]

  private let text: String
  private let chars: [Character]
  private var i = 0

  private init(_ text: String) {
    self.text = text
    self.chars = Array(text)
  }

  /// Parses a formula.
  /// - Throws: `FormulaError` pointing at the offending character.
  public static func parse(_ text: String) throws(FormulaError) -> Formula {
    var p = FormulaParser(text)
    return try p.formula()
  }

  // MARK: - Lexing helpers

  private mutating func skipSpace() { while i < chars.count && chars[i].isWhitespace { i += 1 } }
  private mutating func peek() -> Character? { skipSpace(); return i < chars.count ? chars[i] : nil }
  private var position: Int { i + 1 }

  private func describe(_ c: Character?) -> String { c.map { "'\($0)'" } ?? "the end of the formula" }

  private mutating func expect(_ c: Character, _ what: String) throws(FormulaError) {
    guard peek() == c else {
      throw .unexpected(found: describe(peek()), expected: what, position: position, formula: text)
    }
    i += 1
  }

  private mutating func name() -> String? {
    skipSpace()
    let start = i
    if i < chars.count && chars[i] == "`" {
      i += 1
      let s = i
      while i < chars.count && chars[i] != "`" { i += 1 }
      let n = String(chars[s..<i])
      if i < chars.count { i += 1 }
      return n
    }
    while i < chars.count && (chars[i].isLetter || chars[i].isNumber || chars[i] == "_" || chars[i] == ".") { i += 1 }
    if i == start || chars[start].isNumber { i = start; return nil }
    return String(chars[start..<i])
  }

  private mutating func number() -> Double? {
    skipSpace()
    let start = i
    while i < chars.count && (chars[i].isNumber || chars[i] == ".") { i += 1 }
    if i < chars.count && (chars[i] == "e" || chars[i] == "E") {
      var j = i + 1
      if j < chars.count && (chars[j] == "+" || chars[j] == "-") { j += 1 }
      if j < chars.count && chars[j].isNumber {
        i = j
        while i < chars.count && chars[i].isNumber { i += 1 }
      }
    }
    guard i > start, let v = Double(String(chars[start..<i])) else { i = start; return nil }
    return v
  }

  // MARK: - Formula level

  /// A term list under construction: terms in order of appearance, as
  /// sets of factors, with intercept state.
  private struct TermSet {
    var terms: [[Expression]] = []
    var intercept: Bool? = nil  // nil: not mentioned
    var offsets: [Expression] = []

    mutating func add(_ t: [Expression]) {
      if !terms.contains(where: { Set($0) == Set(t) }) { terms.append(t) }
    }
    mutating func remove(_ t: [Expression]) { terms.removeAll { Set($0) == Set(t) } }
  }

  private mutating func formula() throws(FormulaError) -> Formula {
    var response: Expression? = nil
    if peek() != "~" {
      response = try arithmetic()
    }
    guard peek() == "~" else {
      if peek() == nil { throw .missingResponse(formula: text) }
      throw .unexpected(found: describe(peek()), expected: "'~'", position: position, formula: text)
    }
    i += 1
    let set = try sum()
    if let c = peek() {
      throw .unexpected(found: "'\(c)'", expected: "'+', '-', '*', ':' or the end", position: position, formula: text)
    }
    // R orders terms by degree, keeping order of appearance within a degree.
    let ordered = set.terms.enumerated().sorted { a, b in
      a.element.count != b.element.count ? a.element.count < b.element.count : a.offset < b.offset
    }.map { Term(factors: $0.element) }
    return Formula(text: text, response: response, terms: ordered, hasIntercept: set.intercept ?? true,
                   offsets: set.offsets)
  }

  private mutating func sum() throws(FormulaError) -> TermSet {
    var set = try product()
    while let c = peek(), c == "+" || c == "-" {
      i += 1
      let rhs = try product()
      if c == "+" {
        for t in rhs.terms { set.add(t) }
        if let ic = rhs.intercept { set.intercept = ic }
        set.offsets += rhs.offsets
      } else {
        for t in rhs.terms { set.remove(t) }
        if rhs.intercept == true { set.intercept = false }
        if rhs.intercept == false { set.intercept = true }
      }
    }
    return set
  }

  private mutating func product() throws(FormulaError) -> TermSet {
    var set = try interaction()
    while peek() == "*" {
      i += 1
      let rhs = try interaction()
      var out = TermSet()
      for t in set.terms { out.add(t) }
      for t in rhs.terms { out.add(t) }
      for a in set.terms { for b in rhs.terms { out.add(merge(a, b)) } }
      out.intercept = set.intercept ?? rhs.intercept
      out.offsets = set.offsets + rhs.offsets
      set = out
    }
    return set
  }

  private func merge(_ a: [Expression], _ b: [Expression]) -> [Expression] {
    var out = a
    for f in b where !out.contains(f) { out.append(f) }
    return out
  }

  private mutating func interaction() throws(FormulaError) -> TermSet {
    var set = try atom()
    while peek() == ":" {
      i += 1
      let rhs = try atom()
      var out = TermSet()
      for a in set.terms { for b in rhs.terms { out.add(merge(a, b)) } }
      out.offsets = set.offsets + rhs.offsets
      set = out
    }
    return set
  }

  private mutating func atom() throws(FormulaError) -> TermSet {
    var set = TermSet()
    guard let c = peek() else {
      throw .unexpected(found: "the end of the formula", expected: "a term", position: position, formula: text)
    }
    if c == "(" {
      i += 1
      set = try sum()
      try expect(")", "')'")
      return set
    }
    if c.isNumber {
      let p = position
      let v = number()
      if v == 0 { set.intercept = false; return set }
      if v == 1 { set.intercept = true; return set }
      throw .unexpected(found: "the number \(v.map { String($0) } ?? "?")", expected: "0, 1 or a variable", position: p,
                        formula: text)
    }
    let e = try primary()
    if case .call("offset", let args, _) = e {
      set.offsets.append(args[0])
      return set
    }
    set.terms.append([e])
    return set
  }

  // MARK: - Arithmetic (inside I(), log(), the response)

  private mutating func primary() throws(FormulaError) -> Expression {
    let p = position
    guard let n = name() else {
      throw .unexpected(found: describe(peek()), expected: "a variable or a function", position: p, formula: text)
    }
    if peek() == "(" {
      guard Self.arithmeticFunctions.contains(n) || Self.termFunctions.contains(n) else {
        throw .unknownFunction(name: n, position: p, formula: text)
      }
      i += 1
      var args: [Expression] = []
      if peek() != ")" {
        args.append(try arithmetic())
        while peek() == "," { i += 1; args.append(try arithmetic()) }
      }
      try expect(")", "')'")
      let wanted = n == "cbind" ? 2 : 1
      guard args.count == wanted else {
        throw .unexpected(found: "\(args.count) argument(s)", expected: "\(wanted) argument(s) to \(n)()", position: p,
                          formula: text)
      }
      if n == "factor", case .variable = args[0] {} else if n == "factor" {
        throw .unexpected(found: "an expression", expected: "a column name inside factor()", position: p, formula: text)
      }
      return .call(n, args, position: p)
    }
    return .variable(n, position: p)
  }

  private mutating func arithmetic() throws(FormulaError) -> Expression {
    var lhs = try arithmeticTerm()
    while let c = peek(), c == "+" || c == "-" {
      i += 1
      lhs = .binary(c, lhs, try arithmeticTerm())
    }
    return lhs
  }

  private mutating func arithmeticTerm() throws(FormulaError) -> Expression {
    var lhs = try arithmeticPower()
    while let c = peek(), c == "*" || c == "/" {
      i += 1
      lhs = .binary(c, lhs, try arithmeticPower())
    }
    return lhs
  }

  private mutating func arithmeticPower() throws(FormulaError) -> Expression {
    let base = try arithmeticUnary()
    if peek() == "^" {
      i += 1
      return .binary("^", base, try arithmeticPowerOperand())
    }
    return base
  }

  private mutating func arithmeticPowerOperand() throws(FormulaError) -> Expression {
    // Right-associative, and -x^2 is -(x^2) as in R.
    if peek() == "-" { i += 1; return .unary("-", try arithmeticPowerOperand()) }
    return try arithmeticPower()
  }

  private mutating func arithmeticUnary() throws(FormulaError) -> Expression {
    if peek() == "-" {
      i += 1
      return .unary("-", try arithmeticPower())
    }
    if peek() == "+" { i += 1; return try arithmeticPower() }
    if peek() == "(" {
      i += 1
      let e = try arithmetic()
      try expect(")", "')'")
      return e
    }
    if let c = peek(), c.isNumber || c == "." {
      if let v = number() { return .number(v) }
    }
    return try primary()
  }
}
