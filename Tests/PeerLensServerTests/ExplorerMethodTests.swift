import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// HEAD answers as GET without the body (`curl -I /api/authorities` was
/// 404); any other method is 405 with `Allow: GET, HEAD` (`POST /table`
/// was 404 "Not found", for a page that is there).
@Suite struct ExplorerMethodTests {
  static func request(_ uri: String, _ method: HTTPRequest.Method) async throws -> TestResponse {
    let app = Application(router: try Fixtures.explorer.get().router())
    return try await app.test(.router) { client in try await client.execute(uri: uri, method: method) }
  }

  @Test(arguments: ["/", "/api/authorities", "/api/indicators", "/authority/E06000001", "/table", "/explorer.js",
                    "/api/indicator/cla_rate?la=E06000001"])
  func headAnswersAsGetWithoutABody(uri: String) async throws {
    let head = try await Self.request(uri, .head)
    let get = try await Self.request(uri, .get)
    #expect(head.status == .ok, "\(uri)")
    #expect(head.status == get.status, "\(uri)")
    #expect(head.headers[.contentType] == get.headers[.contentType], "\(uri)")
    #expect(head.body.readableBytes == 0, "\(uri)")
  }

  @Test func headOfAnUnknownPageIsNotFound() async throws {
    #expect(try await Self.request("/no/such/page", .head).status == .notFound)
    #expect(try await Self.request("/authority/E99999999", .head).status == .notFound)
  }

  @Test(arguments: [("/table", HTTPRequest.Method.post), ("/api/authorities", .put), ("/", .delete),
                    ("/authority/E06000001", .patch), ("/table", .options)])
  func otherMethodsAreNotAllowed(uri: String, method: HTTPRequest.Method) async throws {
    let r = try await Self.request(uri, method)
    #expect(r.status == .methodNotAllowed, "\(method) \(uri)")
    #expect(r.headers[.allow] == "GET, HEAD", "\(method) \(uri)")
    // The API's answers are JSON, its errors too.
    #expect(r.headers[.contentType]?.hasPrefix(uri.hasPrefix("/api/") ? "application/json" : "text/plain") == true)
    let text = Fixtures.text(r)
    #expect(text.contains("\(method.rawValue) is not allowed") && !text.contains("Not found"), "\(text)")
  }
}
