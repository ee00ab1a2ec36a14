import ArgumentParser
import Testing
import PeerLensCLI

/// Help text is wrapped once, by the argument parser, to the terminal's
/// width. Text wrapped by hand first and then again by the parser reads
/// as ragged lines ("…expected values from contextual" / "models, …");
/// these tests catch a hand-wrapped paragraph by its short lines.
@Suite struct HelpTextTests {
  /// Every command and subcommand, depth first.
  static func allCommands(_ root: ParsableCommand.Type = PeerLensCommand.self) -> [ParsableCommand.Type] {
    [root] + root.configuration.subcommands.flatMap { allCommands($0) }
  }

  static func indentation(_ line: Substring) -> Int { line.prefix(while: { $0 == " " }).count }

  /// Lines inside a paragraph (the next line carries on the same sentence
  /// at the same indentation) that are shorter than half the width.
  static func raggedLines(in help: String, columns: Int) -> [String] {
    let lines = help.split(separator: "\n", omittingEmptySubsequences: false)
    var ragged: [String] = []
    for (i, line) in lines.enumerated() where i + 1 < lines.count {
      let next = lines[i + 1]
      let body = line.drop(while: { $0 == " " }), nextBody = next.drop(while: { $0 == " " })
      guard !body.isEmpty, !nextBody.isEmpty, indentation(line) == indentation(next) else { continue }
      // Example command lines and option names are lists, not prose.
      if body.hasPrefix("peerlens ") || nextBody.hasPrefix("peerlens ") || nextBody.hasPrefix("-") { continue }
      // Two-column lists (subcommands, options) are laid out by the parser.
      if body.contains("  ") { continue }
      // A continuation starts in the middle of a sentence.
      guard let first = nextBody.first, first.isLowercase || first == "(" else { continue }
      if line.count < columns / 2 { ragged.append(String(line)) }
    }
    return ragged
  }

  /// Example command lines the parser had to break (a long example runs
  /// on at the left margin instead of continuing with a shell backslash).
  static func brokenExamples(in help: String) -> [String] {
    let lines = help.split(separator: "\n", omittingEmptySubsequences: false)
    var broken: [String] = []
    var inExample = false
    for (i, line) in lines.enumerated() {
      let body = line.drop(while: { $0 == " " })
      if body.hasPrefix("peerlens ") { inExample = true }
      guard inExample else { continue }
      if line.hasSuffix("\\") { continue }
      inExample = false
      if i + 1 < lines.count {
        let next = lines[i + 1].drop(while: { $0 == " " })
        if !next.isEmpty && !next.hasPrefix("peerlens ") { broken.append(String(line)) }
      }
    }
    return broken
  }

  @Test func examplesFitEightyColumns() {
    for command in Self.allCommands() {
      let help = PeerLensCommand.helpMessage(for: command, columns: 80)
      #expect(Self.brokenExamples(in: help).isEmpty, "\(command._commandName): \(Self.brokenExamples(in: help))")
    }
    let wrapped = "Examples:\n  peerlens funnel --data rereferrals.csv --numerator rereferral_count\n--denominator referral_count\n"
    #expect(Self.brokenExamples(in: wrapped).count == 1)
  }

  @Test func noHelpLineIsShorterThanHalfTheWidthInsideAParagraph() {
    for columns in [80, 100, 120] {
      for command in Self.allCommands() {
        let help = PeerLensCommand.helpMessage(for: command, columns: columns)
        let ragged = Self.raggedLines(in: help, columns: columns)
        #expect(ragged.isEmpty, "\(command._commandName) at \(columns) columns: \(ragged)")
      }
    }
  }

  /// The check itself finds a hand-wrapped paragraph.
  @Test func theCheckFindsAHandWrappedParagraph() {
    let wrappedTwice = """
      PeerLens puts each local authority's indicators in context: expected values from
      contextual
      models, statistical neighbours, funnel limits and change over time.
      """
    #expect(Self.raggedLines(in: wrappedTwice, columns: 80) == ["contextual"])
  }

  @Test func everyCommandIsVisited() {
    let names = Set(Self.allCommands().map { $0._commandName })
    #expect(names.isSuperset(of: ["peerlens", "packs", "fit", "import", "agreement", "compare"]))
  }
}
