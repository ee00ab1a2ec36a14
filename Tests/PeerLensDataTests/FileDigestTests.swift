import Foundation
import Testing
import PeerLensData

/// The packs' provenance digests are read a mebibyte at a time (the whole
/// file at once was up to 10 MB more at the run's peak memory): the digest
/// must be the file's SHA-256 whatever its length.
@Suite struct FileDigestTests {
  @Test func digestsAreTheFilesSHA256AcrossChunkBoundaries() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("digest-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    // FIPS 180-2's test vectors.
    let known: [(Data, String)] = [
      (Data("abc".utf8), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
      (Data(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
      (Data(repeating: 0x61, count: 1_000_000), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"),
    ]
    for (k, (data, hex)) in known.enumerated() {
      let url = dir.appendingPathComponent("known-\(k)")
      try data.write(to: url)
      #expect(try DataSnapshot.sha256(fileAt: url) == hex)
    }
    // Lengths about the chunk boundary; digests from Python's hashlib for
    // the same bytes, (31k + k >> 9) mod 256.
    let boundary: [(Int, String)] = [
      ((1 << 20) - 1, "fd362eb87b3d4e7a98300dbf4ff9b633d4beb0ae87420cd215075987a270a378"),
      (1 << 20, "d12d0182a4797ab1c11f5c225073ab9d5a4d8061bbbd595e23dc6e0b4a69319e"),
      ((1 << 20) + 1, "5a7bd5a5ac28434eeef35b1d774b065b1592023f502bd85d0b9cd606e885c3ee"),
      ((3 << 20) + 17, "df3a2d2402ad486948e64477ff552b1de5116d0fbacc8ae2258025c08cee8b7a"),
    ]
    for (length, hex) in boundary {
      let url = dir.appendingPathComponent("file-\(length)")
      try Data((0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) }).write(to: url)
      #expect(try DataSnapshot.sha256(fileAt: url) == hex)
    }
  }
}
