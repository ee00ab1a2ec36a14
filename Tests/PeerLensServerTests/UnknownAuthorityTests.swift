import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// A former authority's code is answered as one (Cumbria was told to "use
/// a 9-character code", which E10000006 is), and a code from the path is
/// shown as the reader typed it, not percent-encoded.
@Suite struct UnknownAuthorityTests {
  @Test(arguments: ["/indicator/cla_rate?la=E10000006", "/authority/E10000006", "/api/authority/e10000006",
                    "/authority/909", "/table?la=E10000006&indicator=cla_rate", "/pack/E10000006.html"])
  func aFormerAuthorityNamesItsSuccessors(uri: String) async throws {
    let r = try await Fixtures.get(uri)
    ExplorerBadInputTests.expectPlain(r, .notFound, uri)
    let text = Fixtures.text(r)
    #expect(text.contains("Cumbria (E10000006, DfE 909)") && text.contains("no longer exists"), "\(uri): \(text)")
    #expect(text.contains("last reporting year was 2023"), "\(uri): \(text)")
    #expect(text.contains("Cumberland (E06000063)") && text.contains("(E06000064)"), "\(uri): \(text)")
    #expect(!text.contains("Use a 9-character code"), "\(uri): \(text)")
  }

  @Test func aFormerAuthorityInACustomGroupSaysWhere() async throws {
    let uri = "/api/authority/E06000001?group=custom&members=E06000002,E10000021"
    let r = try await Fixtures.get(uri)
    ExplorerBadInputTests.expectPlain(r, .notFound, uri)
    let text = Fixtures.text(r)
    #expect(text.contains("Northamptonshire (E10000021, DfE 928), asked for in the custom group, no longer exists"), "\(text)")
    #expect(text.contains("North Northamptonshire (E06000061)") && text.contains("West Northamptonshire (E06000062)"), "\(text)")
  }

  @Test func anUnknownCodeStillGetsTheAdviceOnCodes() async throws {
    let text = Fixtures.text(try await Fixtures.get("/authority/E99999999"))
    #expect(text.contains("No current authority with code 'E99999999'. Use a 9-character code"))
  }

  @Test func aCodeFromThePathIsShownDecoded() async throws {
    let r = try await Fixtures.get("/authority/%E2%82%AC")
    ExplorerBadInputTests.expectPlain(r, .notFound, "/authority/%E2%82%AC")
    let text = Fixtures.text(r)
    #expect(text.contains("'€'"), "\(text)")
    #expect(!text.contains("%E2"), "\(text)")
    let indicator = Fixtures.text(try await Fixtures.get("/indicator/caf%C3%A9"))
    #expect(indicator.contains("'café'"), "\(indicator)")
  }

  @Test func aPathEscapeThatIsNotUTF8IsRefused() async throws {
    ExplorerBadInputTests.expectPlain(try await Fixtures.get("/authority/%E2%28"), .badRequest, "/authority/%E2%28")
  }
}
