import Foundation
import Testing
import _PeerLensTestSupport

/// The real `peerlens serve --port 0`, in its own process: so that the test
/// run's other suites, busy on the test process's threads, cannot starve
/// the server, and so that the command itself (its address line, its
/// Ctrl-C) is what is tested.
final class ServeProcess: @unchecked Sendable {
  let process = Process()
  let errors = Pipe()
  /// `http://127.0.0.1:<port>` as printed.
  private(set) var base = ""
  private let exited = AsyncStream<Int32>.makeStream()

  /// Starts the server and waits for its address (it computes the national run first).
  ///
  /// - Parameter arguments: options added to `serve --port 0`.
  init(_ arguments: [String] = []) async throws {
    let binary = try #require(Self.peerlensBinary(), "the peerlens executable is built beside the tests (swift build --build-tests)")
    process.executableURL = binary
    process.arguments = ["serve", "--port", "0"] + arguments
    var environment = ProcessInfo.processInfo.environment
    environment["PEERLENS_DATA"] = TestData.data.path
    environment["PEERLENS_MODELS"] = Fixtures.models.path
    process.environment = environment
    process.currentDirectoryURL = Fixtures.root
    let out = Pipe()
    process.standardOutput = out
    process.standardError = errors
    let continuation = exited.continuation
    process.terminationHandler = { p in continuation.yield(p.terminationStatus); continuation.finish() }
    try process.run()
    let line = try await Self.firstLine(out.fileHandleForReading)
    let address = try #require(line.split(separator: " ").first { $0.hasPrefix("http://127.0.0.1:") }, "printed: \(line)")
    base = String(address.dropLast(address.hasSuffix("/") ? 1 : 0))
  }

  deinit { if process.isRunning { process.terminate() } }

  /// Sends SIGINT (Ctrl-C) and returns the exit status and what went to stderr.
  func interrupt() async -> (status: Int32, messages: String) {
    kill(process.processIdentifier, SIGINT)
    var status: Int32 = -1
    for await s in exited.stream { status = s }
    return (status, String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
  }

  /// Runs a helper script under `Tests/Scripts` with Debian's Python and returns its output.
  static func python(_ script: String, _ arguments: [String]) async throws -> String {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
    p.arguments = [Fixtures.root.appendingPathComponent("Tests/Scripts/" + script).path] + arguments
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    let done = AsyncStream<Int32>.makeStream()
    p.terminationHandler = { q in done.continuation.yield(q.terminationStatus); done.continuation.finish() }
    try p.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let problems = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    var status: Int32 = -1
    for await s in done.stream { status = s }
    try #require(status == 0, "\(script) failed: \(problems.suffix(2000))")
    return text
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

  /// Reads up to the first newline, off the cooperative threads.
  static func firstLine(_ handle: FileHandle) async throws -> String {
    await withCheckedContinuation { (c: CheckedContinuation<String, Never>) in
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
