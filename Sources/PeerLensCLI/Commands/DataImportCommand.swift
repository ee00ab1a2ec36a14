import ArgumentParser
import Foundation
import PeerLensAnalysis
import PeerLensData

extension DataCommand {
  /// `peerlens data import`: a new DfE release as a new vintage.
  struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "import",
      abstract: "Bring in files downloaded from explore-education-statistics as a new vintage of the data.",
      discussion: """
        Takes the ZIP a release's "Download all data" link produces, or individual CSV files. \
        Each CSV is recognised from its columns (not its name) as one of the files PeerLens \
        reads, and checked with the same rules as 'data check'. The new vintage is the previous \
        one with these files replaced; it is written to the data directory ($PEERLENS_DATA_HOME, \
        else $XDG_DATA_HOME/peerlens, else ~/.local/share/peerlens) and recorded in its store. \
        Every command then reads the newest vintage, or the one --vintage names; 'peerlens \
        changes --data-home DIR' says what the release revised. On any error nothing is written.

        Examples:
          peerlens data import ~/Downloads/children-looked-after-in-england_2026.zip
          peerlens data import la_cla_2026.csv csww_indicators_2026.csv \\
              --label "2026 release"
          peerlens packs --vintage 1 --out out/packs-before
        """
    )

    @Argument(help: ArgumentHelp("ZIP or CSV files from explore-education-statistics.", valueName: "path"))
    var paths: [String]

    @Option(name: .long, help: "A label for the new vintage (default: the time of import).")
    var label: String?

    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var catalogueOptions: CatalogueOptions

    @Flag(name: .long, help: "Print each step.")
    var verbose = false

    func validate() throws { try VintageLabel.validate(label) }

    func run() throws {
      let library = dataOptions.library
      let base = try dataOptions.mirror()
      let catalogue = try catalogueOptions.load()
      let importer = ReleaseImport(library: library, base: base, catalogue: catalogue)
      // As `data check` (and `ingest`): a count that contradicts its own
      // published rate with no known cause is an error. Only those the
      // import brings in refuse it; any already in the data it builds on
      // were accepted then.
      let outcome = try importer.run(paths, label: label, validate: { staged in
        try DataConsistency.errors(in: staged, catalogue: catalogue, beyond: base)
      }) { if verbose { printError($0) } }
      for f in outcome.files {
        let span = f.periods.map { " \($0.first!)–\($0.last!)" } ?? ""
        print("\(f.input) → \(f.target) (\(f.rows) rows\(span))")
      }
      if !outcome.skipped.isEmpty {
        print("Left out \(outcome.skipped.count) file(s) PeerLens does not read:")
        for s in outcome.skipped { print("  \(s)") }
      }
      if let b = outcome.baseline {
        print("The data in use before this import is vintage \(b.id) (\(b.label)).")
      }
      let v = outcome.vintage
      if outcome.created {
        print("Stored vintage \(v.id) (\(v.label)) in \(library.root.path). Commands read it by default; --vintage names another.")
      } else {
        print("Already imported as vintage \(v.id) (\(v.label)): nothing changed.")
      }
    }
  }
}
