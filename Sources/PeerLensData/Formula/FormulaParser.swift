/// A recursive-descent parser for model formulas, with R's term algebra.
///
/// Grammar (R's precedence: `^` binds tightest, then `:`, then `*` and `/`,
/// then `+` and `-`):
/// ```
/// formula := [expr] '~' sum
/// sum     := ['+' | '-'] product (('+' | '-') product)*
/// product := inter (('*' | '/') inter)*
/// inter   := power (':' power)*
/// power   := atom ['^' whole number]
/// atom    := '0' | '1' | '.' | '(' sum ')' | call | name
/// ```
/// Terms are sets of variables, as in R's `terms()`: `a:a` is `a`, `a - b`
/// removes the terms of `b` (and `- 1` the intercept), `(a + b)^2` is
/// `a + b + a:b`, `a/b` is `a + a:b`, and `.` is every column of the data
/// except the response's variables and the `--weights` column. A variable
/// is identified by R's label, so `x` and `factor(x)` are two variables:
/// `factor()` makes a factor of its own term only.
///
/// Inside `I()`, `log()` and the like, ordinary arithmetic applies
/// (`+ - * / ^`, unary minus, numbers).
///
/// Nesting and expansion are bounded (`FormulaLimits`), so any text gives
/// a formula or a `FormulaError`, never a stack overflow or a runaway.
public struct FormulaParser {
  static let arithmeticFunctions: Set<String> = ["log", "log2", "log10", "log1p", "sqrt", "exp", "abs"]
  static let termFunctions: Set<String> = ["I", "factor", "offset", "cbind"]

  private let text: String
  private let chars: [Character]
  private var i = 0
  /// The data's columns, for `.`.
  private let columns: [String]?
  private let weights: String?
  /// Names the response reads (left out of `.`).
  private var responseNames: Set<String> = []
  /// Term variables in order of first appearance, identified by label.
  private var variables: [Expression] = []
  private var variableIndex: [String: Int] = [:]
  private var notes: [String] = []
  /// Current nesting of the recursive descent.
  private var nesting = 0
  /// Pairs of terms combined so far by `:`, `*` and `^` (see `interact`).
  private var pairs = 0

  private init(_ text: String, columns: [String]?, weights: String?) {
    self.text = text
    self.chars = Array(text)
    self.columns = columns
    self.weights = weights
  }

  /// Parses a formula.
  /// - Parameters:
  ///   - columns: the data's column names, which `.` stands for; without
  ///     them a `.` is an error.
  ///   - weights: the prior-weights column, which `.` leaves out.
  /// - Throws: `FormulaError` pointing at the offending character.
  public static func parse(_ text: String, columns: [String]? = nil, weights: String? = nil) throws(FormulaError)
    -> Formula
  {
    var p = FormulaParser(text, columns: columns, weights: weights)
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

  /// One more level of nesting; refused past `FormulaLimits.maxDepth`
  /// before the recursion can exhaust the stack.
  private mutating func enter() throws(FormulaError) {
    nesting += 1
    if nesting > FormulaLimits.maxDepth {
      throw .tooDeep(limit: FormulaLimits.maxDepth, position: position, formula: text)
    }
  }

  private mutating func leave() { nesting -= 1 }

  /// A name, and whether it was written in backticks.
  private mutating func name() -> (String, quoted: Bool)? {
    skipSpace()
    let start = i
    if i < chars.count && chars[i] == "`" {
      i += 1
      let s = i
      while i < chars.count && chars[i] != "`" { i += 1 }
      let n = String(chars[s..<i])
      if i < chars.count { i += 1 }
      return (n, true)
    }
    while i < chars.count && (chars[i].isLetter || chars[i].isNumber || chars[i] == "_" || chars[i] == ".") { i += 1 }
    if i == start || chars[start].isNumber { i = start; return nil }
    return (String(chars[start..<i]), false)
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

  // MARK: - Term algebra

  /// A term list under construction: terms (sorted variable indices) in
  /// order of appearance, the intercept if mentioned, and offsets.
  private struct TermSet {
    var terms: [[Int]] = []
    var seen: Set<[Int]> = []
    var intercept: Bool? = nil  // nil: not mentioned
    var offsets: [Expression] = []

    mutating func add(_ t: [Int]) { if seen.insert(t).inserted { terms.append(t) } }
    mutating func remove(_ t: [Int]) { if seen.remove(t) != nil { terms.removeAll { $0 == t } } }
  }

  /// The union of two terms: R's `a:b`, where `a:a` is `a`. Terms are
  /// sorted without repeats, so a merge gives the union without the
  /// hashing a `Set` costs (this runs for every pair of terms).
  private static func union(_ a: [Int], _ b: [Int]) -> [Int] {
    var out: [Int] = []
    out.reserveCapacity(a.count + b.count)
    var i = 0, j = 0
    while i < a.count || j < b.count {
      if j == b.count || (i < a.count && a[i] < b[j]) { out.append(a[i]); i += 1 }
      else if i == a.count || b[j] < a[i] { out.append(b[j]); j += 1 }
      else { out.append(a[i]); i += 1; j += 1 }
    }
    return out
  }

  private func bounded(_ set: TermSet, at p: Int) throws(FormulaError) -> TermSet {
    if set.terms.count > FormulaLimits.maxTerms {
      throw .tooManyTerms(count: set.terms.count, limit: FormulaLimits.maxTerms, position: p, formula: text)
    }
    return set
  }

  /// `a:b`: every term of `a` with every term of `b`.
  ///
  /// Pairs that repeat a term (`a:a` is `a`) add nothing, so a product of
  /// long sums can take a million pairs and stay under the term limit;
  /// the pairs are counted across the whole formula and bounded too.
  private mutating func interact(_ a: TermSet, _ b: TermSet, at p: Int) throws(FormulaError) -> TermSet {
    pairs += a.terms.count * b.terms.count
    if pairs > FormulaLimits.maxTermPairs {
      throw .tooComplex(pairs: pairs, limit: FormulaLimits.maxTermPairs, position: p, formula: text)
    }
    var out = TermSet()
    for x in a.terms {
      for y in b.terms {
        out.add(Self.union(x, y))
        if out.terms.count > FormulaLimits.maxTerms { return try bounded(out, at: p) }
      }
    }
    out.offsets = a.offsets + b.offsets
    return out
  }

  /// `a*b`: `a + b + a:b`.
  private mutating func cross(_ a: TermSet, _ b: TermSet, at p: Int) throws(FormulaError) -> TermSet {
    var out = TermSet()
    for t in a.terms { out.add(t) }
    for t in b.terms { out.add(t) }
    for t in try interact(a, b, at: p).terms {
      out.add(t)
      if out.terms.count > FormulaLimits.maxTerms { return try bounded(out, at: p) }
    }
    out.intercept = a.intercept ?? b.intercept
    out.offsets = a.offsets + b.offsets
    return out
  }

  // MARK: - Formula level

  private mutating func formula() throws(FormulaError) -> Formula {
    var response: Expression? = nil
    if peek() != "~" {
      response = try arithmetic().e
      responseNames = Set(response!.variableNames)
    }
    guard peek() == "~" else {
      if peek() == nil { throw .missingResponse(formula: text) }
      throw .unexpected(found: describe(peek()), expected: "'~'", position: position, formula: text)
    }
    i += 1
    var set = try sum()
    if let c = peek() {
      throw .unexpected(found: "'\(c)'", expected: "'+', '-', '*', '/', ':', '^' or the end", position: position,
                        formula: text)
    }
    // `y ~ y` fitted y on itself (a slope of 1, t = 5e15, R² = 1). R drops
    // the response from the right-hand side with a warning; so does this.
    if let response, let k = variableIndex[response.label], set.seen.contains([k]) {
      set.remove([k])
      notes.append("The response '\(response.label)' appeared on the right-hand side and was dropped, as R drops it: "
        + "a variable explains itself exactly.")
    }
    // R orders terms by degree, keeping order of appearance within a degree;
    // within a term, variables follow their order of first appearance.
    let ordered = set.terms.enumerated().sorted { a, b in
      a.element.count != b.element.count ? a.element.count < b.element.count : a.offset < b.offset
    }.map { Term(factors: $0.element.map { variables[$0] }) }
    // `offset(x) + offset(x)` added x twice, where R's terms keep one copy
    // of a repeated variable and apply the offset once: so does this.
    var offsetLabels = Set<String>(), offsets: [Expression] = []
    for o in set.offsets {
      if offsetLabels.insert(o.label).inserted { offsets.append(o); continue }
      notes.append("offset(\(o.label)) appears more than once in the formula and is applied once, as R applies it.")
    }
    return Formula(text: text, response: response, terms: ordered, hasIntercept: set.intercept ?? true,
                   offsets: offsets, notes: notes)
  }

  private mutating func sum() throws(FormulaError) -> TermSet {
    var set = TermSet()
    var first = true
    while true {
      var op: Character = "+"
      if let c = peek(), c == "+" || c == "-" {
        op = c
        i += 1
      } else if !first {
        break
      }
      first = false
      let p = position
      let rhs = try product()
      if op == "+" {
        for t in rhs.terms { set.add(t) }
        if let ic = rhs.intercept { set.intercept = ic }
        set.offsets += rhs.offsets
        set = try bounded(set, at: p)
      } else {
        for t in rhs.terms { set.remove(t) }
        if let ic = rhs.intercept { set.intercept = !ic }
      }
    }
    return set
  }

  private mutating func product() throws(FormulaError) -> TermSet {
    var set = try interaction()
    while let c = peek(), c == "*" || c == "/" {
      i += 1
      let p = position
      let rhs = try interaction()
      if c == "*" {
        set = try cross(set, rhs, at: p)
      } else {
        // a/b = a + (all of a's variables):b, as R's terms() expands it.
        let all = set.terms.reduce(into: [Int]()) { $0 = Self.union($0, $1) }
        var out = set
        for t in rhs.terms { out.add(Self.union(all, t)) }
        out.offsets += rhs.offsets
        set = try bounded(out, at: p)
      }
    }
    return set
  }

  private mutating func interaction() throws(FormulaError) -> TermSet {
    var set = try power()
    while peek() == ":" {
      i += 1
      let p = position
      set = try interact(set, try power(), at: p)
    }
    return set
  }

  private mutating func power() throws(FormulaError) -> TermSet {
    let base = try atom()
    guard peek() == "^" else { return base }
    i += 1
    let p = position
    let v = number()
    guard let v, v >= 1, v == v.rounded(), v < 9e18 else {
      throw .badExponent(found: v.map { Expression.number($0).label } ?? describe(peek()), position: p, formula: text)
    }
    // Past the number of variables the power adds nothing, so a huge
    // exponent costs no more than a small one.
    let variableCount = Set(base.terms.joined()).count
    var set = base
    for _ in 1..<max(1, min(Int(v), variableCount)) {
      let next = try cross(set, base, at: p)
      // `cross` only adds terms: the same count means nothing more to add.
      if next.terms.count == set.terms.count { break }
      set = next
    }
    return set
  }

  private mutating func atom() throws(FormulaError) -> TermSet {
    var set = TermSet()
    guard let c = peek() else {
      throw .unexpected(found: "the end of the formula", expected: "a term", position: position, formula: text)
    }
    if c == "(" {
      try enter()
      defer { leave() }
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
    let p = position
    let start = i
    if let (n, quoted) = name(), n == ".", !quoted, peek() != "(" {
      return try dot(at: p)
    }
    i = start
    let e = try primary().e
    if case .call("offset", let args, _) = e {
      set.offsets.append(args[0])
      return set
    }
    set.add([variable(e)])
    return set
  }

  /// The index of a term variable, registered on first sight.
  private mutating func variable(_ e: Expression) -> Int {
    let key = e.label
    if let k = variableIndex[key] { return k }
    variables.append(e)
    variableIndex[key] = variables.count - 1
    return variables.count - 1
  }

  /// `.`: every column except the response's variables and the weights.
  private mutating func dot(at p: Int) throws(FormulaError) -> TermSet {
    guard let columns else { throw .dotWithoutData(position: p, formula: text) }
    var set = TermSet()
    // A column with no name in the header gave a coefficient with no name.
    if let blank = columns.firstIndex(where: { $0.allSatisfy { c in c == " " || c == "\t" } }) {
      throw .unnamedColumn(index: blank + 1, position: p, formula: text)
    }
    for c in columns where !responseNames.contains(c) && c != weights {
      set.add([variable(.variable(c, position: p))])
    }
    if let weights, columns.contains(weights) {
      let note = "'.' leaves out the --weights column '\(weights)'; in R, '.' would also include it as a predictor."
      if !notes.contains(note) { notes.append(note) }
    }
    return try bounded(set, at: p)
  }

  // MARK: - Arithmetic (inside I(), log(), the response)

  /// An expression and its depth, so that long operator chains are bounded
  /// as well as nested brackets (every later walk of the tree recurses).
  private typealias Node = (e: Expression, depth: Int)

  private func node(_ e: Expression, _ depth: Int, at p: Int) throws(FormulaError) -> Node {
    guard depth <= FormulaLimits.maxDepth else {
      throw .tooDeep(limit: FormulaLimits.maxDepth, position: p, formula: text)
    }
    return (e, depth)
  }

  private mutating func primary() throws(FormulaError) -> Node {
    let p = position
    guard let (n, _) = name() else {
      throw .unexpected(found: describe(peek()), expected: "a variable or a function", position: p, formula: text)
    }
    if peek() == "(" {
      guard Self.arithmeticFunctions.contains(n) || Self.termFunctions.contains(n) else {
        throw .unknownFunction(name: n, position: p, formula: text)
      }
      i += 1
      var args: [Node] = []
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
      if n == "factor", case .variable = args[0].e {} else if n == "factor" {
        throw .unexpected(found: "an expression", expected: "a column name inside factor()", position: p, formula: text)
      }
      return try node(.call(n, args.map(\.e), position: p), (args.map(\.depth).max() ?? 0) + 1, at: p)
    }
    return (.variable(n, position: p), 1)
  }

  private mutating func arithmetic() throws(FormulaError) -> Node {
    var lhs = try arithmeticTerm()
    while let c = peek(), c == "+" || c == "-" {
      i += 1
      let p = position
      let rhs = try arithmeticTerm()
      lhs = try node(.binary(c, lhs.e, rhs.e), max(lhs.depth, rhs.depth) + 1, at: p)
    }
    return lhs
  }

  private mutating func arithmeticTerm() throws(FormulaError) -> Node {
    var lhs = try arithmeticPower()
    while let c = peek(), c == "*" || c == "/" {
      i += 1
      let p = position
      let rhs = try arithmeticPower()
      lhs = try node(.binary(c, lhs.e, rhs.e), max(lhs.depth, rhs.depth) + 1, at: p)
    }
    return lhs
  }

  private mutating func arithmeticPower() throws(FormulaError) -> Node {
    let base = try arithmeticUnary()
    if peek() == "^" {
      // The exponent recurses (right-associative): counted as nesting, so
      // a chain of thousands of `^` is refused where it passes the limit
      // rather than running the parser off its stack.
      try enter()
      defer { leave() }
      i += 1
      let p = position
      let exponent = try arithmeticPowerOperand()
      return try node(.binary("^", base.e, exponent.e), max(base.depth, exponent.depth) + 1, at: p)
    }
    return base
  }

  private mutating func arithmeticPowerOperand() throws(FormulaError) -> Node {
    // Right-associative, and -x^2 is -(x^2) as in R.
    if peek() == "-" {
      try enter()
      defer { leave() }
      i += 1
      let p = position
      let operand = try arithmeticPowerOperand()
      return try node(.unary("-", operand.e), operand.depth + 1, at: p)
    }
    return try arithmeticPower()
  }

  private mutating func arithmeticUnary() throws(FormulaError) -> Node {
    try enter()
    defer { leave() }
    if peek() == "-" {
      i += 1
      let p = position
      let operand = try arithmeticPower()
      return try node(.unary("-", operand.e), operand.depth + 1, at: p)
    }
    if peek() == "+" { i += 1; return try arithmeticPower() }
    if peek() == "(" {
      i += 1
      let e = try arithmetic()
      try expect(")", "')'")
      return e
    }
    if let c = peek(), c.isNumber || c == "." {
      if let v = number() { return (.number(v), 1) }
    }
    return try primary()
  }
}
