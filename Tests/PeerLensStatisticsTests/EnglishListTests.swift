import Testing
import PeerLensStatistics

/// The one way lists are joined in sentences.
@Suite struct EnglishListTests {
  @Test func joinsWithCommasAndAFinalAnd() {
    #expect(EnglishList.joined([]) == "")
    #expect(EnglishList.joined(["a"]) == "a")
    #expect(EnglishList.joined(["a", "b"]) == "a and b")
    #expect(EnglishList.joined(["a", "b", "c"]) == "a, b and c")
    #expect(EnglishList.joined(["a", "b", "c"], conjunction: "or") == "a, b or c")
  }

  @Test func countsWhatItDoesNotShow() {
    #expect(EnglishList.first(2, of: ["a", "b"]) == "a, b")
    #expect(EnglishList.first(2, of: ["a", "b", "c", "d"]) == "a, b and 2 more")
    #expect(EnglishList.first(1, of: ["a", "b"], separator: "; ") == "a and 1 more")
    #expect(EnglishList.first(3, of: []) == "")
  }
}
