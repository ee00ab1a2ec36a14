import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// `/table` downloads say what is missing instead of sending the form, and
/// a table is refused above `maximumCells` (every authority × every
/// indicator × 16 years was 77,112 rows, 29 MB of HTML).
@Suite struct ExplorerTableLimitTests {
  @Test(arguments: [
    ("/table?format=csv", "no authority and no indicator"), ("/table?format=json&la=E06000001", "no indicator"),
    ("/table?format=xlsx&indicator=cla_rate", "no authority"), ("/table?format=csv&year=2025", "no authority and no indicator"),
  ])
  func aDownloadWithoutAChoiceSaysWhatToChoose(uri: String, says: String) async throws {
    let r = try await Fixtures.get(uri)
    ExplorerBadInputTests.expectPlain(r, .badRequest, uri)
    let text = Fixtures.text(r)
    #expect(text.contains(says), "\(uri): \(text)")
    #expect(text.contains("la=") && text.contains("indicator="), "\(uri): \(text)")
    #expect(!text.contains("<form"))
  }

  @Test func theFormStillAnswersWithoutAChoice() async throws {
    let r = try await Fixtures.get("/table")
    #expect(r.status == .ok)
    #expect(Fixtures.text(r).contains("<form"))
  }

  static func everything(indicators: Int?) throws -> String {
    let run = try Fixtures.run.get()
    let la = run.authorities.map(\.code).joined(separator: ",")
    let ids = run.indicators.prefix(indicators ?? run.indicators.count).map(\.indicator.id).joined(separator: ",")
    let years = (2010...2025).map(String.init).joined(separator: ",")
    return "la=\(la)&indicator=\(ids)&year=\(years)"
  }

  @Test(arguments: ["html", "csv", "json"])
  func everyAuthorityIndicatorAndYearIsRefused(format: String) async throws {
    let uri = "/table?\(try Self.everything(indicators: nil))&format=\(format)"
    let r = try await Fixtures.get(uri)
    let text = ExplorerBadInputTests.expectPlain(r, .badRequest, "every cell as \(format)", json: format == "json")
    #expect(text.contains("at most 25,000"), "\(text)")
    #expect(text.contains("fewer authorities, indicators or years"), "\(text)")
  }

  @Test func everyAuthorityWithFiveIndicatorsOverEveryYearIsServed() async throws {
    let r = try await Fixtures.get("/table?\(try Self.everything(indicators: 5))&format=csv")
    #expect(r.status == .ok)
    let rows = Fixtures.text(r).split(separator: "\n").count - 1
    #expect(rows > 1_000 && rows <= 25_000, "\(rows) rows")
  }
}
