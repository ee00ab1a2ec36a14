import Foundation
import Testing
@testable import PeerLensAnalysis

/// The packs' provenance digests are read a mebibyte at a time (the whole
/// file at once was up to 10 MB more at the run's peak memory): the digest
/// must be the file's SHA-256 whatever its length.
@Suite struct FileDigestTests {
  @Test func digestsAreTheFilesSHA256AcrossChunkBoundaries() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("digest-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    // FIPS 180-2's test vectors, and lengths about a chunk's boundary
    // checked against sha256sum's output for the same bytes.
    let known: [(Data, String)] = [
      (Data("abc".utf8), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
      (Data(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
      (Data(repeating: 0x61, count: 1_000_000), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"),
    ]
    for (k, (data, hex)) in known.enumerated() {
      let url = dir.appendingPathComponent("known-\(k)")
      try data.write(to: url)
      #expect(try NationalRun.sha256(of: url) == hex)
    }
    for length in [(1 << 20) - 1, 1 << 20, (1 << 20) + 1, 3 << 20 + 17] {
      let url = dir.appendingPathComponent("file-\(length)")
      try Data((0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) }).write(to: url)
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
      process.arguments = [url.path]
      let pipe = Pipe()
      process.standardOutput = pipe
      try process.run()
      let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      process.waitUntilExit()
      #expect(try NationalRun.sha256(of: url) == String(output.prefix(64)))
    }
  }
}
