import Testing
@testable import PeerLensData

/// `--vintage` and `changes --from/--to` name a vintage by id or label.
struct VintageNameTests {
  let vintages = [("Baseline", 1), ("march", 2), ("March", 3)].map { label, id in
    ReleaseStore.Vintage(id: Int64(id), label: label, ingestedAt: "", fingerprint: "", dataPath: "")
  }

  @Test func anIdComesFirstThenTheLabelAsWrittenThenTheLabelInAnyCase() {
    #expect(ReleaseStore.Vintage.named("2", in: vintages)?.id == 2)
    #expect(ReleaseStore.Vintage.named("march", in: vintages)?.id == 2)
    #expect(ReleaseStore.Vintage.named("March", in: vintages)?.id == 3)
    // In any case: the newest of the labels that match.
    #expect(ReleaseStore.Vintage.named("MARCH", in: vintages)?.id == 3)
    #expect(ReleaseStore.Vintage.named("baseline", in: vintages)?.id == 1)
  }

  @Test func aNameThatIsNeitherIsNotAVintage() {
    for name in ["4", "0", "", "Marc", " March", "1.0"] {
      #expect(ReleaseStore.Vintage.named(name, in: vintages) == nil, "\(name)")
    }
    #expect(ReleaseStore.Vintage.named("1", in: []) == nil)
  }
}
