import Testing
@testable import PeerLensReports

/// The pack's over-time note names the direction of a special-cause
/// signal in neutral words: the SPC convention's "improvement" and
/// "concern" stay in the data's `variation` field, never in the prose.
@Suite struct SPCPhraseTests {
  @Test(arguments: [("improvement", "marks as better"), ("concern", "marks as worse")])
  func directionIsSaidWithoutAVerdict(variation: String, words: String) throws {
    let note = try #require(Phrases.spc(["astronomical"], variation: variation))
    #expect(note.contains(words), "\(note)")
    for verdict in ["concern", "improvement", "improving", "deteriorat"] {
      #expect(!note.lowercased().contains(verdict), "\(note)")
    }
  }

  @Test func noDirectionWithoutPolarity() throws {
    let note = try #require(Phrases.spc(["shift"], variation: "neither"))
    #expect(!note.contains("polarity") && note.hasSuffix("own history."))
    #expect(Phrases.spc([], variation: "concern") == nil)
  }
}
