import Foundation

/// Writes files atomically: to a temporary file in the same folder, then
/// renamed over the target, so a reader never sees half a pack and an
/// interrupted run leaves the previous file intact.
public enum AtomicFile {
  public static func write(_ text: String, to url: URL) throws {
    try write(Data(text.utf8), to: url)
  }

  public static func write(_ data: Data, to url: URL) throws {
    let fm = FileManager.default
    try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    let tmp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
    try data.write(to: tmp)
    if rename(tmp.path, url.path) != 0 {
      let code = errno
      try? fm.removeItem(at: tmp)
      throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path, "errno": code])
    }
  }
}
