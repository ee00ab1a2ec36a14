import Hummingbird
import PeerLensData

/// What the explorer answers to a request it cannot serve, as plain text
/// for people: never a stack trace, never the engine's internals.
///
/// An unknown authority, indicator, year or group member is `notFound`
/// (404: the thing asked for does not exist); a query the explorer will not
/// read (a malformed percent escape, 201 authorities, a path with `..`) is
/// `badRequest` (400).
public enum ExplorerError: Error, HTTPResponseError, Equatable, Sendable {
  case notFound(String)
  case badRequest(String)
  /// A computation failed (a model that does not converge for the chosen
  /// variables): the engine's message, which names no file or code path.
  case unprocessable(String)

  public var status: HTTPResponse.Status {
    switch self {
    case .notFound: return .notFound
    case .badRequest: return .badRequest
    case .unprocessable: return .unprocessableContent
    }
  }

  public var message: String {
    switch self {
    case .notFound(let m), .badRequest(let m), .unprocessable(let m): return m
    }
  }

  public func response(from request: Request, context: some RequestContext) throws -> Response {
    PlainText.response(message, status: status)
  }
}

/// An error's answer: plain text for pages, or for the API
/// `{"error": "…", "status": 404}` as JSON, with the same status.
enum ErrorReply {
  static func response(_ text: String, status: HTTPResponse.Status, json: Bool) -> Response {
    guard json else { return PlainText.response(text, status: status) }
    let body = JSONValue.object([("error", .string(text)), ("status", .number(Double(status.code)))])
    return Response(status: status,
                    headers: [.contentType: "application/json; charset=utf-8", .init("X-Content-Type-Options")!: "nosniff"],
                    body: .init(byteBuffer: ByteBuffer(string: body.rendered(pretty: true) + "\n")))
  }
}

/// Plain-text responses (errors and notes), UTF-8, never sniffed as HTML.
enum PlainText {
  static func response(_ text: String, status: HTTPResponse.Status) -> Response {
    Response(status: status,
             headers: [.contentType: "text/plain; charset=utf-8", .init("X-Content-Type-Options")!: "nosniff"],
             body: .init(byteBuffer: ByteBuffer(string: text + "\n")))
  }
}
