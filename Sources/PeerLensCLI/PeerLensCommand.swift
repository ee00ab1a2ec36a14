import ArgumentParser
import Foundation
import PeerLensData

/// The `peerlens` command: contextualised benchmarking of children's
/// social care indicators.
public struct PeerLensCommand: ParsableCommand {
  public static let version = "0.1.0"

  public static let configuration = CommandConfiguration(
    commandName: "peerlens",
    abstract: "Statistical benchmarking and learning-loop reports for children's social care in England.",
    discussion: """
      PeerLens puts each local authority's indicators in context: expected values from contextual \
      models, statistical neighbours, funnel limits and change over time.

      Examples:
        peerlens fit --data nist.csv --formula "y ~ x + I(x^2)"
        peerlens fit --data counts.csv --formula "n ~ imd + offset(log(pop))" \\
            --family negative-binomial --format json
        peerlens distribution quantile t --x 0.975 --df 10
      """,
    version: version,
    subcommands: [FitCommand.self, DistributionCommand.self, ValuesCommand.self, IndicatorsCommand.self, IngestCommand.self, DataCommand.self, ModelCommand.self, FunnelCommand.self, IntervalCommand.self, SPCCommand.self, ChangesCommand.self, NeighboursCommand.self, ClustersCommand.self, PacksCommand.self, ServeCommand.self]
  )

  public init() {}

  /// Parses and runs, printing usage only for usage errors.
  ///
  /// ArgumentParser's own `main()` treats a `ValidationError` thrown while
  /// running (no such authority, no store) like a parsing error and follows
  /// the message with the *root* command's usage line, which says nothing
  /// about what went wrong. Errors from parsing and `validate()` still get
  /// the subcommand's usage; errors from `run()` print only their message
  /// (exit status 64 for a `ValidationError`, as before, 1 otherwise).
  public static func main() {
    let arguments = Array(CommandLine.arguments.dropFirst())
    var command: ParsableCommand
    do { command = try parse(commandLine: arguments) } catch {
      if error is RepeatedOptionError {
        printError(fullMessage(for: error))
        exit(withError: ExitCode.validationFailure)
      }
      exit(withError: error)
    }
    do { try command.run() } catch { exitAfterRunning(error) }
  }

  /// Parses as `parseAsRoot` does, but refuses `help <topic>` for a topic
  /// that is no command.
  ///
  /// ArgumentParser answers `peerlens help report` with the top-level
  /// help and exit status 0, as if the topic existed, so a script or a
  /// reader cannot tell a typo from a command that has no help of its own.
  public static func parse(commandLine arguments: [String]) throws -> ParsableCommand {
    if arguments.first == "help" {
      var level = topics(under: PeerLensCommand.self)
      var path = ["peerlens"]
      for topic in arguments.dropFirst() where !topic.hasPrefix("-") {
        guard let next = level.first(where: { $0.names.contains(topic) }) else {
          let names = level.map { $0.names[0] }
          let what = names.isEmpty
            ? "'\(path.joined(separator: " "))' has no subcommands."
            : "'\(path.joined(separator: " "))' has no subcommand '\(ErrorText.quoted(topic))'. "
              + "Its subcommands are: \(names.joined(separator: ", "))."
          throw ValidationError("No help topic '\(ErrorText.quoted(topic))': \(what)")
        }
        level = topics(under: next.type)
        path.append(topic)
      }
    }
    let command = try parseAsRoot(arguments)
    if let repeated = RepeatedOptionError.find(in: arguments, root: PeerLensCommand.self) { throw repeated }
    return command
  }

  /// A subcommand as `help` names it: its name, then its aliases.
  private struct Topic {
    let names: [String]
    let type: ParsableCommand.Type
  }

  private static func topics(under command: ParsableCommand.Type) -> [Topic] {
    var out: [Topic] = []
    for sub in command.configuration.subcommands {
      let name: String = sub._commandName
      let aliases: [String] = sub.configuration.aliases
      out.append(Topic(names: [name] + aliases, type: sub))
    }
    return out
  }

  static func exitAfterRunning(_ error: Error) -> Never {
    if isUsageError(error) {
      printError(message(afterRunning: error))
      exit(withError: ExitCode.validationFailure)
    }
    exit(withError: error)
  }

  /// Whether `error` says that an option's value cannot be used: it exits
  /// with the usage status (64) as ArgumentParser's own refusals do,
  /// whether it was found while parsing or only once the data were read
  /// (`clusters --k 0` exited 1 where `--k-range 12..2` exited 64).
  static func isUsageError(_ error: Error) -> Bool {
    if error is ValidationError || error is RepeatedOptionError { return true }
    if case .invalidOption? = error as? InputError { return true }
    return false
  }

  /// The exit status of a command that threw `error` while running.
  public static func exitStatus(afterRunning error: Error) -> Int32 {
    isUsageError(error) ? ExitCode.validationFailure.rawValue : exitCode(for: error).rawValue
  }

  /// What `main()` prints for an error thrown while running: the message,
  /// without a usage line.
  public static func message(afterRunning error: Error) -> String {
    if let e = error as? ValidationError { return "Error: " + e.message }
    return fullMessage(for: error)
  }
}

/// Output formats shared by commands.
public enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
  case text, json, csv
}

/// Writes to standard error (progress and warnings never mix with output).
func printError(_ message: String) {
  FileHandle.standardError.write(Data((message + "\n").utf8))
}
