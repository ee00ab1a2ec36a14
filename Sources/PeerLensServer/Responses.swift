import Foundation
import Hummingbird
import PeerLensData

/// Response builders: every page, download and JSON answer has its type,
/// `nosniff`, and a content security policy that lets a page load nothing
/// from anywhere but this server.
enum Responses {
  static let pagePolicy = "default-src 'none'; style-src 'unsafe-inline'; script-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
  /// Pack pages are the packs' own self-contained HTML (inline styles and SVG).
  static let packPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; frame-ancestors 'none'"

  static func headers(_ type: String, policy: String? = nil, download: String? = nil) -> HTTPFields {
    var h: HTTPFields = [.contentType: type, .init("X-Content-Type-Options")!: "nosniff", .cacheControl: "no-store"]
    if let policy { h[.contentSecurityPolicy] = policy }
    if let download { h[.contentDisposition] = "attachment; filename=\"\(download)\"" }
    return h
  }

  static func html(_ page: String, status: HTTPResponse.Status = .ok, policy: String = pagePolicy) -> Response {
    Response(status: status, headers: headers("text/html; charset=utf-8", policy: policy),
             body: .init(byteBuffer: ByteBuffer(string: page)))
  }

  static func json(_ value: JSONValue) -> Response {
    Response(status: .ok, headers: headers("application/json; charset=utf-8"),
             body: .init(byteBuffer: ByteBuffer(string: value.rendered(pretty: true) + "\n")))
  }

  static func script(_ text: String) -> Response {
    Response(status: .ok, headers: headers("text/javascript; charset=utf-8"), body: .init(byteBuffer: ByteBuffer(string: text)))
  }

  static func download(_ data: Data, type: String, name: String) -> Response {
    Response(status: .ok, headers: headers(type, download: name), body: .init(byteBuffer: ByteBuffer(bytes: data)))
  }
}
