import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The server keeps answering under 64 concurrent clients on a real
/// socket, malformed requests among them.
@Suite struct ExplorerConcurrencyTests {
  @Test func sixtyFourConcurrentClients() async throws {
    let app = Application(router: try Fixtures.explorer.get().router())
    let routes: [(String, HTTPResponse.Status)] = [
      ("/authority/E06000001?group=official", .ok), ("/indicator/cla_rate?la=E06000002&group=region", .ok),
      ("/api/authority/E08000021?group=all", .ok), ("/api/indicator/cin_rate?group=all", .ok),
      ("/authority/E99999999", .notFound), ("/authority/E06000001?group=%zz", .badRequest),
      ("/authority/%2e%2e/x", .badRequest), ("/table?la=E06000001&indicator=cla_rate&format=csv", .ok),
    ]
    try await app.test(.ahc(.http)) { client in
      let statuses = try await withThrowingTaskGroup(of: (Int, HTTPResponse.Status).self) { group in
        for k in 0..<64 {
          group.addTask {
            let (uri, _) = routes[k % routes.count]
            return (k, try await client.execute(uri: uri, method: .get).status)
          }
        }
        var out: [(Int, HTTPResponse.Status)] = []
        for try await s in group { out.append(s) }
        return out
      }
      #expect(statuses.count == 64)
      for (k, status) in statuses { #expect(status == routes[k % routes.count].1, "\(routes[k % routes.count].0)") }
    }
  }
}
