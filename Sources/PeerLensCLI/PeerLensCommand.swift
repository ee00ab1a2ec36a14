import ArgumentParser
import Foundation

/// The `peerlens` command: contextualised benchmarking of children's
/// social care indicators.
public struct PeerLensCommand: ParsableCommand {
  public static let version = "0.1.0"

  public static let configuration = CommandConfiguration(
    commandName: "peerlens",
    abstract: "Statistical benchmarking and learning-loop reports for children's social care in England.",
    discussion: """
      PeerLens puts each local authority's indicators in context: expected values from contextual
      models, statistical neighbours, funnel limits and change over time.

      Examples:
        peerlens fit --data nist.csv --formula "y ~ x + I(x^2)"
        peerlens fit --data counts.csv --formula "n ~ imd + offset(log(pop))" --family negative-binomial --format json
        peerlens distribution quantile t --x 0.975 --df 10
      """,
    version: version,
    subcommands: [FitCommand.self, DistributionCommand.self, ValuesCommand.self, IndicatorsCommand.self, IngestCommand.self, DataCommand.self, ModelCommand.self, FunnelCommand.self, IntervalCommand.self, SPCCommand.self, ChangesCommand.self, NeighboursCommand.self, ClustersCommand.self, PacksCommand.self]
  )

  public init() {}
}

/// Output formats shared by commands.
public enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
  case text, json, csv
}

/// Writes to standard error (progress and warnings never mix with output).
func printError(_ message: String) {
  FileHandle.standardError.write(Data((message + "\n").utf8))
}
