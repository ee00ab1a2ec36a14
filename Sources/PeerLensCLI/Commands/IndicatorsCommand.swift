import ArgumentParser
import Foundation
import PeerLensAnalysis
import PeerLensData

/// `peerlens indicators`: the catalogue with coverage per year.
struct IndicatorsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "indicators",
    abstract: "List the indicator catalogue, with how many authorities have a value each year.",
    discussion: """
      Examples:
        peerlens indicators
        peerlens indicators --format json
        peerlens indicators --no-coverage --format csv
      """
  )

  @OptionGroup var dataOptions: DataOptions
  @OptionGroup var catalogueOptions: CatalogueOptions

  @Option(name: .long, help: "Output format: text, json or csv.")
  var format: OutputFormat = .text

  @Flag(name: .long, inversion: .prefixedNo, help: "Compute coverage from the data mirror.")
  var coverage = true

  func run() throws {
    let catalogue = try catalogueOptions.load()
    var coverageByID: [String: [(String, Int)]] = [:]
    let beside = SupplementaryFigure.all
    if coverage {
      let mirror = try dataOptions.mirror()
      if let registry = try? mirror.registry() {
        for f in beside { coverageByID[f.id] = f.coverage(mirror: mirror, registry: registry).map { ($0.period, $0.count) } }
      }
      let calc = IndicatorCalculator(mirror: mirror)
      for ind in catalogue.indicators {
        let values = try calc.values(ind).filter { $0.level == .localAuthority }
        var counts: [TimePeriod: Int] = [:]
        for v in values { counts[v.period, default: 0] += v.status == .ok ? 1 : 0 }
        coverageByID[ind.id] = counts.sorted { $0.key < $1.key }.map { ($0.key.label, $0.value) }
      }
    }
    switch format {
    case .text:
      for fw in catalogue.frameworks {
        let inds = catalogue.indicators.filter { $0.framework == fw.id }
        let extra = beside.filter { $0.framework == fw.id }
        guard !inds.isEmpty || !extra.isEmpty else { continue }
        print(fw.heading)
        for i in inds {
          print("  \(i.id)  [\(i.unit.rawValue), \(i.polarity.rawValue)]")
          print("    \(i.title)")
          if let cov = coverageByID[i.id] {
            print("    coverage: " + cov.map { "\($0.0): \($0.1)" }.joined(separator: ", "))
          }
        }
        for f in extra {
          print("  \(f.id)  [beside the indicators]")
          print("    \(f.title): \(f.kind)")
          if let cov = coverageByID[f.id] {
            print("    coverage: " + cov.map { "\($0.0): \($0.1)" }.joined(separator: ", "))
          }
        }
        print("")
      }
      if !catalogue.notComputable.isEmpty {
        print("Not computable from the mirror:")
        for n in catalogue.notComputable { print("  - \(n.title) (\(n.framework)): \(n.reason)") }
      }
    case .json:
      let inds: [JSONValue] = catalogue.indicators.map { i in
        .object([
          ("id", .string(i.id)), ("title", .string(i.title)), ("framework", .string(i.framework)),
          ("unit", .string(i.unit.rawValue)), ("decimals", .integer(i.decimals)), ("polarity", .string(i.polarity.rawValue)),
          ("description", .string(i.description)), ("caveats", .optional(i.caveats)), ("source", .string(i.source)),
          ("denominator_note", .optional(i.denominatorNote)),
          ("coverage", .object((coverageByID[i.id] ?? []).map { ($0.0, .integer($0.1)) })),
        ])
      }
      let nc: [JSONValue] = catalogue.notComputable.map {
        .object([("title", .string($0.title)), ("framework", .string($0.framework)), ("reason", .string($0.reason))])
      }
      let extra: [JSONValue] = beside.map { f in
        .object([
          ("id", .string(f.id)), ("title", .string(f.title)), ("framework", .string(f.framework)),
          ("kind", .string(f.kind)), ("source", .string(f.file)),
          ("coverage", .object((coverageByID[f.id] ?? []).map { ($0.0, .integer($0.1)) })),
        ])
      }
      print(JSONValue.object([("indicators", .array(inds)), ("beside_indicators", .array(extra)),
                              ("not_computable", .array(nc))]).rendered(pretty: true))
    case .csv:
      let rows = catalogue.indicators.map { i in
        [i.id, i.title, i.framework, i.unit.rawValue, i.polarity.rawValue, i.source,
         (coverageByID[i.id] ?? []).map { "\($0.0):\($0.1)" }.joined(separator: ";")]
      } + beside.map { f in
        [f.id, f.title, f.framework, "beside the indicators", "no_judgement", f.file,
         (coverageByID[f.id] ?? []).map { "\($0.0):\($0.1)" }.joined(separator: ";")]
      }
      print(CSVWriter.render(header: ["id", "title", "framework", "unit", "polarity", "source", "coverage"], rows: rows),
            terminator: "")
    }
  }
}
