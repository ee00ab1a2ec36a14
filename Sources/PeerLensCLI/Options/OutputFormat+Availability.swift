import ArgumentParser

extension OutputFormat {
  /// Refuses a format the command cannot produce.
  ///
  /// Why: every command takes the shared `--format` option, and a command
  /// that switched on the formats it knows fell through to its default for
  /// the others, so `data check --format csv` printed text with exit status
  /// 0 and a script reading it as CSV went on with a table it could not
  /// parse. Called from `validate()`, so the refusal comes before any work
  /// and exits with status 64, as other usage errors do.
  ///
  /// - Parameters:
  ///   - available: the formats the command writes, in the order to list them.
  ///   - command: the command as typed after `peerlens` ("data check").
  /// - Throws: `ValidationError` naming the format, the command and the
  ///   formats it has ("--format csv is not available for fit; use text or json.").
  func require(_ available: [OutputFormat], for command: String) throws {
    guard !available.contains(self) else { return }
    let names = available.map(\.rawValue)
    let offered = names.count > 1 ? names.dropLast().joined(separator: ", ") + " or " + (names.last ?? "") : names.joined()
    throw ValidationError("--format \(rawValue) is not available for \(command); use \(offered).")
  }
}
