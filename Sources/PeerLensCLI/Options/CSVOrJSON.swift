import ArgumentParser

/// `--format` for a command that writes CSV or JSON (a table of values),
/// for the same reason as `TextOrJSON`: help lists only csv and json.
enum CSVOrJSON: String, ExpressibleByArgument, CaseIterable, Sendable {
  case csv, json
}
