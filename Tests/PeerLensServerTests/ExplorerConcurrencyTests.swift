import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import _PeerLensTestSupport

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

  /// The real command: `peerlens serve --port 0` in its own process prints
  /// its address, answers 64 clients on 64 connections at once, and stops
  /// cleanly on SIGINT. In its own process so that the test run's other
  /// suites, busy on this process's threads, cannot starve it.
  @Test func theServeCommandAnswersSixtyFourClientsAndStopsOnCtrlC() async throws {
    let binary = try #require(Self.peerlensBinary(), "the peerlens executable is built beside the tests (swift build --build-tests)")
    let server = Process()
    server.executableURL = binary
    server.arguments = ["serve", "--port", "0"]
    var environment = ProcessInfo.processInfo.environment
    environment["PEERLENS_DATA"] = TestData.data.path
    environment["PEERLENS_MODELS"] = Fixtures.models.path
    server.environment = environment
    server.currentDirectoryURL = Fixtures.root
    let out = Pipe(), err = Pipe()
    server.standardOutput = out
    server.standardError = err
    let stopped = AsyncStream<Int32>.makeStream()
    server.terminationHandler = { p in stopped.continuation.yield(p.terminationStatus); stopped.continuation.finish() }
    try server.run()
    defer { if server.isRunning { server.terminate() } }
    // The first line on stdout is the address.
    let line = try await Self.firstLine(out.fileHandleForReading)
    let address = try #require(line.split(separator: " ").first { $0.hasPrefix("http://127.0.0.1:") }, "printed: \(line)")
    let base = String(address.dropLast(address.hasSuffix("/") ? 1 : 0))
    let client = Process()
    client.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
    client.arguments = [Fixtures.root.appendingPathComponent("Tests/Scripts/explorer_clients.py").path, base, "64"]
      + Self.routes.map(\.0)
    let clientOut = Pipe()
    client.standardOutput = clientOut
    let clientDone = AsyncStream<Int32>.makeStream()
    client.terminationHandler = { p in clientDone.continuation.yield(p.terminationStatus); clientDone.continuation.finish() }
    try client.run()
    let answers = clientOut.fileHandleForReading.readDataToEndOfFile()
    for await status in clientDone.stream { #expect(status == 0) }
    let results = try #require(try JSONSerialization.jsonObject(with: answers) as? [[Any]])
    #expect(results.count == 64)
    for (k, r) in results.enumerated() {
      #expect(r.last as? Int == Int(Self.routes[k % Self.routes.count].1.code), "\(r)")
    }
    kill(server.processIdentifier, SIGINT)
    for await status in stopped.stream { #expect(status == 0, "serve exits 0 after Ctrl-C") }
    let messages = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    #expect(messages.contains("peerlens serve: stopped."))
  }

  /// `.build/<config>/peerlens`, beside the test bundle.
  static func peerlensBinary() -> URL? {
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    for _ in 0..<4 {
      let candidate = dir.appendingPathComponent("peerlens")
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
      dir = dir.deletingLastPathComponent()
    }
    return nil
  }

  /// Reads up to the first newline (the national run takes a while before the address is printed).
  static func firstLine(_ handle: FileHandle) async throws -> String {
    try await withCheckedThrowingContinuation { (c: CheckedContinuation<String, Error>) in
      DispatchQueue.global().async {
        var bytes = Data()
        while true {
          let chunk = handle.readData(ofLength: 1)
          if chunk.isEmpty || chunk == Data("\n".utf8) { break }
          bytes += chunk
        }
        c.resume(returning: String(decoding: bytes, as: UTF8.self))
      }
    }
  }
}
