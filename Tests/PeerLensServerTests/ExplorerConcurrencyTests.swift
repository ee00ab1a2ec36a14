import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The explorer keeps answering under 64 concurrent clients, malformed
/// requests among them.
@Suite struct ExplorerConcurrencyTests {
  static let routes: [(String, HTTPResponse.Status)] = [
    ("/authority/E06000001?group=official", .ok), ("/indicator/cla_rate?la=E06000002&group=region", .ok),
    ("/api/authority/E08000021?group=all", .ok), ("/api/indicator/cin_rate?group=all", .ok),
    ("/authority/E99999999", .notFound), ("/authority/E06000001?group=%zz", .badRequest),
    ("/authority/%2e%2e/x", .badRequest), ("/table?la=E06000001&indicator=cla_rate&format=csv", .ok),
  ]

  /// 64 requests in flight at once through the router (no socket).
  @Test func sixtyFourConcurrentRequests() async throws {
    let app = Application(router: try Fixtures.explorer.get().router())
    try await app.test(.router) { client in
      let statuses = try await withThrowingTaskGroup(of: (Int, HTTPResponse.Status).self) { group in
        for k in 0..<64 {
          group.addTask { (k, try await client.execute(uri: Self.routes[k % Self.routes.count].0, method: .get).status) }
        }
        var out: [(Int, HTTPResponse.Status)] = []
        for try await s in group { out.append(s) }
        return out
      }
      #expect(statuses.count == 64)
      for (k, status) in statuses { #expect(status == Self.routes[k % Self.routes.count].1, "\(Self.routes[k % Self.routes.count].0)") }
    }
  }

  /// The real command: `peerlens serve --port 0` prints its address,
  /// answers 64 clients on 64 connections at once, and stops cleanly on SIGINT.
  @Test func theServeCommandAnswersSixtyFourClientsAndStopsOnCtrlC() async throws {
    let server = try await ServeProcess()
    let answers = try await ServeProcess.python("explorer_clients.py", [server.base, "64"] + Self.routes.map(\.0))
    let results = try #require(try JSONSerialization.jsonObject(with: Data(answers.utf8)) as? [[Any]])
    #expect(results.count == 64)
    for (k, r) in results.enumerated() {
      #expect(r.last as? Int == Int(Self.routes[k % Self.routes.count].1.code), "\(r)")
    }
    let (status, messages) = await server.interrupt()
    #expect(status == 0, "serve exits 0 after Ctrl-C")
    #expect(messages.contains("peerlens serve: stopped."))
  }

  /// A client that sends its request a byte a second and never finishes
  /// it is cut off after --idle-timeout (before, it held its connection for
  /// as long as it liked); a whole request is still answered.
  @Test func aRequestNeverFinishedIsCutOff() async throws {
    let server = try await ServeProcess(["--idle-timeout", "2"])
    let answer = try await ServeProcess.python("explorer_idle.py", [server.base, "30"])
    let result = try #require(try JSONSerialization.jsonObject(with: Data(answer.utf8)) as? [String: Any])
    let closed = try #require(result["closed_after"] as? Double, "the connection was still open after 30 s: \(answer)")
    #expect(closed >= 1.5 && closed < 10, "\(answer)")
    #expect(result["complete_status"] as? Int == 200)
    _ = await server.interrupt()
  }
}
