import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// A hostile review of the explorer (stop 42): codes that are real but not
/// one authority's, a year the indicator page read and the table did not,
/// a group name echoed raw, and "all authorities" that were the current
/// ones only.
@Suite struct ExplorerReviewTests {
  @Test(arguments: [
    ("/indicator/cla_rate?la=E09000021%20/%20E09000027",
     "is the joint return of Kingston upon Thames (E09000021) and Richmond upon Thames (E09000027)"),
    ("/api/authority/E12000001", "E12000001 is North East, a region, not an authority"),
    ("/indicator/cla_rate?la=E13000001", "E13000001 is Inner London, a region, not an authority"),
    ("/indicator/cla_rate?la=E92000001", "E92000001 is England, not an authority"),
  ])
  func aCodeThatIsNotOneAuthorityIsNamed(uri: String, words: String) async throws {
    let r = try await Fixtures.get(uri)
    ExplorerBadInputTests.expectPlain(r, .notFound, uri)
    let text = Fixtures.text(r)
    #expect(text.contains(words), "\(uri): \(text)")
    #expect(!text.contains("Use a 9-character code"), "\(uri): \(text)")
  }

  /// North Yorkshire's county code names the unitary over the same area,
  /// whose history now runs back to 2013 (its referrals began in 2024).
  @Test func aRecodedAuthorityKeepsItsHistory() async throws {
    let r = try await Fixtures.get("/table?la=E10000023&indicator=referral_rate&year=2013,2019,2023&format=csv")
    #expect(r.status == .ok)
    let lines = Fixtures.text(r).split(separator: "\n").dropFirst()
    #expect(lines.count == 3, "\(lines)")
    for line in lines {
      #expect(line.contains("E06000065") && line.contains(",ok,"), "\(line)")
    }
  }

  /// 2024/25 names the reporting year 2025 in the table, as on the
  /// indicator page and in `--year`.
  @Test func theTableReadsASplitYearAsTheIndicatorPageDoes() async throws {
    let table = try await Fixtures.get("/table?la=805&indicator=cla_rate&year=2024/25&format=csv")
    #expect(table.status == .ok)
    let rows = Fixtures.text(table).split(separator: "\n").dropFirst()
    #expect(rows.count == 1 && rows.first?.contains(",2025,") == true, "\(rows)")
    let page = try Fixtures.json(try await Fixtures.get("/api/indicator/cla_rate?year=2024/25"))
    #expect(page["time_period"] as? String == "2025", "\(page["time_period"] ?? "none")")
  }

  @Test func anUnknownGroupIsShownSafely() async throws {
    let uri = "/api/indicator/cla_rate?group=a%00b%0a%1b%5B31m" + String(repeating: "x", count: 8000)
    let r = try await Fixtures.get(uri)
    let text = ExplorerBadInputTests.expectPlain(r, .badRequest, "group=…", json: true)
    #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" } && !text.contains("\u{1B}"), "\(text.debugDescription)")
    #expect(text.count < 300)
  }

  @Test func allAuthoritiesSaysItMeansCurrentOnes() async throws {
    let page = Fixtures.text(try await Fixtures.get("/indicator/rereferral_pct?la=E09000021&group=all&year=2021"))
    #expect(page.contains("all other current authorities"))
  }

  @Test func oneCodeRepeatedIsOneMember() async throws {
    let members = Array(repeating: "E06000001", count: 201).joined(separator: ",")
    let r = try await Fixtures.get("/api/authority/E06000017?group=custom&members=\(members)")
    #expect(r.status == .ok, "\(Fixtures.text(r).prefix(300))")
  }

  /// "London" listed its boroughs' region, not the one name containing it;
  /// a former authority's name says what covers its area now.
  @Test func searchKnowsRegionsAndFormerAuthorities() async throws {
    let london = try await Fixtures.get("/?q=London")
    #expect(london.status == .ok)
    let page = Fixtures.text(london)
    #expect(page.contains("London is a region: its 33 authorities.") && page.contains("Camden") && page.contains("City of London"),
            "\(page.prefix(2000))")
    for q in ["Cumbria", "E10000006"] {
      let r = try await Fixtures.get("/?q=\(q)")
      #expect(r.status == .notFound)
      #expect(Fixtures.text(r).contains("Cumberland (E06000063)"), "\(q)")
    }
  }

  /// A target past the limit is 414, as HTTP names it; an encoded NUL or
  /// percent sign in the path is named as what it is.
  @Test func refusalsNameWhatWasRefused() async throws {
    let long = "/?q=" + String(repeating: "a", count: 9000)
    ExplorerBadInputTests.expectPlain(try await Fixtures.get(long), .uriTooLong, "long")
    let nul = try await Fixtures.get("/api/authority/E06000001%00")
    #expect(ExplorerBadInputTests.expectPlain(nul, .badRequest, "%00", json: true).contains("encoded NUL"))
    let percent = try await Fixtures.get("/authority/%252e%252e/x")
    #expect(Fixtures.text(percent).contains("encoded percent sign (%25)"))
  }
}
