import ArgumentParser
import Foundation
import PeerLensAnalysis
import PeerLensData
import PeerLensStatistics

/// `peerlens data check`: a validation report of the mirror.
struct DataCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "data",
    abstract: "Inspect the data, check it against DfE's published figures, import new releases and list the files in use.",
    subcommands: [Check.self, Agreement.self, Import.self, Sources.self]
  )

  struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Validate every DfE file: unknown codes, duplicate rows, symbol counts per file.",
      discussion: """
        Exits with status 1 if any file has an error: text in a numeric column, a malformed row, a \
        period outside the plausible years (such as 9999) or reported by only a handful of \
        authorities, two rows for the same area, period and filters that give different figures, a \
        row whose count and denominator contradict its own published rate at the published precision \
        (by more than rounding explains), a percentage above 100 (a count above its denominator) \
        where the indicator counts some of its denominator's children, a count above 0 over a \
        denominator of 0, a count of children that \
        is not a whole number, or a file with a header and no rows. Warnings (unknown authority codes, a row naming another authority, \
        duplicate rows, count-rate differences explained by a boundary change or another \
        denominator source, an indicator with no National row in any period) are listed; with --strict they fail the check too.

        Examples (file and folder names stand for your own):
          peerlens data check --data ~/dfe-data
          peerlens data check --strict
        """
    )

    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var catalogueOptions: CatalogueOptions

    @Flag(name: .long, help: "Fail on warnings too (unknown codes, a row naming another authority, duplicate rows, explained count-rate differences, no England figure).")
    var strict = false

    @Option(name: .long, help: "Output format: text or json.")
    var format: TextOrJSON = .text
    func run() throws {
      let mirror = try dataOptions.mirror()
      // An empty table would read as "no problems found" when nothing was checked.
      let names = try mirror.eesFileNames()
      guard !names.isEmpty else {
        throw DataError.invalid("No DfE files to check: \(mirror.url("dfe").path) holds no .csv files (expected the EES CSV files of the data folder's dfe/ subfolder).")
      }
      let registry = try mirror.registry()
      let catalogue = try catalogueOptions.load()
      let required = catalogue.columnsRead
      var checks: [FileCheck] = []
      var failures: [String] = []
      // Files that could not be read at all keep their row in the table
      // (a file with a repeated header column had vanished from it).
      var unread: Set<String> = []
      for name in names {
        do {
          checks.append(try mirror.check(name, registry: registry, requiredNumeric: required[name] ?? []))
        } catch {
          // Most errors name the file themselves; said once.
          let text = error.localizedDescription
          failures.append(text.hasPrefix(name) ? text : "\(name): \(text)")
          unread.insert(name)
        }
      }
      // Rows whose count contradicts their own published rate, and figures
      // that cannot be right (percentages above 100 where the numerator
      // counts some of the denominator's children, fractional counts of
      // children): one pass over the indicators' values for both.
      var found = DataConsistency.Findings()
      do {
        found = try DataConsistency.check(mirror, catalogue: catalogue)
      } catch let error as AmbiguousRows where Self.isListed(error, in: checks) {
        // The pair is an error above already: said a second time, in other
        // words, it read as another problem, and the checks it stopped went unsaid.
        failures.append("count-rate and impossible-figure checks: not run, as \(error.file) repeats a row with another "
          + "figure (lines \(error.firstLine) and \(error.line), above): remove one of each such pair and check again.")
      } catch {
        failures.append("count-rate and impossible-figure checks: \(error.localizedDescription)")
      }
      // A header with no rows reads as a clean file (every count 0), while
      // every indicator read from it has no values: `data import` and
      // `ingest` refuse it (`FileCheck.storageRefusal`), and so does this.
      let emptyFiles = checks.filter { $0.rows == 0 }.map { c -> String in
        let readers = catalogue.indicators.filter { $0.source == c.file }.map(\.id)
        let what = readers.isEmpty ? "" : " (\(EnglishList.first(8, of: readers)))"
        return "\(c.file): it has a header but no rows of data; every indicator read from it\(what) would have no values."
      }
      let conflictErrors = found.conflicts.filter(\.isError), conflictWarnings = found.conflicts.filter { !$0.isError }
      let impossible = found.impossible
      let reasons = MissingReason.allCases
      switch format {
      case .json:
        let files: [JSONValue] = checks.map { c in
          .object([
            ("file", .string(c.file)), ("rows", .integer(c.rows)),
            ("symbols", .object(reasons.map { ($0.symbol.isEmpty ? "empty" : $0.symbol, .integer(c.symbolCounts[$0] ?? 0)) })),
            ("unknown_codes", .object(c.unknownCodes.sorted { $0.key < $1.key }.map { ($0.key, .integer($0.value)) })),
            ("duplicate_lines", .array(c.duplicateLines.map { .integer($0) })),
            ("duplicate_of", .array(c.duplicateOf.map { .integer($0) })),
            ("duplicate_conflicts", .array(c.duplicateConflicts.map { .string($0.description) })),
            ("errors", .array(c.errors.map { .string($0.localizedDescription) })),
            ("period_errors", .array(c.periodProblems.map { .string($0.description) })),
            ("misnamed", .array(c.misnamed.map { .string($0.description) })),
          ])
        }
        print(JSONValue.object([("files", .array(files)), ("failures", .array(failures.map { .string($0) })),
                                ("count_rate_errors", .array(conflictErrors.map { .string($0.description) })),
                                ("count_rate_warnings", .array(conflictWarnings.map { .string($0.description) })),
                                ("impossible_figures", .array(impossible.map { .string($0.description) })),
                                ("empty_files", .array(emptyFiles.map { .string($0) })),
                                ("missing_england", .array(found.missingEngland.map { .string($0.description) })),
                                ("strict", .bool(strict))])
          .rendered(pretty: true))
      default:
        let header = ["file", "rows"] + reasons.map { $0.symbol.isEmpty ? "empty" : $0.symbol } + ["unknown", "dup", "errors"]
        var rows: [[String]] = []
        var checked = checks.makeIterator()
        for name in names {
          if unread.contains(name) {
            rows.append([name, "not read"] + reasons.map { _ in "-" } + ["-", "-", "1"])
            continue
          }
          guard let c = checked.next() else { break }
          rows.append([c.file, String(c.rows)] + reasons.map { String(c.symbolCounts[$0] ?? 0) }
            + [String(c.unknownCodes.values.reduce(0, +)), String(c.duplicateLines.count), String(c.errorCount)])
        }
        print(TextTable.render(header: header, rows: rows))
        for c in checks {
          for (code, n) in c.unknownCodes.sorted(by: { $0.key < $1.key }) {
            print("\(c.file): unknown authority code '\(code)' on \(n) row(s)")
          }
          for (code, n) in c.jointReturns.sorted(by: { $0.key < $1.key }) {
            print("\(c.file): joint return '\(code)' on \(n) row(s) (one return for a shared service: each authority shows the joint figure, counted once in ranks and summaries)")
          }
          if !c.duplicateLines.isEmpty {
            let pairs = zip(c.duplicateLines, c.duplicateOf).prefix(10).map { "line \($0) repeats line \($1)" }
            let more = c.duplicateLines.count > 10 ? " (and \(c.duplicateLines.count - 10) more)" : ""
            print("\(c.file): duplicate rows (the same geography, period and filters): "
              + pairs.joined(separator: ", ") + more)
          }
          for d in c.duplicateConflicts { print("error: " + d.description) }
          if c.duplicateConflictCount > c.duplicateConflicts.count {
            print("error: \(c.file): \(c.duplicateConflictCount - c.duplicateConflicts.count) more repeated rows that disagree (the first 50 are listed).")
          }
          for m in c.misnamed { print("warning: " + m.description) }
          for e in c.errors { print("error: " + e.localizedDescription) }
          for p in c.periodProblems { print("error: " + p.description) }
        }
        for c in conflictErrors { print("error: count and published rate disagree: " + c.description) }
        for c in conflictWarnings { print("warning: count and published rate differ: " + c.description) }
        for p in impossible { print("error: impossible figure: " + p.description) }
        for e in emptyFiles { print("error: " + e) }
        for m in found.missingEngland { print("warning: no England figure: " + m.description) }
        for f in failures { print("error: " + f) }
      }
      let errors = !failures.isEmpty || !conflictErrors.isEmpty || !impossible.isEmpty || !emptyFiles.isEmpty
        || checks.contains { $0.errorCount > 0 }
      let warnings = !conflictWarnings.isEmpty || !found.missingEngland.isEmpty || checks.contains { !$0.unknownCodes.isEmpty || !$0.duplicateLines.isEmpty || !$0.misnamed.isEmpty }
      if errors || (strict && warnings) { throw ExitCode.failure }
    }

    /// Whether `rows` are a pair that the file checks list as a repeated
    /// row with another figure (all of them, where more than the listed
    /// 50 were found in the file).
    static func isListed(_ rows: AmbiguousRows, in checks: [FileCheck]) -> Bool {
      guard rows.filters.isEmpty, rows.identities.isEmpty, let c = checks.first(where: { $0.file == rows.file }) else { return false }
      return c.duplicateConflicts.contains { $0.firstLine == rows.firstLine && $0.line == rows.line }
        || c.duplicateConflictCount > c.duplicateConflicts.count
    }
  }
}

/// A plain fixed-width text table.
enum TextTable {
  static func render(header: [String], rows: [[String]]) -> String {
    var widths = header.map(\.count)
    for r in rows { for (j, c) in r.enumerated() { widths[j] = max(widths[j], c.count) } }
    func line(_ r: [String]) -> String {
      r.enumerated().map { j, c in j == 0 ? c.padding(toLength: widths[j], withPad: " ", startingAt: 0)
        : String(repeating: " ", count: widths[j] - c.count) + c }.joined(separator: "  ")
    }
    return ([line(header)] + rows.map(line)).joined(separator: "\n")
  }
}
