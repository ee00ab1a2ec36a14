import ArgumentParser
import Foundation
import PeerLensAnalysis
import PeerLensData
import PeerLensStatistics

/// Options shared by `neighbours` and `clusters`: the table and variables.
struct FeatureOptions: ParsableArguments {
  @Option(name: .long, help: "A CSV of units × context variables (default: the mirror's context/la_context.csv).")
  var data: String?

  @Option(name: .long, help: "The column identifying each unit (default: new_la_code).")
  var id: String = "new_la_code"

  @Option(name: .long, help: "Comma-separated variables (default: those in --spec).")
  var variables: String?

  @Option(name: .long, help: "Per-variable weights, e.g. imd19_avg_score=2,pct_asian=1.")
  var weights: String?

  @Option(name: .long, help: "euclidean or mahalanobis.")
  var metric: NeighbourSpec.Metric?

  @Flag(name: .long, help: "Standardise with median and MAD instead of mean and SD.")
  var robust = false

  @Option(name: .long, help: ArgumentHelp("A neighbour specification (default: Models/neighbours.toml when no --variables).", valueName: "file"))
  var spec: String?

  func load(k: Int?) throws -> (NeighbourSpec, CSVTable) {
    var spec: NeighbourSpec
    var w: [String: Double] = [:]
    for pair in (weights ?? "").split(separator: ",") {
      let kv = pair.split(separator: "=", omittingEmptySubsequences: false)
      guard kv.count == 2, let v = Double(kv[1].trimmingCharacters(in: .whitespaces)) else {
        throw ValidationError("--weights takes name=number pairs, got '\(pair)'.")
      }
      // A negative weight makes squared distances negative (no distance at all); zero drops the variable.
      guard v.isFinite, v >= 0 else {
        throw InputError.invalidOption(option: "--weights", value: String(pair),
                                       expected: "a finite weight of zero or more for '\(kv[0])' (a negative or "
                                         + "non-finite weight gives no distance)")
      }
      w[String(kv[0]).trimmingCharacters(in: .whitespaces)] = v
    }
    var typed: [String]? = nil
    if let variables {
      let names = variables.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
      // Said as it is: with no names, the weights check below blamed a
      // --weights that was never given.
      guard !names.isEmpty, !names.contains(where: \.isEmpty) else {
        throw InputError.invalidOption(option: "--variables", value: variables,
                                       expected: "comma-separated column names, none empty (e.g. imd25_score,pct_hh_overcrowded)")
      }
      // A name given twice was merged into one: a user repeating a
      // variable to count it twice got no effect (weights do that).
      if let twice = names.enumerated().first(where: { names[..<$0.offset].contains($0.element) })?.element {
        throw InputError.invalidOption(option: "--variables", value: variables,
                                       expected: "each column once ('\(twice)' is given twice; to count a variable more, give it a weight such as --weights \(twice)=2)")
      }
      spec = NeighbourSpec(variables: names, weights: w)
      typed = names
    } else {
      spec = try NeighbourSpec.load(from: ModelFiles.locate(self.spec, default: "neighbours.toml"))
      for (name, v) in w where spec.weights[name] != nil { spec.weights[name] = v }
    }
    // A weight for a variable that is not used would be ignored without a word.
    for name in w.keys.sorted() where !spec.variables.contains(name) {
      throw InputError.invalidOption(option: "--weights", value: weights ?? "",
                                     expected: "weights only for the variables in use (\(spec.variables.joined(separator: ", "))); '\(name)' is not one of them")
    }
    // Weights of 0 everywhere make every distance 0: every unit would be
    // "Extremely close" to every other, in an arbitrary order.
    guard spec.weights.values.contains(where: { $0 > 0 }) else {
      throw InputError.invalidOption(option: "--weights", value: weights ?? "",
                                     expected: "at least one weight above 0 (with every weight 0, every distance is 0)")
    }
    if let metric { spec.metric = metric }
    if robust { spec.standardization = .robust }
    if let k { spec.k = k }
    let table: CSVTable
    if let data {
      table = try CSVReader.read(contentsOf: URL(fileURLWithPath: data), source: data)
    } else {
      table = try DataMirror.locate(nil).context().table
    }
    // Named as typed, with the option: the model's own check says
    // "Formula error" of a list that was no formula.
    if let typed, let k = typed.firstIndex(where: { !table.hasColumn($0) }) {
      throw FormulaError.unknownListed(typed, at: k, available: table.columnNames, option: "--variables")
    }
    // A repeated unit would be its own nearest neighbour at distance 0.
    try InputValidation.requireUniqueIDs(table, column: id)
    return (spec, table)
  }
}

/// `peerlens neighbours`: model-based statistical neighbours.
struct NeighboursCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "neighbours",
    abstract: "Statistical neighbours from context variables, and agreement with the official list.",
    subcommands: [Find.self, Compare.self],
    defaultSubcommand: Find.self
  )

  struct Find: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "find",
      abstract: "The k nearest units to each unit (exact, any scale).",
      discussion: """
        Variables are standardised (z-scores, or --robust median/MAD), weighted, and compared by \
        Euclidean or Mahalanobis distance. Exact k-nearest neighbours by blocked BLAS products, \
        so tens of thousands of small areas run in seconds without an n × n matrix. Closeness bands \
        cut the root-mean-square difference per variable at 0.25, 0.5, 0.75 and 1 SD. With \
        --metric mahalanobis, weights act after the whitening (the symmetric S^(-1/2), which keeps \
        each coordinate closest to its own variable), since weights applied before it would be undone.

        Examples:
          peerlens neighbours --spec Models/neighbours.toml
          peerlens neighbours --data lsoa_context.csv --id lsoa21_code \\
              --variables imd25_score,pct_hh_overcrowded --k 10 --format csv
          peerlens neighbours --variables imd19_avg_score,pct_asian \\
              --weights imd19_avg_score=2 --metric mahalanobis
        """
    )

    @OptionGroup var features: FeatureOptions

    @Option(name: .long, parsing: .unconditional, help: "Neighbours per unit.")
    var k: Int?

    @Option(name: .long, help: "Output format: csv or json.")
    var format: CSVOrJSON = .csv

    func validate() throws {
      if let k, k < 1 { throw ValidationError("--k must be at least 1 (neighbours per unit), got \(k).") }
    }

    func run() throws {
      let (spec, table) = try features.load(k: k)
      let start = Date()
      let run = try NeighbourRun(spec: spec, table: table, idColumn: features.id)
      // A unit has at most n − 1 others: a larger k is reduced, and said so.
      let effectiveK = min(spec.k, max(run.ids.count - 1, 0))
      var notes = run.notes
      if effectiveK < spec.k {
        notes.append("k was reduced from \(spec.k) to \(effectiveK): there are \(run.ids.count) units with complete data, so each has at most \(effectiveK) others.")
      }
      for note in notes { printError("note: " + note) }
      printError("neighbours: \(run.ids.count) units, k = \(effectiveK), \(String(format: "%.2f", Date().timeIntervalSince(start))) s")
      sayLeftOut(missing: run.missing)
      switch format {
      case .json:
        let units: [JSONValue] = run.ids.map { id in
          .object([("id", .string(id)), ("neighbours", .array((run.lists[id] ?? []).map { e in
            .object([("rank", .integer(e.rank)), ("id", .string(e.neighbour)), ("distance", .number(e.distance)),
                     ("band", .string(e.band.rawValue))])
          }))])
        }
        print(JSONValue.object([("metric", .string(spec.metric.rawValue)), ("k", .integer(effectiveK)),
                                ("variables", .array(spec.variables.map { .string($0) })),
                                ("notes", .array(notes.map { .string($0) })), ("units", .array(units))])
          .rendered(pretty: true))
      default:
        var out = "id,rank,neighbour,distance,band\n"
        for id in run.ids {
          for e in run.lists[id] ?? [] {
            out += "\(CSVWriter.field(id)),\(e.rank),\(CSVWriter.field(e.neighbour)),\(CSVWriter.number(e.distance)),\(e.band.rawValue)\n"
          }
        }
        print(out, terminator: "")
      }
    }
  }

  struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Compare model-based neighbours with an official list (DfE's 2025 or 2021 list, or a file).",
      discussion: """
        For each authority: the overlap between the model's ten and the official ten, the Jaccard \
        index and the rank correlation of the common neighbours; then a national summary. The \
        official list is mapped onto current authorities across boundary changes.

        Examples:
          peerlens neighbours compare --official 2021
          peerlens neighbours compare --official newer_list.csv \\
              --spec Models/neighbours.toml --format json
        """
    )

    @OptionGroup var features: FeatureOptions

    @Option(name: .long, help: ArgumentHelp("The official list: 2025 (DfE's 2025 model, the default), 2021, or a list file in either DfE layout.", valueName: "2021|2025|file"))
    var official: String?

    @Option(name: .long, help: "The data mirror (for the registry of authorities).")
    var mirrorPath: String?

    @Option(name: .long, help: "Output format: text or json.")
    var format: TextOrJSON = .text
    func run() throws {
      let (spec, table) = try features.load(k: 10)
      let mirror = try DataMirror.locate(mirrorPath)
      let list = try OfficialNeighbourList.load(from: mirror.officialNeighboursURL(official, option: "--official"))
      let registry = try mirror.registry()
      // As `packs` says them: a number that names no authority, an
      // authority its own neighbour or listed twice is dropped by the
      // mapping, and the overlap would otherwise be counted over a
      // shorter list without a word.
      for problem in list.problems(registry: registry) { printError("warning: " + problem) }
      let mapped = list.mapped(to: registry)
      let run = try NeighbourRun(spec: spec, table: table, idColumn: features.id)
      for note in run.notes { printError("note: " + note) }
      sayLeftOut(missing: run.missing)
      var names: [String: String] = [:]
      for a in try mirror.registry().authorities { names[a.code] = a.name }
      let agreement = NeighbourAgreement(model: run, official: mapped, names: names)
      switch format {
      case .json:
        print(JSONValue.object([
          ("official", .string(list.source)), ("official_release", .string(list.release)),
          ("mean_overlap", .number(agreement.meanOverlap)),
          ("mean_jaccard", .number(agreement.meanJaccard)),
          ("overlap_distribution", .array(agreement.overlapDistribution.map { .integer($0) })),
          ("notes", .array(run.notes.map { .string($0) })),
          ("authorities", .array(agreement.rows.map { r in
            .object([("new_la_code", .string(r.code)), ("la_name", .string(r.name)), ("overlap", .integer(r.overlap)),
                     ("jaccard", .number(r.jaccard)), ("rank_correlation", .optional(r.rankCorrelation)),
                     ("model", .array(r.model.map { .string($0) })), ("official", .array(r.official.map { .string($0) }))])
          })),
        ]).rendered(pretty: true))
      default:
        let rows = agreement.rows.map { r in
          [r.code, String(r.name.prefix(30)), "\(r.overlap)/10", String(format: "%.2f", r.jaccard),
           r.rankCorrelation.map { String(format: "%.2f", $0) } ?? "-"]
        }
        print(TextTable.render(header: ["code", "authority", "overlap", "Jaccard", "rank corr."], rows: rows))
        print("")
        print("Official list: \(list.description)")
        print("Authorities compared: \(agreement.rows.count)")
        print("Mean overlap: \(String(format: "%.2f", agreement.meanOverlap)) of 10; mean Jaccard \(String(format: "%.3f", agreement.meanJaccard))")
        print("Overlap distribution (0…10 shared): \(agreement.overlapDistribution.map(String.init).joined(separator: " "))")
      }
    }
  }
}

/// `peerlens clusters`: families of units.
struct ClustersCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "clusters",
    abstract: "Families of units by k-means (k-means++, restarts, seeded) or Ward clustering, with silhouettes.",
    discussion: """
      With --k-range the number of clusters with the largest mean silhouette width is suggested. \
      Each family is described by the variables furthest from the average.

      Examples:
        peerlens clusters --spec Models/neighbours.toml --k-range 2..12
        peerlens clusters \\
            --variables imd19_avg_score,pct_asian,pct_hh_in_rural_lsoa_ruc21 \\
            --k 6 --method ward --format csv
      """
  )

  @OptionGroup var features: FeatureOptions

  @Option(name: .long, parsing: .unconditional, help: "The number of clusters.")
  var k: Int?

  @Option(name: .customLong("k-range"), help: "A range of cluster counts to compare, e.g. 2..12.")
  var kRange: String?

  @Option(name: .long, help: "kmeans or ward.")
  var method: ClusterRun.Method = .kmeans

  @Option(name: .long, parsing: .unconditional, help: "Seed for k-means.")
  var seed: UInt64 = 42

  @Option(name: .long, parsing: .unconditional,
          help: "k-means starts (k-means++) kept at the best (default: 1,000 up to 1,000 units, else 10).")
  var restarts: Int?

  @Option(name: .long, help: "Output format: text, csv or json.")
  var format: OutputFormat = .text

  /// The range compared when neither --k nor --k-range is given.
  static let defaultKRange = "2..12"

  func ks() throws -> [Int] {
    if let k { return [k] }
    let text = kRange ?? Self.defaultKRange
    let parts = text.components(separatedBy: "..")
    guard parts.count == 2, let a = Int(parts[0]), let b = Int(parts[1]), a >= 2, b >= a else {
      throw ValidationError("--k-range takes a range such as 2..12 (at least 2).")
    }
    return Array(a...b)
  }

  func validate() throws {
    // One of them would be ignored without a word (--k won over the range).
    if let k, let kRange {
      throw ValidationError("--k \(k) and --k-range \(kRange) cannot be used together: --k clusters into one number of "
                            + "families, --k-range compares several and suggests one. Give one of them.")
    }
    if let restarts, !(1...100_000).contains(restarts) {
      throw ValidationError("--restarts takes 1 to 100,000 k-means starts, got \(restarts).")
    }
  }

  /// Why the number of clusters is bounded, in words: below the number of
  /// units, and no more than the distinct profiles where units repeat.
  static func reach(_ units: Int, _ distinct: Int) -> String {
    distinct < units - 1
      ? "the \(units) units with complete data have only \(distinct) distinct profiles, and more families than that would leave one empty"
      : "there are \(units) units with complete data, and the number of clusters must be below that"
  }

  func run() throws {
    let (spec, table) = try features.load(k: nil)
    let ks = try ks()
    let option = k == nil ? "--k-range" : "--k"
    let asked = k.map(String.init) ?? kRange ?? Self.defaultKRange
    let run: ClusterRun
    do {
      run = try ClusterRun(spec: spec, table: table, idColumn: features.id, ks: ks, method: method, seed: seed,
                           restarts: restarts)
    } catch AnalysisError.clusterCountsOutOfReach(_, let units, let distinct) where min(units - 1, distinct) >= 2 {
      // Said in terms of the option the numbers came from.
      let top = min(units - 1, distinct)
      let reachable = k == nil ? "a range within 2..\(top)" : "a number of clusters from 2 to \(top)"
      throw InputError.invalidOption(option: option, value: asked, expected: reachable + " (" + Self.reach(units, distinct) + ")")
    }
    // A range reaching past the units is cut short: said, so the
    // comparison is not taken for the whole range asked for.
    if !run.outOfReach.isEmpty, let kept = run.candidates.map(\.k).max() {
      let lower = ks.min() ?? 2
      printError("warning: \(kRange == nil ? "the default " : "")\(option) \(asked) was clamped to \(lower)..\(kept): "
                 + Self.reach(run.ids.count, run.distinctProfiles) + ".")
    }
    for note in run.notes { printError("note: " + note) }
    sayLeftOut(missing: run.missing)
    let best = run.suggested
    switch format {
    case .csv:
      var out = "id,cluster,silhouette\n"
      for (i, id) in run.ids.enumerated() { out += "\(CSVWriter.field(id)),\(best.labels[i] + 1),\(CSVWriter.number(best.silhouettes[i]))\n" }
      print(out, terminator: "")
    case .json:
      print(JSONValue.object([
        ("method", .string(method.rawValue)), ("suggested_k", .integer(best.k)),
        ("mean_silhouette", .object(run.candidates.map { ("\($0.k)", .number($0.meanSilhouette)) })),
        ("profiles", .array((0..<best.k).map { .string(run.describe(cluster: $0)) })),
        ("notes", .array(run.notes.map { .string($0) })),
        ("units", .array(run.ids.enumerated().map { i, id in
          .object([("id", .string(id)), ("cluster", .integer(best.labels[i] + 1)), ("silhouette", .number(best.silhouettes[i]))])
        })),
      ]).rendered(pretty: true))
    case .text:
      print("Method: \(method.rawValue); variables: \(run.variables.joined(separator: ", "))")
      print("Mean silhouette width by k: " + run.candidates.map { "\($0.k): \(String(format: "%.3f", $0.meanSilhouette))" }.joined(separator: ", "))
      print("Suggested number of families: \(best.k)\n")
      for c in 0..<best.k {
        print(run.describe(cluster: c))
        let members = run.ids.indices.filter { best.labels[$0] == c }.map { run.ids[$0] }
        print("  " + members.prefix(20).joined(separator: ", ") + (members.count > 20 ? ", …" : ""))
      }
    }
  }
}

extension NeighbourSpec.Metric: ExpressibleByArgument {}

/// Units left out for a missing value, on standard error (those left out
/// for a logged value of 0 or below are named in the run's notes).
private func sayLeftOut(missing: [String]) {
  guard !missing.isEmpty else { return }
  printError("left out (missing variables): \(missing.prefix(10).joined(separator: ", "))\(missing.count > 10 ? ", …" : "")")
}
extension ClusterRun.Method: ExpressibleByArgument {}
