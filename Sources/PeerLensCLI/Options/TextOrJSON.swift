import ArgumentParser

/// `--format` for a command that prints a table or JSON, never CSV.
///
/// Why a type of its own: every command once took the shared
/// `OutputFormat`, and a command that switched on the formats it knows
/// fell through to its default for the others, so `data check --format
/// csv` printed text with exit status 0. A refusal in `validate()` fixed
/// that, but `--help` still offered "(values: text, json, csv)". With its
/// own type, help lists only what the command writes, and ArgumentParser
/// refuses anything else before the command runs (exit 64), naming the
/// formats it has.
enum TextOrJSON: String, ExpressibleByArgument, CaseIterable, Sendable {
  case text, json
}
