import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes files atomically: to a temporary file in the same folder, then
/// renamed over the target, so a reader never sees half a pack and a run
/// that is killed or fails leaves the previous file intact.
///
/// What is not promised is the state of the disk after a power cut or an
/// operating-system crash: files are left to the kernel to flush (no
/// `fsync`, as compilers and build tools leave theirs), and the command
/// that wrote them can write them again.
public enum AtomicFile {
  public static func write(_ text: String, to url: URL) throws {
    // The string's own UTF-8 bytes, not a copy of them (packs' pages and
    // tables are megabytes each, written from several threads at once).
    var text = text
    try text.withUTF8 { bytes in
      guard let base = bytes.baseAddress else { return try write(Data(), to: url) }
      try write(Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: base), count: bytes.count, deallocator: .none), to: url)
    }
  }

  /// Writes text made piece by piece (`body` calls `append` for each),
  /// buffered, so a large file is never held whole in memory.
  public static func write(to url: URL, _ body: (_ append: (String) throws -> Void) throws -> Void) throws {
    let tmp = try prepare(url)
    do {
      guard FileManager.default.createFile(atPath: tmp.path, contents: nil) else {
        throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: tmp.path])
      }
      let handle = try FileHandle(forWritingTo: tmp)
      defer { try? handle.close() }
      var buffer: [UInt8] = []
      buffer.reserveCapacity(1 << 20)
      try body { piece in
        buffer.append(contentsOf: piece.utf8)
        if buffer.count >= 1 << 20 { try handle.write(contentsOf: buffer); buffer.removeAll(keepingCapacity: true) }
      }
      try handle.write(contentsOf: buffer)
    } catch {
      try? FileManager.default.removeItem(at: tmp)
      throw error
    }
    try commit(tmp, to: url)
  }

  public static func write(_ data: Data, to url: URL) throws {
    let tmp = try prepare(url)
    do {
      try data.withUnsafeBytes { try writeWithoutSync($0, to: tmp) }
    } catch {
      try? FileManager.default.removeItem(at: tmp)
      throw error
    }
    try commit(tmp, to: url)
  }

  /// Writes `bytes` to a new file at `url` with plain POSIX calls.
  ///
  /// Why not `Data.write(to:)`: Foundation follows every write with
  /// `fsync`, which waits for the disk. A national run writes some 650
  /// files, and each core sat idle in `fsync` for a quarter of a second
  /// in all. The rename in `commit` is what keeps a reader from seeing
  /// half a file, and what an interrupted run leaves is the previous
  /// file; durability across a power cut is not needed for output that
  /// the same command writes again.
  private static func writeWithoutSync(_ bytes: UnsafeRawBufferPointer, to url: URL) throws {
    let fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
    guard fd >= 0 else { throw failure(url, errno) }
    var offset = 0
    while offset < bytes.count {
      let n = posixWrite(fd, bytes.baseAddress! + offset, bytes.count - offset)
      if n < 0 && errno == EINTR { continue }
      // A write of nothing with bytes left would repeat for ever.
      guard n > 0 else {
        let code = n < 0 ? errno : EIO
        close(fd)
        throw failure(url, code)
      }
      offset += n
    }
    guard close(fd) == 0 else { throw failure(url, errno) }
  }

  /// `write(2)`: the name is taken by `AtomicFile.write` inside the type.
  private static func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
      Glibc.write(fd, buffer, count)
    #else
      Darwin.write(fd, buffer, count)
    #endif
  }

  /// A failed write as Foundation's `Data.write(to:)` reports it: the
  /// same error code for the same cause, the path, and the operating
  /// system's error underneath (which `FileErrorText` words).
  static func failure(_ url: URL, _ code: Int32) -> Error {
    let kind: CocoaError.Code
    switch code {
    case ENOSPC, EDQUOT: kind = .fileWriteOutOfSpace
    case EACCES, EPERM: kind = .fileWriteNoPermission
    case EROFS: kind = .fileWriteVolumeReadOnly
    case ENAMETOOLONG: kind = .fileWriteInvalidFileName
    case ENOENT: kind = .fileNoSuchFile
    case EEXIST: kind = .fileWriteFileExists
    default: kind = .fileWriteUnknown
    }
    return CocoaError(kind, userInfo: [NSFilePathErrorKey: url.path, NSURLErrorKey: url,
                                       NSUnderlyingErrorKey: NSError(domain: NSPOSIXErrorDomain, code: Int(code))])
  }

  /// Makes the folder and names the temporary file beside the target.
  private static func prepare(_ url: URL) throws -> URL {
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
  }

  /// Renames the finished temporary file over the target.
  private static func commit(_ tmp: URL, to url: URL) throws {
    let fm = FileManager.default
    if rename(tmp.path, url.path) != 0 {
      let code = errno
      try? fm.removeItem(at: tmp)
      throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path, "errno": code])
    }
  }
}
