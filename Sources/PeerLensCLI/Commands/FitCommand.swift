import ArgumentParser
import Foundation
import PeerLensAnalysis
import PeerLensData
import PeerLensStatistics

/// `peerlens fit`: fit a linear model or GLM to a CSV file.
struct FitCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "fit",
    abstract: "Fit a linear model or generalized linear model to a CSV file.",
    discussion: """
      The formula uses R's syntax and R's term rules: y ~ a + b, y ~ 0 + a or a - 1 (no \
      intercept), a*b and a:b (interactions; a:a is a), (a + b + c)^2 (all two-way \
      interactions), a/b (a + a:b), - term (removes it), . (every other column except the \
      --weights column), I(x^2), log(x), sqrt(x), exp(x), factor(x) (a factor in that term \
      only), offset(log(n)), and cbind(successes, failures) as a binomial response. Text \
      columns (or quoted values) are categorical; the alphabetically first level is the \
      baseline, as in R. The --weights column need not appear in the formula.

      Formulas nest at most 200 levels deep, expand to at most 1,000 terms and give at most \
      10,000 design-matrix columns; past these PeerLens refuses with the count.

      Rows with a missing value (empty, or a DfE symbol such as c, x, z, low) in a variable the \
      formula uses are left out, and the summary says how many.

      Examples (file and folder names stand for your own):
        peerlens fit --data Longley.csv \\
            --formula "y ~ x1 + x2 + x3 + x4 + x5 + x6"
        peerlens fit --data warpbreaks.csv --formula "breaks ~ wool * tension" \\
            --family poisson
        peerlens fit --data esoph.csv \\
            --formula "cbind(ncases, ncontrols) ~ agegp + alcgp" \\
            --family binomial --format json
        peerlens fit --data cla.csv \\
            --formula "count ~ imd + offset(log(population))" \\
            --family negative-binomial --bootstrap 1000

      --bootstrap N refits the model on N resamples of the rows (drawn with replacement, on all \
      cores) and adds percentile intervals and bootstrap standard errors for every coefficient \
      (and θ); the same --seed gives the same resamples. At most 100,000 resamples, and at \
      most 50,000,000 resample cells (resamples × (rows + coefficients)), so that the memory a \
      bootstrap takes stays bounded; larger requests are refused with the numbers.
      """
  )


  @Option(name: .long, help: "The CSV file to read.", transform: FilePath.csv)
  var data: URL

  @Option(name: .long, help: "The model formula, in R's syntax.")
  var formula: String

  @Option(name: .long, help: "A column of prior weights.")
  var weights: String?

  @Option(name: .long, help: "The error family (default gaussian: least squares).")
  var family: FamilyName = .gaussian

  @Option(name: .long, help: "The link function (default: the family's canonical link).")
  var link: Link?

  @Flag(name: .long, help: "Also report robust (sandwich, HC0) standard errors.")
  var robust = false

  @Option(name: .long, help: "Output format: text (like R's summary) or json.")
  var format: TextOrJSON = .text

  @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Bootstrap resamples for percentile intervals (0: none).", valueName: "n"))
  var bootstrap: Int = 0

  @Option(name: .long, parsing: .unconditional, help: "Seed for the bootstrap resamples.")
  var seed: UInt64 = 1

  @Option(name: .long, parsing: .unconditional, help: "Level of the bootstrap intervals.")
  var level: Double = 0.95

  /// The design size (rows × columns) from which a fit is announced on
  /// standard error before it starts: 80 MiB a copy.
  static let largeDesignCells = 10_000_000

  /// What is said before fitting a design of `rows` × `columns`, or nil
  /// below `largeDesignCells`.
  static func largeDesignNotice(rows: Int, columns: Int) -> String? {
    let cells = rows.multipliedReportingOverflow(by: columns)
    guard cells.overflow || cells.partialValue >= largeDesignCells else { return nil }
    let mib = Double(rows) * Double(columns) * Double(MemoryLayout<Double>.size) / Double(1 << 20)
    // About seven copies at the peak, measured (9,000 × 1,200: 82 MiB a copy, 568 MiB in all).
    return "Fitting a design of \(grouped(rows)) rows × \(grouped(columns)) columns (\(grouped(Int(mib))) MiB a copy; "
      + "the fit holds about seven copies, some \(grouped(Int(7 * mib))) MiB): this may take a while. A factor's levels "
      + "are its columns: fewer levels (grouping rare ones) make it quicker."
  }

  /// Most bootstrap resamples: every resample's row indices and estimates
  /// are kept for the percentile intervals, so memory grows with the count.
  static let maxBootstrap = 100_000
  /// Most resample cells, resamples × (rows + coefficients): about 400 MB.
  static let maxBootstrapCells = 50_000_000

  func validate() throws {
    if bootstrap < 0 { throw ValidationError("--bootstrap takes a number of resamples (0 or more), got \(bootstrap).") }
    if bootstrap > Self.maxBootstrap {
      throw ValidationError("--bootstrap \(bootstrap) is more than the \(grouped(Self.maxBootstrap)) resamples PeerLens "
                            + "keeps; percentile intervals settle well before that.")
    }
    if !(level > 0 && level < 1) { throw ValidationError("--level must be between 0 and 1 (e.g. 0.95), got \(level).") }
    if let link, family == .negativeBinomial, link != .log, link != .identity, link != .sqrt {
      throw ValidationError("The negative-binomial family takes the log, identity or sqrt link.")
    }
  }

  func run() throws {
    let table = try CSVReader.read(contentsOf: data, source: data.relativePath)
    // Said as it is: a header alone read every column as an empty category
    // and answered "'y' is a categorical column".
    guard table.rowCount > 0 else {
      throw DataError.invalid("\(table.source): the file has a header but no rows of data; there is nothing to fit.")
    }
    let parsed = try FormulaParser.parse(formula, columns: table.columnNames, weights: weights)
    let frame = try ModelFrame.build(formula: parsed, table: table, weights: weights)
    guard let response = frame.response else { throw FormulaError.missingResponse(formula: formula) }
    // θ measures variation beyond Poisson: with every count 0 there is none
    // to measure, and the fit reported θ = 1, converged, with no warning.
    if family == .negativeBinomial, case .values(let y) = response, !y.isEmpty, y.allSatisfy({ $0 == 0 }) {
      throw DataError.invalid("\(table.source): every used row's response is 0, so the negative binomial's θ cannot be "
        + "estimated (there is no variation to measure). Counts that are all zero have no rate to model.")
    }
    // A large design is fitted, but said first: a factor of 5,000 levels
    // over 10,000 rows ran for minutes in gigabytes of memory with nothing
    // on the screen.
    if let notice = Self.largeDesignNotice(rows: frame.design.rows, columns: frame.design.columns) { printError(notice) }
    // A bad value is named by its line and column in the file, not by its row among the complete rows.
    let report: FitReport
    do { report = try FitReport.fit(frame: frame, family: family, link: link, table: table) } catch {
      throw frame.locating(error, in: table, weights: weights)
    }
    let cells = bootstrap.multipliedReportingOverflow(by: frame.design.rows + frame.design.columns + 1)
    if bootstrap > 0, cells.overflow || cells.partialValue > Self.maxBootstrapCells {
      throw ValidationError("--bootstrap \(bootstrap) over \(grouped(frame.design.rows)) rows and "
                            + "\(grouped(frame.design.columns)) coefficients would keep \(grouped(cells.partialValue)) "
                            + "resample cells; PeerLens keeps at most \(grouped(Self.maxBootstrapCells)). Ask for fewer resamples.")
    }
    let boot = bootstrap > 0
      ? BootstrapSummary.compute(frame: frame, family: family, link: link, original: report.fitted,
                                 bootstrap: CaseBootstrap(rows: frame.design.rows, count: bootstrap, seed: seed),
                                 level: level, seed: seed)
      : nil
    switch format {
    case .text:
      print(report.summaryText, terminator: "")
      if robust, let se = report.robustStandardErrors {
        print("\nRobust (HC0) standard errors:")
        for (name, s) in zip(report.coefficientNames, se) { print("  \(name): \(s.map { RegressionSummary.fmt($0) } ?? "NA")") }
      }
      if let boot { print("\n" + boot.text, terminator: "") }
    default:
      var json = report.json(includeRobust: robust)
      if let boot, case .object(var fields) = json {
        fields.append(("bootstrap", FitReport.json(boot)))
        json = .object(fields)
      }
      print(json.rendered(pretty: true))
    }
  }
}

/// 1234567 as "1,234,567".
private func grouped(_ n: Int) -> String {
  var digits = String(n), out = ""
  while digits.count > 3 { out = "," + digits.suffix(3) + out; digits.removeLast(3) }
  return digits + out
}

extension FamilyName: ExpressibleByArgument {}

extension Link: ExpressibleByArgument {}
