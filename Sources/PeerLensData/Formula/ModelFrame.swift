import Foundation
import PeerLensNumerics
import PeerLensStatistics

/// A formula evaluated against a table: the response, the design matrix,
/// offsets and weights, over the rows that are complete.
///
/// Rows with a missing value (any DfE symbol, or an empty cell) in a
/// variable the formula uses are dropped, as R's `na.omit` does; how many
/// is reported in `droppedRows` so summaries can say so.
public struct ModelFrame: Sendable {
  public enum Response: Sendable {
    case values([Double])
    /// `cbind(successes, failures)`.
    case binomial(successes: [Double], failures: [Double])
  }

  public let formula: Formula
  public let design: DesignMatrix
  public let response: Response?
  /// The summed `offset(…)` terms, if any.
  public let offset: [Double]?
  /// Prior weights, if a weights column was given.
  public let weights: [Double]?
  /// The source line of each row used.
  public let lineNumbers: [Int]
  /// Indices into the table of the rows used.
  public let rowIndices: [Int]
  public let droppedRows: Int

  /// The frame restricted to the given rows (positions in this frame, with
  /// repeats allowed): what a bootstrap resample refits.
  public func selectingRows(_ rows: [Int]) -> ModelFrame {
    let r: Response?
    switch response {
    case .values(let y): r = .values(rows.map { y[$0] })
    case .binomial(let s, let f): r = .binomial(successes: rows.map { s[$0] }, failures: rows.map { f[$0] })
    case nil: r = nil
    }
    let d = DesignMatrix(matrix: design.matrix.selectingRows(rows), columnNames: design.columnNames,
                         assign: design.assign, termLabels: design.termLabels, hasIntercept: design.hasIntercept)
    return ModelFrame(formula: formula, design: d, response: r, offset: offset.map { o in rows.map { o[$0] } },
                      weights: weights.map { w in rows.map { w[$0] } }, lineNumbers: rows.map { lineNumbers[$0] },
                      rowIndices: rows.map { rowIndices[$0] }, droppedRows: droppedRows)
  }

  /// The frame with another response on the same rows: what a
  /// parametric bootstrap refits after redrawing the counts.
  public func replacingResponse(_ response: Response) -> ModelFrame {
    ModelFrame(formula: formula, design: design, response: response, offset: offset, weights: weights,
               lineNumbers: lineNumbers, rowIndices: rowIndices, droppedRows: droppedRows)
  }

  /// The frame with other prior weights on the same rows: what a
  /// random-effects meta-regression fits once τ² sets each row's weight.
  public func reweighted(_ weights: [Double]) -> ModelFrame {
    precondition(weights.count == design.rows)
    return ModelFrame(formula: formula, design: design, response: response, offset: offset, weights: weights,
                      lineNumbers: lineNumbers, rowIndices: rowIndices, droppedRows: droppedRows)
  }

  /// The frame with the intercept as its only term (offset and weights
  /// kept): the model of "the same for every authority", for comparisons
  /// that centre on the overall value where context adds nothing.
  public func interceptOnly() -> ModelFrame {
    let d = DesignMatrix(matrix: Matrix(rows: design.rows, columns: 1, repeating: 1), columnNames: ["(Intercept)"],
                         hasIntercept: true)
    return ModelFrame(formula: formula, design: d, response: response, offset: offset, weights: weights,
                      lineNumbers: lineNumbers, rowIndices: rowIndices, droppedRows: droppedRows)
  }

  /// The response label (R's deparse of the left-hand side).
  public var responseLabel: String? { formula.response?.label }

  /// The formula's variables read as categories only because their values
  /// are quoted, though every one is a number ("1", "2.5"). Quoted values
  /// are labels here (codes such as "805" stay codes), where R's read.csv
  /// would read numbers: a fit says so, as it otherwise shows one
  /// coefficient per value without a word.
  public static func quotedNumberVariables(formula: Formula, table: CSVTable) -> [String] {
    formula.variableNames.filter { name in
      guard let j = try? table.columnIndex(name) else { return false }
      let cells = table.cells[j], quoted = table.quoted[j]
      let filled = cells.indices.filter { !cells[$0].isEmpty }
      return !filled.isEmpty && filled.allSatisfy { quoted[$0] && CellValue(parsing: cells[$0])?.number != nil }
    }
  }

  /// Evaluates `formula` over `table`.
  ///
  /// - Throws: `FormulaError` for unknown columns, non-numeric cells in
  ///   numeric use, non-finite transforms, or when no complete rows remain;
  ///   `CSVError` where a cell cannot be read.
  public static func build(formula: Formula, table: CSVTable, weights weightColumn: String? = nil) throws -> ModelFrame {
    let env = try VariableEnvironment(table: table, formula: formula)
    let n = table.rowCount
    var complete = [Bool](repeating: true, count: n)

    // Evaluate everything first, then drop incomplete rows.
    var responseValues: [[Double?]] = []
    if let r = formula.response {
      if case .call("cbind", let args, _) = r {
        responseValues = try args.map { try env.numeric($0) }
      } else {
        responseValues = [try env.numeric(r)]
      }
    }
    let offsets = try formula.offsets.map { try env.numeric($0) }
    // Weights are a column of the data, not of the formula (as R's
    // `lm(y ~ x, weights = w)`).
    var weightValues: [Double?]? = nil
    if let w = weightColumn {
      guard table.hasColumn(w) else { throw FormulaError.unknownWeights(name: w, available: table.columnNames) }
      weightValues = try VariableEnvironment.numericColumn(w, of: table)
    }
    var factorValues: [Expression: VariableEnvironment.Evaluated] = [:]
    for term in formula.terms {
      for f in term.factors where factorValues[f] == nil { factorValues[f] = try env.evaluate(f) }
    }
    func mark(_ v: [Double?]) { for i in 0..<n where v[i] == nil { complete[i] = false } }
    responseValues.forEach(mark)
    offsets.forEach(mark)
    if let w = weightValues { mark(w) }
    for v in factorValues.values {
      switch v {
      case .numeric(let x): mark(x)
      case .categorical(let codes, _): for i in 0..<n where codes[i] == nil { complete[i] = false }
      }
    }
    let rows = (0..<n).filter { complete[$0] }
    guard !rows.isEmpty else { throw FormulaError.noCompleteRows(formula: formula.text, dropped: n) }

    let design = try designMatrix(formula: formula, factorValues: factorValues, rows: rows)

    var response: Response? = nil
    if responseValues.count == 2 {
      response = .binomial(successes: rows.map { responseValues[0][$0]! }, failures: rows.map { responseValues[1][$0]! })
    } else if responseValues.count == 1 {
      response = .values(rows.map { responseValues[0][$0]! })
    }
    var offset: [Double]? = nil
    if !offsets.isEmpty {
      offset = rows.map { i in offsets.reduce(0) { $0 + $1[i]! } }
    }
    return ModelFrame(
      formula: formula, design: design, response: response, offset: offset,
      weights: weightValues.map { w in rows.map { w[$0]! } },
      lineNumbers: rows.map { table.lineNumbers[$0] }, rowIndices: rows, droppedRows: n - rows.count)
  }
}

extension ModelFrame {
  /// The design matrix over `rows`, with R's `model.matrix` columns: for a
  /// factor in a term, contrasts (treatment coding, first level left out)
  /// when the term without that factor is empty or inside an earlier term,
  /// indicators for every level otherwise; without an intercept, the first
  /// factor of the first term that has one gets indicators. The column
  /// count is worked out from the levels and checked against
  /// `FormulaLimits` before any column is built.
  static func designMatrix(formula: Formula, factorValues: [Expression: VariableEnvironment.Evaluated], rows: [Int])
    throws -> DesignMatrix
  {
    let n = rows.count
    let termLabelSets = formula.terms.map { Set($0.factors.map(\.label)) }
    func isCategorical(_ f: Expression) -> Bool {
      if case .categorical = factorValues[f]! { return true }
      return false
    }
    var fullFirst: (term: Int, factor: String)? = nil
    if !formula.hasIntercept {
      search: for (k, t) in formula.terms.enumerated() {
        for f in t.factors where isCategorical(f) {
          fullFirst = (k, f.label)
          break search
        }
      }
    }
    /// For each term and factor, the levels its columns take (nil: numeric).
    var used: [[[Int]?]] = []
    var count = formula.hasIntercept ? 1 : 0
    for (k, term) in formula.terms.enumerated() {
      var perFactor: [[Int]?] = []
      var columns = 1
      for f in term.factors {
        guard case .categorical(_, let levels) = factorValues[f]! else { perFactor.append(nil); continue }
        let rest = termLabelSets[k].subtracting([f.label])
        var contrasts = rest.isEmpty || termLabelSets[..<k].contains { rest.isSubset(of: $0) }
        if let fullFirst, fullFirst.term == k, fullFirst.factor == f.label { contrasts = false }
        let levelsUsed = contrasts ? Array(levels.indices.dropFirst()) : Array(levels.indices)
        perFactor.append(levelsUsed)
        let (product, overflow) = columns.multipliedReportingOverflow(by: levelsUsed.count)
        columns = overflow ? Int.max / 2 : product
      }
      used.append(perFactor)
      count = min(Int.max / 2, count + columns)
    }
    guard count <= FormulaLimits.maxParameters else {
      throw FormulaError.tooManyParameters(count: count, limit: FormulaLimits.maxParameters, formula: formula.text)
    }
    guard n * count <= FormulaLimits.maxCells else {
      throw FormulaError.tooManyCells(rows: n, columns: count, limit: FormulaLimits.maxCells, formula: formula.text)
    }

    var storage: [Double] = []
    storage.reserveCapacity(n * count)
    var names: [String] = []
    var assign: [Int] = []
    var termLabels: [String] = []
    if formula.hasIntercept {
      storage += [Double](repeating: 1, count: n)
      names.append("(Intercept)")
      assign.append(0)
      termLabels.append("(Intercept)")
    }
    for (k, term) in formula.terms.enumerated() {
      let termIndex = termLabels.count
      termLabels.append(term.label)
      // Each factor contributes a list of (name, column) pieces.
      var pieces: [[(String, [Double])]] = []
      for (f, levelsUsed) in zip(term.factors, used[k]) {
        switch factorValues[f]! {
        case .numeric(let x):
          pieces.append([(f.label, rows.map { x[$0]! })])
        case .categorical(let codes, let levels):
          // R names a level's column label + level: tensionM, factor(code)805.
          pieces.append(levelsUsed!.map { level in
            (f.label + levels[level], rows.map { codes[$0]! == level ? 1.0 : 0.0 })
          })
        }
      }
      // Expand with the first factor varying fastest, as R does.
      var combos: [(String, [Double])] = [("", [Double](repeating: 1, count: n))]
      for (j, piece) in pieces.enumerated() {
        var next: [(String, [Double])] = []
        for p in piece {
          for c in combos {
            let name = j == 0 ? p.0 : c.0 + ":" + p.0
            next.append((name, zip(c.1, p.1).map { $0 * $1 }))
          }
        }
        combos = next
      }
      for (name, column) in combos {
        names.append(name)
        storage += column
        assign.append(termIndex)
      }
    }
    let matrix = Matrix(rows: n, columns: names.count, columnMajor: storage)
    return DesignMatrix(matrix: matrix, columnNames: names, assign: assign, termLabels: termLabels,
                        hasIntercept: formula.hasIntercept)
  }
}

/// Resolves the variables a formula names against a table and evaluates
/// expressions row by row.
struct VariableEnvironment {
  enum Evaluated {
    case numeric([Double?])
    case categorical(codes: [Int?], levels: [String])
  }

  let table: CSVTable
  let formula: Formula
  private var numericColumns: [String: [Double?]] = [:]
  private var categoricalColumns: [String: (codes: [Int?], levels: [String])] = [:]

  /// Reads each column the formula names as numeric (when any unquoted
  /// cell is a number) or categorical. `factor(x)` does not change how `x`
  /// itself is read: it is a variable of its own, as in R.
  init(table: CSVTable, formula: Formula) throws {
    self.table = table
    self.formula = formula
    for name in formula.variableNames {
      guard table.hasColumn(name) else {
        let position = Self.position(of: name, in: formula)
        throw FormulaError.unknownVariable(name: name, position: position, formula: formula.text,
                                           available: table.columnNames)
      }
      let j = try table.columnIndex(name)
      let cells = table.cells[j], quoted = table.quoted[j]
      let isNumeric = cells.indices.contains { i in !quoted[i] && CellValue(parsing: cells[i])?.number != nil }
      // A column of nothing but DfE's symbols (c, x, z, …) and blanks has no
      // number to tell it is numeric, but its cells are missing values, not
      // labels: read as categories, 'c' and 'x' became two levels of a
      // factor and were fitted without a word.
      let onlyMissing = !cells.isEmpty && cells.indices.allSatisfy { i in
        cells[i].allSatisfy { $0 == " " || $0 == "\t" } || (!quoted[i] && MissingReason(symbol: cells[i]) != nil)
      }
      if onlyMissing {
        let symbols = Set(cells.filter { MissingReason(symbol: $0) != nil }.map { $0.trimmingCharacters(in: .whitespaces) })
        throw FormulaError.onlyMissingValues(variable: name, file: table.source,
                                             symbols: symbols.filter { !$0.isEmpty }.sorted())
      }
      if isNumeric {
        numericColumns[name] = try Self.numericColumn(name, of: table)
      } else {
        let present = cells.filter { !$0.isEmpty }
        let levels = LevelOrder.sorted(present)
        let index = Dictionary(uniqueKeysWithValues: levels.enumerated().map { ($1, $0) })
        categoricalColumns[name] = (cells.map { $0.isEmpty ? nil : index[$0] }, levels)
      }
    }
  }

  /// A column read as numbers; DfE's symbols are missing values.
  static func numericColumn(_ name: String, of table: CSVTable) throws -> [Double?] {
    let cells = table.cells[try table.columnIndex(name)]
    var values = [Double?](repeating: nil, count: cells.count)
    for i in cells.indices {
      guard let v = CellValue(parsing: cells[i]) else {
        throw FormulaError.notNumeric(variable: name, file: table.source, line: table.lineNumbers[i], text: cells[i])
      }
      values[i] = v.number
    }
    return values
  }

  static func position(of name: String, in formula: Formula) -> Int {
    var found = 0
    func visit(_ e: Expression) {
      switch e {
      case .variable(let n, let p): if n == name && found == 0 { found = p }
      case .call(_, let args, _): args.forEach(visit)
      case .unary(_, let x): visit(x)
      case .binary(_, let l, let r): visit(l); visit(r)
      case .number: break
      }
    }
    if let r = formula.response { visit(r) }
    formula.terms.flatMap(\.factors).forEach(visit)
    formula.offsets.forEach(visit)
    return max(found, 1)
  }

  /// Evaluates a term factor: a categorical variable, `factor(x)`, or a
  /// numeric expression.
  func evaluate(_ e: Expression) throws -> Evaluated {
    switch e {
    case .variable(let n, _):
      if let c = categoricalColumns[n] { return .categorical(codes: c.codes, levels: c.levels) }
      return .numeric(numericColumns[n]!)
    case .call("factor", let args, _):
      guard case .variable(let n, _) = args[0] else { return try .numeric(numeric(e)) }
      if let c = categoricalColumns[n] { return .categorical(codes: c.codes, levels: c.levels) }
      // A numeric column as a factor: levels in numeric order, named as R's
      // as.character names them (1, 2, 10, not 1, 10, 2).
      let values = numericColumns[n]!
      let distinct = Set(values.compactMap { $0 }).sorted()
      let index = Dictionary(uniqueKeysWithValues: distinct.enumerated().map { ($1, $0) })
      return .categorical(codes: values.map { $0.flatMap { index[$0] } },
                          levels: distinct.map { String(format: "%.15g", $0) })
    default:
      return .numeric(try numeric(e))
    }
  }

  /// Evaluates an arithmetic expression; `nil` marks a missing value.
  func numeric(_ e: Expression) throws -> [Double?] {
    let n = table.rowCount
    switch e {
    case .variable(let name, let p):
      if let v = numericColumns[name] { return v }
      if categoricalColumns[name] != nil {
        if ModelFrame.quotedNumberVariables(formula: formula, table: table).contains(name) {
          throw FormulaError.quotedNumbers(variable: name, position: p, formula: formula.text)
        }
        throw FormulaError.categoricalInArithmetic(variable: name, position: p, formula: formula.text)
      }
      throw FormulaError.unknownVariable(name: name, position: p, formula: formula.text, available: table.columnNames)
    case .number(let v):
      return [Double?](repeating: v, count: n)
    case .unary(_, let x):
      return try numeric(x).map { $0.map { -$0 } }
    case .binary(let op, let l, let r):
      let a = try numeric(l), b = try numeric(r)
      let out: [Double?] = (0..<n).map { i in
        guard let x = a[i], let y = b[i] else { return nil }
        switch op {
        case "+": return x + y
        case "-": return x - y
        case "*": return x * y
        case "/": return x / y
        default: return pow(x, y)
        }
      }
      return try checked(out, e)
    case .call(let f, let args, _):
      if f == "I" || f == "factor" || f == "offset" { return try numeric(args[0]) }
      let a = try numeric(args[0])
      let fn: (Double) -> Double
      switch f {
      case "log": fn = { Foundation.log($0) }
      case "log2": fn = { Foundation.log2($0) }
      case "log10": fn = { Foundation.log10($0) }
      case "log1p": fn = { Foundation.log1p($0) }
      case "sqrt": fn = { $0.squareRoot() }
      case "exp": fn = { Foundation.exp($0) }
      case "abs": fn = { Swift.abs($0) }
      default: throw FormulaError.unknownFunction(name: f, position: e.position, formula: formula.text)
      }
      return try checked(a.map { $0.map(fn) }, e)
    }
  }

  private func checked(_ v: [Double?], _ e: Expression) throws -> [Double?] {
    for (i, x) in v.enumerated() {
      if let x, !x.isFinite {
        throw FormulaError.invalidValue(expression: e.label, file: table.source, line: table.lineNumbers[i], value: x)
      }
    }
    return v
  }
}
