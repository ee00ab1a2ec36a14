import Foundation
import Hummingbird
import HummingbirdTesting
import PeerLensAnalysis
import PeerLensData
import PeerLensReports
import PeerLensServer
import _PeerLensTestSupport

/// One national run and one explorer per test process (a debug national
/// run takes about 20 s), shared by every test.
enum Fixtures {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static let models = root.appendingPathComponent("Models")
  static let reports = root.appendingPathComponent("Reports")

  static let run: Result<NationalRun, Error> = Result {
    let catalogue = try IndicatorCatalogue.load(from: models.appendingPathComponent("indicators.toml"))
    return try NationalRun.compute(mirror: DataMirror(root: TestData.data), catalogue: catalogue, models: models)
  }

  static let explorer: Result<Explorer, Error> = Result {
    Explorer(run: try run.get(), templates: try TemplateSet(folder: reports), software: "PeerLens test")
  }

  /// One GET through the router (no socket).
  static func get(_ uri: String) async throws -> TestResponse {
    let app = Application(router: try explorer.get().router())
    return try await app.test(.router) { client in try await client.execute(uri: uri, method: .get) }
  }

  /// A response body as text.
  static func text(_ r: TestResponse) -> String { String(buffer: r.body) }

  /// A JSON response body as an object.
  static func json(_ r: TestResponse) throws -> [String: Any] {
    let data = Data(String(buffer: r.body).utf8)
    return try require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "a JSON object")
  }
}

/// A value that must be there (outside a test function, where `#require` is not available).
func require<T>(_ value: T?, _ what: String = "value") throws -> T {
  guard let value else { throw FixtureError.missing(what) }
  return value
}

enum FixtureError: Error { case missing(String) }
