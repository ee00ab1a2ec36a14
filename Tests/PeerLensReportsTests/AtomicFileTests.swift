import Foundation
import Testing
import PeerLensData
@testable import PeerLensReports

/// Packs' files are written with plain POSIX calls (no `fsync` after each,
/// which kept a core idle for a quarter of a second per national run):
/// the bytes, the permissions and the failures must be those of
/// Foundation's `Data.write(to:)`, which they replace.
@Suite struct AtomicFileTests {
  static func folder() throws -> URL { try StreamedWritingTests.folder() }

  @Test func bytesAndPermissionsAreThoseOfFoundationsWrite() throws {
    let dir = try Self.folder()
    defer { try? FileManager.default.removeItem(at: dir) }
    // Past one write's worth on most kernels, every byte value, and empty.
    var generator = SystemRandomNumberGenerator()
    let big = Data((0..<(5 << 20)).map { _ in UInt8.random(in: 0...255, using: &generator) })
    for (name, data) in [("big.bin", big), ("empty.bin", Data()), ("short.txt", Data("Île\n".utf8))] {
      let ours = dir.appendingPathComponent(name), theirs = dir.appendingPathComponent("foundation-" + name)
      try AtomicFile.write(data, to: ours)
      try data.write(to: theirs)
      #expect(try Data(contentsOf: ours) == data)
      let mode = { (url: URL) in try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int }
      #expect(try mode(ours) == mode(theirs))
    }
    // Overwriting replaces the whole file, a longer one included.
    let url = dir.appendingPathComponent("big.bin")
    try AtomicFile.write(Data("short".utf8), to: url)
    #expect(try Data(contentsOf: url) == Data("short".utf8))
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).allSatisfy { !$0.contains(".tmp-") })
  }

  @Test func aFileThatCannotBeOpenedGivesTheReasonAndLeavesNothing() throws {
    let dir = try Self.folder()
    defer { try? FileManager.default.removeItem(at: dir) }
    // A name the folder takes but its temporary file's longer name does not.
    let url = dir.appendingPathComponent(String(repeating: "n", count: 250) + ".json")
    let temporary = dir.appendingPathComponent("." + url.lastPathComponent + ".tmp-\(getpid())")
    do {
      try AtomicFile.write(Data("{}".utf8), to: url)
      Issue.record("a temporary name over 255 bytes was written")
    } catch {
      #expect(FileErrorText.reason(error) == "file name too long")
      #expect((error as NSError).userInfo[NSFilePathErrorKey] as? String == temporary.path)
      // The code Foundation's own write gives for the same file.
      do { try Data("{}".utf8).write(to: temporary) } catch let foundation {
        #expect((error as NSError).code == (foundation as NSError).code)
        #expect((error as NSError).domain == (foundation as NSError).domain)
      }
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
  }

  @Test func aTargetThatIsAFolderIsRefusedAndTheTemporaryFileRemoved() throws {
    let dir = try Self.folder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let target = dir.appendingPathComponent("E06000001.html")
    try FileManager.default.createDirectory(at: target.appendingPathComponent("inside"), withIntermediateDirectories: true)
    #expect(throws: (any Error).self) { try AtomicFile.write(Data("<p>".utf8), to: target) }
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["E06000001.html"])
  }

  /// Each cause gets the code Foundation's `Data.write(to:)` gives it
  /// (swift-foundation's CocoaError+FilePath), so callers that tell "out
  /// of space" from "no permission" by code still can.
  @Test func failuresCarryFoundationsCodes() {
    let url = URL(fileURLWithPath: "/tmp/x")
    let expected: [(Int32, CocoaError.Code)] = [
      (ENOENT, .fileNoSuchFile), (EPERM, .fileWriteNoPermission), (EACCES, .fileWriteNoPermission),
      (ENAMETOOLONG, .fileWriteInvalidFileName), (EDQUOT, .fileWriteOutOfSpace), (ENOSPC, .fileWriteOutOfSpace),
      (EROFS, .fileWriteVolumeReadOnly), (EEXIST, .fileWriteFileExists), (EIO, .fileWriteUnknown), (EISDIR, .fileWriteUnknown),
    ]
    for (code, kind) in expected {
      let error = AtomicFile.failure(url, code) as NSError
      #expect(error.domain == NSCocoaErrorDomain && error.code == kind.rawValue, "errno \(code)")
      #expect(FileErrorText.posixCode(error) == code)
    }
  }
}
