import ArgumentParser
import Foundation
import PeerLensData
import PeerLensStatistics

/// `peerlens funnel`: funnel-plot limits and flags for a CSV of units.
struct FunnelCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "funnel",
    abstract: "Funnel-plot control limits (95% and 99.8%) with over-dispersion, and each unit's z-score and flag.",
    discussion: """
      proportion: numerator out of denominator, target Σx/Σn (or --target). rate: a count over a \
      population, compared with the overall rate Σx/Σn as an observed/expected ratio; values and \
      limits are printed as rates × --multiplier. Over-dispersion follows Spiegelhalter (2005): \
      z-scores winsorised at the 10th/90th percentiles, φ the mean of their squares; multiplicative \
      limits t ± z√φ·s, additive (DerSimonian–Laird) t ± z√(s² + τ²); with φ ≤ 1 (or, for additive \
      limits with --tau2 reml or pm, τ² = 0) the limits are unadjusted. Unadjusted limits for a rate \
      without --pupil-sd are exact Poisson limits at each authority's expected count \
      E: χ²⁻¹((1−c)/2; 2E)/(2E) to χ²⁻¹(c + (1−c)/2; 2(E+1))/(2E). Negative-binomial and \
      beta-binomial limits are exact quantiles of that distribution, θ or ρ by maximum likelihood \
      around the target, and both z-score columns are then mid-p z-scores under it.

      Rows whose numerator or denominator is missing (a DfE symbol such as c or x) are listed \
      with their reason and left out of the limits; a row with a zero denominator is left out with \
      a note. A negative numerator or denominator, or (for proportions) a numerator above its \
      denominator, is refused with the file, line and column; so is a fraction (an FTE, say) under \
      the exact beta-binomial (numerator or denominator) or negative-binomial (numerator) limits, \
      which count whole events: fractional figures take the other methods.

      Examples (file and folder names stand for your own):
        peerlens funnel --data rereferrals.csv --numerator rereferral_count \\
            --denominator referral_count
        peerlens funnel --data cla.csv --numerator children_count \\
            --denominator population_estimate --type rate --multiplier 10000 \\
            --overdispersion additive
        peerlens funnel --data rereferrals.csv --numerator rereferral_count \\
            --denominator referral_count --overdispersion additive --tau2 reml \\
            --levels 90,95,99.8
        peerlens funnel --data cla.csv --numerator children_count \\
            --denominator population_estimate --type rate --multiplier 10000 \\
            --overdispersion negative-binomial
        peerlens funnel --data ks4_cla.csv --numerator t_att8 \\
            --denominator t_pupils --type rate --pupil-sd 19 \\
            --overdispersion additive --tau2 reml
      """
  )

  @Option(name: .long, help: "The CSV file.", transform: FilePath.csv)
  var data: URL

  @Option(name: .long, help: "The numerator column.")
  var numerator: String

  @Option(name: .long, help: "The denominator column.")
  var denominator: String

  @Option(name: .long, help: "A column naming each unit (default: la_name, else the row number).")
  var id: String?

  @Option(name: .long, help: "proportion or rate.")
  var type: FunnelKind = .proportion

  @Option(name: .long, parsing: .unconditional, help: "Multiplier for printed values (100 for %, 10000 for per 10,000).")
  var multiplier: Double?

  @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(
    "The target, in the units of the printed values: a proportion, or a rate, times --multiplier (with --multiplier 100, 25 is 25%; with --multiplier 10000 and --type rate, 500 is 500 per 10,000). Default: Σx/Σn.",
    valueName: "value"))
  var target: Double?

  @Option(name: .long, help: "none, multiplicative, additive, negative-binomial (rates: exact NB limits, θ by ML) or beta-binomial (proportions: exact limits, ρ by ML).")
  var overdispersion: FunnelMethod = .none

  /// The over-dispersion methods: FunnelPlotR's three, and limits from a
  /// fitted distribution.
  enum FunnelMethod: String, ExpressibleByArgument, CaseIterable {
    case none, multiplicative, additive
    case negativeBinomial = "negative-binomial"
    case betaBinomial = "beta-binomial"

    var plot: FunnelPlot.Overdispersion {
      switch self {
      case .multiplicative: return .multiplicative
      case .additive: return .additive
      default: return .none
      }
    }
  }

  @Option(name: .long, help: "How τ² is estimated for additive limits: dl (DerSimonian–Laird, FunnelPlotR's), reml or pm (Paule–Mandel).")
  var tau2: BetweenUnitVariance = .dl

  @Option(name: .long, help: "Extra limit levels in percent, comma-separated (e.g. 90,95,99.8): adds lower_at_L, upper_at_L and flag_L columns, flags named by level.")
  var levels: String?

  @Option(name: .customLong("pupil-sd"), parsing: .unconditional, help: ArgumentHelp(
    "For a mean score (--type rate, the numerator a total of points, the denominator pupils): the spread of one pupil's score, in the units of the printed values. Chance then varies a mean of n pupils with variance σ²/n, not as a Poisson count of points (the catalogue's pupil_sd: 19 for Attainment 8 of children in care).",
    valueName: "σ"))
  var pupilSD: Double?

  @Option(name: .long, help: "Output format: json or csv.")
  var format: CSVOrJSON = .json

  /// The parsed --levels as fractions.
  var levelList: [Double] {
    (levels ?? "").split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }.map { $0 / 100 }
  }

  enum FunnelKind: String, ExpressibleByArgument, CaseIterable { case proportion, rate }

  func validate() throws {
    if let m = multiplier, !(m > 0) { throw ValidationError("--multiplier must be positive.") }
    if overdispersion == .negativeBinomial && type != .rate {
      throw ValidationError("--overdispersion negative-binomial is for rates of counts: add --type rate (use beta-binomial for proportions).")
    }
    if overdispersion == .betaBinomial && type != .proportion {
      throw ValidationError("--overdispersion beta-binomial is for proportions (use negative-binomial with --type rate).")
    }
    if let sd = pupilSD {
      guard sd > 0, sd.isFinite else { throw ValidationError("--pupil-sd is the spread of one pupil's score, a positive number; got \(sd).") }
      guard type == .rate, overdispersion != .negativeBinomial else {
        throw ValidationError("--pupil-sd is for a mean score as a rate (--type rate: a total of points over pupils) with none, multiplicative or additive limits"
          + (type == .rate ? "; negative-binomial limits count whole events." : ": add --type rate."))
      }
    }
    if tau2 != .dl && overdispersion != .additive {
      throw ValidationError("--tau2 \(tau2.rawValue) applies to additive limits: add --overdispersion additive.")
    }
    if let levels {
      let parts = levels.split(separator: ",", omittingEmptySubsequences: false)
      var seen: [String: Substring] = [:]
      for p in parts {
        guard let v = Double(p.trimmingCharacters(in: .whitespaces)), v > 0, v < 100 else {
          throw ValidationError("--levels takes percentages strictly between 0 and 100, comma-separated (e.g. 95,99.8); got '\(p)'.")
        }
        // Columns are named by the level to ten decimals: 1e-300 was named
        // "0" (lower_at_0, flags above_0), a level no limit has.
        let label = FunnelPlot.levelLabel(v / 100)
        guard label != "0" && label != "100" else {
          throw ValidationError("--levels '\(p)': too close to \(label) to be told apart from it in a column's name "
            + "(levels are named to ten decimal places of a percent); give a level between 0.0000000001 and 99.9999999999.")
        }
        // Two columns of one name would be written for a level given twice.
        if let first = seen[label] { throw ValidationError("--levels gives the level \(first) twice ('\(first)' and '\(p)'): give each once.") }
        seen[label] = p
      }
    }
  }

  /// The largest numerator or denominator taken: below 2⁵³, so sums of a
  /// few hundred units stay exact integers.
  static let largestFigure = 1e15

  func run() throws {
    let table = try CSVReader.read(contentsOf: data, source: data.relativePath)
    let x = try table.values(numerator), n = try table.values(denominator)
    // Negative counts, and proportions above one, are errors in the data: refused, naming the cell.
    try InputValidation.requireNonNegative(table, column: numerator)
    try InputValidation.requireNonNegative(table, column: denominator, what: "a denominator of zero or more")
    for column in [numerator, denominator] {
      try InputValidation.requireAtMost(table, column: column, limit: Self.largestFigure,
                                        what: "a figure of at most 1e15 (sums over the units must stay exact; "
                                          + "children's counts and populations are far below it)")
    }
    if type == .proportion { try InputValidation.requireNotAbove(table, numerator: numerator, denominator: denominator) }
    // The exact discrete limits count whole events: a beta-binomial of 100.2
    // trials, or a negative binomial at 10.5 events, has no meaning, and the
    // walk over counts would quietly treat them as something else. Fractional
    // figures (FTEs of the workforce) are fine under the normal-based limits.
    let wholeColumns: [String] = switch overdispersion {
    case .betaBinomial: [numerator, denominator]
    case .negativeBinomial: [numerator]
    default: []
    }
    for column in wholeColumns {
      try InputValidation.requireWholeNumbers(table, column: column, what: "a whole number: --overdispersion \(overdispersion.rawValue) "
        + "gives exact limits for whole counts (for fractional figures such as FTEs use multiplicative or additive)")
    }
    let idColumn = id ?? (table.hasColumn("la_name") ? "la_name" : nil)
    // A unit on two rows would be counted twice in the target and in φ, and
    // listed twice under one name. The column that names the units in the
    // output is the one checked (--id, else la_name); with neither, units
    // are named by row number, which cannot repeat.
    if let idColumn { try InputValidation.requireUniqueIDs(table, column: idColumn) }
    let names = try idColumn.map { try table.text($0) } ?? (1...max(1, table.rowCount)).map { "row \($0)" }
    var used: [Int] = []
    var skipped: [(Int, String)] = []
    // A zero denominator is a unit with nothing to measure: it is left out, and said so.
    var inputNotes: [String] = []
    for i in 0..<table.rowCount {
      switch (x[i], n[i]) {
      case (.number, .number(let b)) where b > 0: used.append(i)
      case (.missing(let r), _): skipped.append((i, r.rawValue))
      case (_, .missing(let r)): skipped.append((i, r.rawValue))
      default:
        skipped.append((i, "zero_denominator"))
        inputNotes.append("\(table.source), line \(table.lineNumbers[i]) (data row \(i + 1), unit '\(names[i])'): "
          + "denominator '\(denominator)' is 0; the unit is left out of the limits (status zero_denominator).")
      }
    }
    guard !used.isEmpty else {
      throw DataError.invalid("\(table.source): no unit has both '\(numerator)' and a positive '\(denominator)'; nothing to plot.")
    }
    // φ is a mean of squared z-scores about the target; with one unit the target is that unit.
    let single = used.count == 1
    if single {
      inputNotes.append("Only one unit has data: φ (over-dispersion) cannot be estimated from one unit, so phi is null and no over-dispersion adjustment is made.")
    }
    let xs = used.map { x[$0].number! }, ns = used.map { n[$0].number! }
    let mult = multiplier ?? 1
    // The target as the model takes it (per one), from the printed units it is given in.
    let target = try self.target.map { t -> Double in
      let perOne = t / mult
      guard perOne.isFinite, perOne > 0, type == .rate || perOne < 1 else {
        throw ValidationError("--target \(t.isFinite ? CSVWriter.number(t) : "\(t)"): expected \(type == .rate ? "a rate above 0" : "a proportion between 0 and 1")"
          + (mult == 1 ? "" : " times --multiplier \(CSVWriter.number(mult)) (so above 0\(type == .rate ? "" : " and below \(CSVWriter.number(mult))"))")
          + ", in the units of the printed values.")
      }
      return perOne
    }
    let funnel: FunnelPlot
    let scale: Double
    switch type {
    case .proportion:
      funnel = try FunnelPlot(type: .proportion, numerators: xs, denominators: ns, target: target, overdispersion: overdispersion.plot,
                              tau2: tau2)
      scale = mult
    case .rate:
      let rate = target ?? xs.reduce(0, +) / ns.reduce(0, +)
      // With no events at all the overall rate is 0, so every unit's
      // expected count is 0: the ratio's limits do not exist. Said as it
      // is, not as "a zero denominator" on a unit whose denominator is not.
      guard rate > 0 else {
        throw DataError.invalid("\(table.source): every used row's '\(numerator)' is 0, so the overall rate is 0 and no unit "
          + "has an expected count to compare with; rate limits need at least one event (or give --target, a rate above 0).")
      }
      // A target far above the data's rates (--target 1e308) gave expected
      // counts of infinity, and the message blamed unit 1's denominator.
      let expected = ns.map { $0 * rate }
      if let k = expected.indices.first(where: { !(expected[$0] <= Self.largestFigure) }) {
        throw ValidationError("--target \(self.target.map { $0.isFinite ? CSVWriter.number($0) : "\($0)" } ?? ""): unit '\(names[used[k]])' "
          + "would have an expected count of \(expected[k]) (its denominator × the target), above the 1e15 the limits are "
          + "computed for; the target is in the units of the printed values (a rate times --multiplier).")
      }
      // A mean score: Var(O)/E = nσ²/(n·rate), σ per pupil in the printed units.
      let factors = pupilSD.map { sd in [Double](repeating: sd * sd / (rate * mult * mult), count: xs.count) }
      funnel = try FunnelPlot(type: .ratio, numerators: xs, denominators: expected, overdispersion: overdispersion.plot,
                              varianceFactors: factors, tau2: tau2)
      scale = rate * mult
    }
    // Limits from a fitted distribution replace the normal-scale limits.
    var fitted: DistributionFunnel? = nil
    switch overdispersion {
    case .negativeBinomial:
      fitted = try DistributionFunnel(family: .negativeBinomial, numerators: xs, denominators: ns, target: target)
    case .betaBinomial:
      fitted = try DistributionFunnel(family: .betaBinomial, numerators: xs, denominators: ns, target: target)
    default: break
    }
    let valueScale = fitted == nil ? scale : mult
    // The notes say how these limits were made: with a fitted
    // distribution, the plot's own notes (exact Poisson limits, z-scores
    // on the √(O/E) scale) described limits that were not the ones shown.
    let methodNotes = fitted.map { [Self.fittedNote($0)] } ?? funnel.notes
    func unitLimits(_ k: Int, _ level: Double) -> (lower: Double, upper: Double) {
      fitted?.limits(unit: k, level: level) ?? funnel.limits(unit: k, level: level)
    }
    func unitFlag(_ k: Int, _ levels: [Double]) -> String {
      fitted?.flag(unit: k, levels: levels) ?? funnel.flag(unit: k, levels: levels)
    }
    let extra = levelList
    let labels = extra.map { FunnelPlot.levelLabel($0) }
    let header = ["unit", "numerator", "denominator", "value", "z_score", "adjusted_z_score", "flag", "lower_95",
                  "upper_95", "lower_998", "upper_998", "status"]
      + labels.flatMap { ["lower_at_\($0)", "upper_at_\($0)", "flag_\($0)"] }
    var rows: [[String]] = []
    // Values, limits, the target and the levels are scaled (× --multiplier,
    // × the overall rate): printed without the last-bit noise of that
    // scaling (7.000000000000001 for 7%). z-scores, φ and τ² are printed as computed.
    let shown = { (d: Double) in CSVWriter.number(ScaledNumber.cleaned(d)) }
    for (k, i) in used.enumerated() {
      let u = funnel.units[k]
      let num = CSVWriter.number
      let l95 = unitLimits(k, 0.95), l998 = unitLimits(k, 0.998)
      let z = fitted?.z(unit: k) ?? u.z, adjZ = fitted?.z(unit: k) ?? u.adjustedZ
      let flag = fitted == nil ? u.flag.rawValue : unitFlag(k, [0.95, 0.998])
      rows.append([names[i], num(xs[k]), num(ns[k]), shown(u.value * scale), num(z), num(adjZ), flag,
                   shown(l95.lower * valueScale), shown(l95.upper * valueScale), shown(l998.lower * valueScale),
                   shown(l998.upper * valueScale), "ok"]
                  + extra.flatMap { level -> [String] in
                    let l = unitLimits(k, level)
                    return [shown(l.lower * valueScale), shown(l.upper * valueScale), unitFlag(k, [level])]
                  })
    }
    for (i, reason) in skipped {
      rows.append([names[i], x[i].number.map { CSVWriter.number($0) } ?? "", n[i].number.map { CSVWriter.number($0) } ?? "",
                   "", "", "", "", "", "", "", "", reason] + extra.flatMap { _ in ["", "", ""] })
    }
    switch format {
    case .csv:
      // CSV has no place for notes: they go to standard error.
      for note in inputNotes + (single ? [] : methodNotes) { printError("note: " + note) }
      print(CSVWriter.render(header: header, rows: rows), terminator: "")
    default:
      let units: [JSONValue] = rows.map { r in
        .object(zip(header, r).map { k, v in
          if ["unit", "flag", "status"].contains(k) || k.hasPrefix("flag_") { return (k, v.isEmpty ? .null : .string(v)) }
          return (k, Double(v).map(JSONValue.number) ?? .null)
        })
      }
      print(JSONValue.object([
        ("type", .string(type.rawValue)), ("target", .number(ScaledNumber.cleaned(type == .rate ? scale : funnel.target * scale))),
        ("overdispersion", .string(overdispersion.rawValue)), ("phi", single ? .null : .number(funnel.phi)),
        ("tau_squared", .number(funnel.tauSquared)),
        // τ²'s estimator names how additive limits were drawn; other limits use none.
        ("tau2_method", overdispersion == .additive ? .string(tau2.rawValue) : .null),
        ("theta", .optional(fitted?.family == .negativeBinomial ? fitted?.parameter : nil)),
        ("rho", .optional(fitted?.family == .betaBinomial ? fitted?.parameter : nil)),
        // Limits from a fitted distribution carry its over-dispersion (θ finite, ρ above 0).
        ("levels", .array(extra.map { .number(ScaledNumber.cleaned($0 * 100)) })),
        ("adjusted", .bool(fitted.map { $0.family == .betaBinomial ? $0.parameter > 0 : $0.parameter.isFinite } ?? funnel.adjusted)),
        ("dispersion_p_value", single ? .null : .number(funnel.dispersionPValue)), ("notes", .array((inputNotes + (single ? [] : methodNotes)).map { .string($0) })),
        ("units", .array(units)),
      ]).rendered(pretty: true))
    }
  }
}

extension FunnelCommand {
  /// What limits from a fitted distribution are, for the notes.
  static func fittedNote(_ f: DistributionFunnel) -> String {
    let midP = "Both z-score columns are mid-p z-scores under that distribution, Φ⁻¹(F(x − 1) + ½P(x)); "
    switch f.family {
    case .negativeBinomial:
      return "Limits are exact negative-binomial quantiles at each unit's expected count E (its denominator × the "
        + "target rate), with θ = \(String(format: "%.6g", f.parameter)) by maximum likelihood (variance E + E²/θ); "
        + "flags are against these. " + midP + "φ and τ² describe the √(O/E) scale and are not used."
    case .betaBinomial:
      return "Limits are exact beta-binomial quantiles at each unit's denominator n, with intra-unit correlation "
        + "ρ = \(String(format: "%.6g", f.parameter)) by maximum likelihood (variance nπ(1 − π)(1 + (n − 1)ρ)); flags "
        + "are against these. " + midP + "φ and τ² describe the arcsine scale and are not used."
    }
  }
}

extension FunnelPlot.Overdispersion: ExpressibleByArgument {}
extension BetweenUnitVariance: ExpressibleByArgument {}
