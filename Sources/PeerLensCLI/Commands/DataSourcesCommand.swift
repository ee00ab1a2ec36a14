import ArgumentParser
import Foundation
import PeerLensData

extension DataCommand {
  /// `peerlens data sources`: the files in use and where each came from.
  struct Sources: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "sources",
      abstract: "List the data files in use with their origin (snapshot or import), release, periods and checksums.",
      discussion: """
        The same list each pack prints in its provenance section. Without --data or --vintage \
        it describes the data every command reads by default: the newest imported vintage, \
        else the snapshot embedded in PeerLens.

        Examples:
          peerlens data sources
          peerlens data sources --vintage 1 --format csv
        """
    )

    @OptionGroup var dataOptions: DataOptions

    @Option(name: .long, help: "Output format: text, json or csv.")
    var format: OutputFormat = .text

    func run() throws {
      let mirror = try dataOptions.mirror()
      let sources = try DataSource.list(mirror)
      let header = ["path", "origin", "release", "periods", "sha256"]
      let rows = sources.map { s in
        [s.path, s.origin, s.release, s.periods.map { $0.joined(separator: "–") } ?? "", s.sha256]
      }
      switch format {
      case .json:
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(sources), as: UTF8.self))
      case .csv:
        print(CSVWriter.render(header: header, rows: rows), terminator: "")
      case .text:
        print("Data folder: \(mirror.root.path) (\(Self.describe(mirror.origin)))")
        // The table shows the hash's first 16 characters, and says so; JSON and CSV give it whole.
        let shownHeader = header.map { $0 == "sha256" ? "sha256 (first 16; whole in --format json or csv)" : $0 }
        print(TextTable.render(header: shownHeader, rows: rows.map { r in r.enumerated().map { $0.offset == 4 ? String($0.element.prefix(16)) : $0.element } }))
      }
    }

    static func describe(_ origin: DataMirror.Origin) -> String {
      switch origin {
      case .folder: return "a folder named with --data or PEERLENS_DATA"
      case .snapshot(let sha): return "the snapshot embedded in PeerLens, \(sha.prefix(16))"
      case .vintage(let id, let label): return "vintage \(id), \(label)"
      }
    }
  }
}
