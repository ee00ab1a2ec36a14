/// A parsed model formula in the R subset PeerLens understands.
///
/// ```
/// y ~ a + b            y ~ 0 + a          y ~ a - 1
/// y ~ a*b              y ~ a:b            y ~ I(x^2) + log(p)
/// y ~ (a + b + c)^2    y ~ . - z          y ~ a/b
/// y ~ factor(code)     y ~ x + offset(log(population))
/// cbind(successes, failures) ~ x
/// ```
public struct Formula: Sendable, Equatable {
  /// The text as written.
  public let text: String
  /// The response expression, `nil` for a one-sided formula.
  public let response: Expression?
  /// The terms after expanding `*`, `:` and `-`, in R's order: by degree,
  /// then by first appearance.
  public let terms: [Term]
  /// Whether the model has an intercept.
  public let hasIntercept: Bool
  /// `offset(…)` expressions, summed into the model's offset.
  public let offsets: [Expression]
  /// Where this formula's meaning deliberately differs from R's, in words
  /// for the fit's output.
  public var notes: [String] = []

  /// The same model without its response (`~ x + offset(…)`), for
  /// predicting rows whose response is missing.
  public var rightHandSide: Formula {
    let text = self.text.firstIndex(of: "~").map { String(self.text[$0...]) } ?? self.text
    return Formula(text: text, response: nil, terms: terms, hasIntercept: hasIntercept, offsets: offsets, notes: notes)
  }

  /// Every variable name the formula reads.
  public var variableNames: [String] {
    var seen: [String] = []
    func add(_ e: Expression) { for n in e.variableNames where !seen.contains(n) { seen.append(n) } }
    if let r = response { add(r) }
    for t in terms { for f in t.factors { add(f) } }
    for o in offsets { add(o) }
    return seen
  }
}

/// A model term: an interaction of one or more factors (a main effect has one).
public struct Term: Sendable, Equatable, Hashable {
  public let factors: [Expression]
  /// R's label: factor labels joined by `:`.
  public var label: String { factors.map(\.label).joined(separator: ":") }
  public var order: Int { factors.count }
}

/// An expression inside a formula.
public indirect enum Expression: Sendable, Equatable, Hashable {
  case variable(String, position: Int)
  case number(Double)
  case call(String, [Expression], position: Int)
  case unary(Character, Expression)
  case binary(Character, Expression, Expression)

  /// The label R's `deparse` would give (spaces around `+ - *`, none
  /// around `/ ^ :`).
  public var label: String {
    switch self {
    case .variable(let n, _): return n
    case .number(let v): return v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v)
    case .call(let f, let args, _): return "\(f)(\(args.map(\.label).joined(separator: ", ")))"
    case .unary(let op, let e):
      // R's deparse brackets a sum or product under a unary minus: -(x + 1).
      if case .binary(let inner, _, _) = e, inner != "^" { return "\(op)(\(e.label))" }
      return "\(op)\(e.label)"
    case .binary(let op, let l, let r):
      func wrap(_ e: Expression, _ right: Bool) -> String {
        if case .binary(let inner, _, _) = e, Expression.precedence(inner) < Expression.precedence(op)
          || (right && Expression.precedence(inner) == Expression.precedence(op) && op != "^") {
          return "(\(e.label))"
        }
        return e.label
      }
      let spaced = op == "+" || op == "-" || op == "*"
      return wrap(l, false) + (spaced ? " \(op) " : String(op)) + wrap(r, true)
    }
  }

  static func precedence(_ op: Character) -> Int {
    switch op {
    case "+", "-": return 1
    case "*", "/": return 2
    case "^": return 3
    default: return 0
    }
  }

  /// Variable names read by the expression.
  public var variableNames: [String] {
    switch self {
    case .variable(let n, _): return [n]
    case .number: return []
    case .call(_, let args, _): return args.flatMap(\.variableNames)
    case .unary(_, let e): return e.variableNames
    case .binary(_, let l, let r): return l.variableNames + r.variableNames
    }
  }

  /// The character position where the expression starts (1-based), if known.
  public var position: Int {
    switch self {
    case .variable(_, let p), .call(_, _, let p): return p
    case .number: return 0
    case .unary(_, let e): return e.position
    case .binary(_, let l, _): return l.position
    }
  }
}
