import ArgumentParser
import Foundation
import PeerLensData

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
        Exits with status 1 if any file has an error (text in a numeric column, a malformed row).

        Examples:
          peerlens data check --data ../shared/data
        """
    )

    @OptionGroup var dataOptions: DataOptions

    @Option(name: .long, help: "Output format: text or json.")
    var format: OutputFormat = .text

    func run() throws {
      let mirror = try dataOptions.mirror()
      // An empty table would read as "no problems found" when nothing was checked.
      let names = try mirror.eesFileNames()
      guard !names.isEmpty else {
        throw DataError.invalid("No DfE files to check: \(mirror.url("dfe").path) holds no .csv files (expected the EES CSV files of the data folder's dfe/ subfolder).")
      }
      let registry = try mirror.registry()
      var checks: [FileCheck] = []
      var failures: [String] = []
      for name in names {
        do {
          checks.append(try mirror.check(name, registry: registry))
        } catch {
          failures.append("\(name): \(error.localizedDescription)")
        }
      }
      let reasons = MissingReason.allCases
      switch format {
      case .json:
        let files: [JSONValue] = checks.map { c in
          .object([
            ("file", .string(c.file)), ("rows", .integer(c.rows)),
            ("symbols", .object(reasons.map { ($0.symbol.isEmpty ? "empty" : $0.symbol, .integer(c.symbolCounts[$0] ?? 0)) })),
            ("unknown_codes", .object(c.unknownCodes.sorted { $0.key < $1.key }.map { ($0.key, .integer($0.value)) })),
            ("duplicate_lines", .array(c.duplicateLines.map { .integer($0) })),
            ("errors", .array(c.errors.map { .string($0.localizedDescription) })),
          ])
        }
        print(JSONValue.object([("files", .array(files)), ("failures", .array(failures.map { .string($0) }))])
          .rendered(pretty: true))
      default:
        let header = ["file", "rows"] + reasons.map { $0.symbol.isEmpty ? "empty" : $0.symbol } + ["unknown", "dup", "errors"]
        var rows: [[String]] = []
        for c in checks {
          rows.append([c.file, String(c.rows)] + reasons.map { String(c.symbolCounts[$0] ?? 0) }
            + [String(c.unknownCodes.values.reduce(0, +)), String(c.duplicateLines.count), String(c.errors.count)])
        }
        print(TextTable.render(header: header, rows: rows))
        for c in checks {
          for (code, n) in c.unknownCodes.sorted(by: { $0.key < $1.key }) {
            print("\(c.file): unknown authority code '\(code)' on \(n) row(s)")
          }
          for (code, n) in c.jointReturns.sorted(by: { $0.key < $1.key }) {
            print("\(c.file): joint return '\(code)' on \(n) row(s) (shared service; not assigned to either authority)")
          }
          if !c.duplicateLines.isEmpty {
            print("\(c.file): duplicate rows at lines \(c.duplicateLines.prefix(10).map(String.init).joined(separator: ", "))")
          }
          for e in c.errors { print(e.localizedDescription) }
        }
        for f in failures { print(f) }
      }
      if !failures.isEmpty || checks.contains(where: { !$0.errors.isEmpty }) { throw ExitCode.failure }
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
