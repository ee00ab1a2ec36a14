import Foundation

/// An exclusive lock on the data directory, so imports take turns: a second
/// import waits for the first instead of interleaving with it. The kernel
/// drops the lock if the holder is killed.
final class ImportLock {
  private let fd: Int32

  init(folder: URL) throws {
    let path = folder.appendingPathComponent(".import.lock").path
    fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw ImportError.notWritable(path: path, reason: String(cString: strerror(errno))) }
    while flock(fd, LOCK_EX) != 0 {
      guard errno == EINTR else {
        let reason = String(cString: strerror(errno))
        close(fd)
        throw ImportError.notWritable(path: path, reason: reason)
      }
    }
  }

  func release() {
    flock(fd, LOCK_UN)
    close(fd)
  }
}
