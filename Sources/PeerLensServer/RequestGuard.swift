import Hummingbird
import Logging

/// The explorer's outermost middleware: refuses methods other than GET and
/// HEAD, refuses paths that try to leave the route tree and turns every
/// error into a plain-text answer.
///
/// Methods: every route is a GET (the router answers HEAD as GET without
/// the body); any other method, on any path, is 405 with `Allow: GET, HEAD`
/// (a POST to /table answered 404 "Not found", which sent people looking
/// for a page that is there).
///
/// Path traversal: no route reads a file by name, but a path holding `..`,
/// a backslash, or any percent-encoded dot, slash or backslash (`%2e`,
/// `%2f`, `%5c`, in either case, also double-encoded as `%25…`) is refused
/// with 400 before routing, so no later handler has to think about it.
/// Errors: an `ExplorerError` keeps its status and message; Hummingbird's
/// own 404 for an unknown route gets a plain message; anything else is a
/// 500 that says only that the request failed, and is logged. Under
/// `/api/` (and for `format=json`) the message comes as JSON,
/// `{"error": …, "status": …}`: a script reading the API parses every
/// answer, so a plain-text error broke it at the parse, not at the status.
struct RequestGuard<Context: RequestContext>: RouterMiddleware {
  /// The longest request target read (a custom group of 200 codes is about 2,100 characters).
  static var maximumTargetLength: Int { 8_192 }

  /// The methods the explorer answers, as the `Allow` header lists them.
  static var allowedMethods: String { "GET, HEAD" }

  func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
    let json = Self.wantsJSON(request.uri.string)
    let reply = { (text: String, status: HTTPResponse.Status) in ErrorReply.response(text, status: status, json: json) }
    guard request.method == .get || request.method == .head else {
      var response = reply("The explorer only reads: \(Self.shownMethod(request.method.rawValue)) is not allowed; use GET (a link or a form with method=\"get\").",
                                        .methodNotAllowed)
      response.headers[.allow] = Self.allowedMethods
      return response
    }
    if let refusal = Self.refusal(request.uri.string) {
      // 414 for a target past the limit, as HTTP names it; 400 for the rest.
      let tooLong = request.uri.string.utf8.count > Self.maximumTargetLength
      return reply(refusal, tooLong ? .uriTooLong : .badRequest)
    }
    do {
      return try await next(request, context)
    } catch let error as ExplorerError {
      return reply(error.message, error.status)
    } catch let error as HTTPError where error.status == .notFound {
      return reply("Not found: no page at \(Self.shownPath(request.uri.path)). Start at /.", .notFound)
    } catch let error as HTTPError {
      return reply(error.body ?? error.status.reasonPhrase, error.status)
    } catch {
      context.logger.error("request failed", metadata: ["path": .string(request.uri.path), "error": .string("\(error)")])
      return reply("The request could not be answered.", .internalServerError)
    }
  }

  /// Whether errors go back as JSON: the `/api/` routes, and a
  /// `format=json` query (`/table`).
  static func wantsJSON(_ target: String) -> Bool {
    let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
    if parts.first?.hasPrefix("/api/") == true { return true }
    guard parts.count == 2 else { return false }
    return parts[1].split(separator: "&").contains { $0.lowercased() == "format=json" }
  }

  /// Why a request target is refused, or `nil` to serve it.
  static func refusal(_ target: String) -> String? {
    if target.utf8.count > maximumTargetLength { return "The request is too long (at most \(maximumTargetLength) characters)." }
    let path = String(target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
    let lowered = path.lowercased()
    if lowered.contains("%00") { return "Refused: the path may not contain an encoded NUL (%00)." }
    if lowered.contains("%25") { return "Refused: the path may not contain an encoded percent sign (%25), which would hide another escape." }
    for refused in ["..", "\\", "%2e", "%2f", "%5c", "//"] where lowered.contains(refused) {
      return "Refused: the path may not contain '..', '//', backslashes or encoded dots, slashes or backslashes."
    }
    guard path.hasPrefix("/") else { return "Refused: the path must start with '/'." }
    return nil
  }

  /// A method shown back to the reader: at most 20 characters.
  static func shownMethod(_ method: String) -> String {
    method.count > 20 ? String(method.prefix(20)) + "…" : method
  }

  /// A path shown back to the reader, shortened (it is plain text, so needs no escaping).
  static func shownPath(_ path: String) -> String {
    path.count > 80 ? String(path.prefix(80)) + "…" : path
  }
}
