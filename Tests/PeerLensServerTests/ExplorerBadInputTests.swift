import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Bad input gets a plain message and the right status, never a stack
/// trace; path traversal is refused; text from the request is escaped.
@Suite struct ExplorerBadInputTests {
  /// Plain text (JSON `{"error", "status"}` under /api/ and for
  /// format=json), short, with nothing from the engine's insides.
  /// - Parameter json: whether the answer must be JSON (by default, as
  ///   the explorer decides it from `uri`).
  /// - Returns: the message (the JSON's `error`, decoded).
  @discardableResult
  static func expectPlain(_ r: TestResponse, _ status: HTTPResponse.Status, _ uri: String, json: Bool? = nil,
                          sourceLocation: SourceLocation = #_sourceLocation) -> String {
    #expect(r.status == status, "\(uri)", sourceLocation: sourceLocation)
    var body = Fixtures.text(r)
    if json ?? (uri.hasPrefix("/api/") || uri.contains("format=json")) {
      #expect(r.headers[.contentType]?.hasPrefix("application/json") == true, "\(uri)", sourceLocation: sourceLocation)
      let object = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]
      #expect(object?["status"] as? Int == Int(status.code), "\(uri): \(body)", sourceLocation: sourceLocation)
      body = object?["error"] as? String ?? ""
    } else {
      #expect(r.headers[.contentType]?.hasPrefix("text/plain") == true, "\(uri)", sourceLocation: sourceLocation)
    }
    #expect(!body.isEmpty && body.count < 400, "\(uri): \(body)", sourceLocation: sourceLocation)
    for leak in [".swift", "Fatal", "Thread", "ExplorerError", "CatalogueError"] {
      #expect(!body.contains(leak), "\(uri): \(body)", sourceLocation: sourceLocation)
    }
    return body
  }

  @Test(arguments: [
    "/authority/E99999999", "/authority/XYZ", "/authority/999", "/api/authority/E99999999",
    "/indicator/no_such_indicator", "/api/indicator/no_such_indicator", "/indicator/cla_rate?la=E99999999",
    "/indicator/cla_rate?year=1990", "/indicator/cla_rate?la=E06000001&year=2099", "/api/indicator/cla_rate?year=2099",
    "/authority/E06000001?group=custom&members=E06000002,E99999999", "/api/authority/E06000001?group=custom&members=NOPE",
    "/table?la=E99999999&indicator=cla_rate", "/table?la=E06000001&indicator=nope", "/table?la=E06000001&indicator=cla_rate&year=1901",
    "/workbench/no_such_indicator", "/workbench/cla_rate?vars=no_such_column", "/api/workbench/cla_rate?vars=numerator",
    "/pack/E99999999.html", "/pack/E06000001.pdf", "/no/such/page", "/api/nothing",
  ])
  func unknownThingsAreNotFound(uri: String) async throws {
    Self.expectPlain(try await Fixtures.get(uri), .notFound, uri)
  }

  /// A pack asked for without `.html` is redirected to its address, old
  /// codes too (the hint read "Packs are at /pack/.html.").
  @Test func aPackWithoutItsExtensionIsRedirectedToItsAddress() async throws {
    for uri in ["/pack/E06000017", "/pack/857"] {
      let r = try await Fixtures.get(uri)
      #expect(r.status.code / 100 == 3 && r.headers[.location] == "/pack/E06000017.html", "\(uri): \(r.status)")
    }
    #expect(Self.expectPlain(try await Fixtures.get("/pack/nothing"), .notFound, "/pack/nothing")
      .contains("/pack/E06000017.html is Rutland's"))
  }

  @Test(arguments: [
    "/authority/E06000001?group=nonsense", "/authority/E06000001?group=custom",
    "/indicator/cla_rate?group=region", "/indicator/cla_rate?year=twenty", "/indicator/cla_rate?year=2025%3Cscript",
    "/authority/E06000001?group=%zz", "/authority/E06000001?group=%E2%28", "/table?la=E06000001&indicator=cla_rate&format=exe",
    "/workbench/cla_rate?format=zip", "/table?la=E06000001&indicator=cla_rate&year=twenty&format=json",
    "/api/authority/E06000001?group=nonsense",
  ])
  func malformedQueriesAreRefused(uri: String) async throws {
    Self.expectPlain(try await Fixtures.get(uri), .badRequest, uri)
  }

  @Test(arguments: [
    "/authority/../../etc/passwd", "/authority/%2e%2e/%2e%2e/etc/passwd", "/pack/..%2f..%2fetc%2fpasswd.html",
    "/pack/%2E%2E%2Fsecret.html", "/authority/E06000001%2f..", "/pack/..\\..\\x.html", "/authority/%252e%252e/x",
    "//etc/passwd", "/api/authority/E06000001%00",
  ])
  func pathTraversalIsRefused(uri: String) async throws {
    Self.expectPlain(try await Fixtures.get(uri), .badRequest, uri)
  }

  @Test func customGroupsHoldAtMost200Authorities() async throws {
    let codes = (0..<201).map { String(format: "E0600%04d", $0) }.joined(separator: ",")
    let uri = "/authority/E06000001?group=custom&members=\(codes)"
    Self.expectPlain(try await Fixtures.get(uri), .badRequest, uri)
    let table = "/table?la=\(codes)&indicator=cla_rate"
    Self.expectPlain(try await Fixtures.get(table), .badRequest, table)
  }

  @Test func textFromTheRequestIsEscaped() async throws {
    let r = try await Fixtures.get("/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    let page = Fixtures.text(r)
    #expect(!page.contains("<script>alert"))
    #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    let json = try await Fixtures.get("/authority/%3Cb%3E")
    #expect(json.status == .notFound)
  }

  @Test func pagesLoadNothingFromElsewhere() async throws {
    for uri in ["/", "/authority/E06000001", "/indicator/cla_rate?la=E06000001", "/workbench/cla_rate"] {
      let r = try await Fixtures.get(uri)
      #expect(r.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true, "\(uri)")
      let page = Fixtures.text(r)
      #expect(!page.contains("http://") && !page.contains("https://") || page.contains("xmlns=\"http://www.w3.org/2000/svg\""), "\(uri)")
    }
  }
}
