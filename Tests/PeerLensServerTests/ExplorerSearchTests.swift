import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The home page's search: one match opens the authority (README), and
/// names match whatever the case and punctuation ("st helens" is "St. Helens").
@Suite struct ExplorerSearchTests {
  @Test(arguments: [
    ("Durham", "E06000047"), ("durham", "E06000047"), ("st helens", "E08000013"), ("ST HELENS", "E08000013"),
    ("St.+Helens", "E08000013"), ("st.helens", "E08000013"), ("stockton+on+tees", "E06000004"),
  ])
  func oneMatchOpensTheAuthority(q: String, code: String) async throws {
    let r = try await Fixtures.get("/?q=\(q)")
    #expect(r.status == .seeOther, "q=\(q)")
    #expect(r.headers[.location] == "/authority/\(code)", "q=\(q)")
  }

  @Test func severalMatchesAreListedWithTheirCount() async throws {
    let r = try await Fixtures.get("/?q=shire")
    #expect(r.status == .ok)
    let page = Fixtures.text(r)
    #expect(page.contains("authorities match ‘shire’"))
    #expect(!page.contains("1 authorities"))
  }

  @Test func punctuationAloneMatchesNothing() async throws {
    let r = try await Fixtures.get("/?q=...")
    #expect(r.status == .notFound)
  }
}
