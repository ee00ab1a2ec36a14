import ArgumentParser
import Foundation
import PeerLensAnalysis
import PeerLensData

/// `peerlens ingest`: store the mirror as a vintage in the release store.
struct IngestCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ingest",
    abstract: "Ingest the data mirror into the SQLite store of releases as a new vintage.",
    discussion: """
      Every DfE file is read and checked first, then the data as a whole, as 'data import' \
      checks it (a count that contradicts its own published rate is refused); any error stops \
      the ingest before the store is opened (a new store file is not created). The ingest is one transaction. Re-ingesting the \
      files of the latest vintage is a no-op; the files of an earlier vintage, a --label another vintage has, and a \
      SQLite file another program made are refused, and the store is left as it was.

      Examples (file and folder names stand for your own):
        peerlens ingest
        peerlens ingest --data ~/dfe-data --store releases.sqlite \\
            --label "2025 release"
      """
  )

  @OptionGroup var dataOptions: DataOptions
  @OptionGroup var catalogueOptions: CatalogueOptions

  @Option(name: .long, help: ArgumentHelp("The store file.", valueName: "file"))
  var store: String = "peerlens.sqlite"

  @Option(name: .long, help: "A label for the vintage (default: the time of ingest).")
  var label: String?

  @Flag(name: .long, help: "Print each step.")
  var verbose = false

  func validate() throws {
    try VintageLabel.validate(label)
    _ = try FilePath.store(store)
  }

  func run() throws {
    let mirror = try dataOptions.mirror()
    let catalogue = try catalogueOptions.load()
    let progress: (String) -> Void = { msg in if self.verbose { printError(msg) } }
    // Every file is read and the data checked as a whole before the store
    // is opened: opening creates the file, and a refused ingest into a new
    // path would otherwise leave an empty store behind, which later
    // commands would read as "no releases ingested".
    let fingerprinted = try ReleaseStore.fingerprint(mirror: mirror, catalogue: catalogue, progress: progress)
    let problems = try DataConsistency.errors(in: mirror, catalogue: catalogue)
    if !problems.isEmpty { throw StoreError.inconsistentData(folder: mirror.root.path, problems: problems) }
    let db = try ReleaseStore(path: store)
    let outcome = try db.ingest(mirror: mirror, catalogue: catalogue, label: label, fingerprinted: fingerprinted,
                                progress: progress)
    switch outcome {
    case .created(let v):
      print("Stored vintage \(v.id) (\(v.label)) in \(store).")
    case .unchanged(let v):
      // A new label for the same files is not taken: said, not dropped in silence.
      let unused = label.map { $0 == v.label ? "" : " The label '\($0)' was not applied." } ?? ""
      print("No change: the files and catalogue match vintage \(v.id) (\(v.label)); nothing was stored.\(unused)")
    }
  }
}
