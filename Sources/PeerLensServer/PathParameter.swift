import Foundation
import Hummingbird

/// A path segment captured by a route (`/authority/:code`), percent-decoded.
///
/// The router hands segments over as sent, so `/authority/%E2%82%AC` was
/// answered about the code '%E2%82%AC' rather than '€'. Encoded dots,
/// slashes and percent signs never get here (`RequestGuard` refuses them);
/// an escape that is not UTF-8 is refused as a malformed address.
enum PathParameter {
  static func decoded(_ context: some RequestContext, _ name: String) throws(ExplorerError) -> String {
    guard let raw = context.parameters.get(name) else { throw .notFound("Not found. Start at /.") }
    guard let text = raw.removingPercentEncoding else {
      throw .badRequest("The address has a malformed percent escape.")
    }
    return text
  }
}
