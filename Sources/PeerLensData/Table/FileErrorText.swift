import Foundation

/// A file-system error in words a person can act on.
///
/// Foundation describes a failed read or write as "The operation could not
/// be completed. (NSCocoaErrorDomain error 256.)", which names neither the
/// cause nor a remedy. The cause is almost always the operating system's
/// error number, kept as the underlying error: its text ("permission
/// denied", "no such file or directory", "is a directory") is what a
/// message should say.
public enum FileErrorText {
  /// The operating system's reason for `error`, lower-case ("permission
  /// denied"), else Foundation's description.
  public static func reason(_ error: Error) -> String {
    if let code = posixCode(error) { return reason(errno: code) }
    let ns = error as NSError
    if ns.domain == NSCocoaErrorDomain {
      switch CocoaError.Code(rawValue: ns.code) {
      case .fileReadNoSuchFile, .fileNoSuchFile: return "no such file or directory"
      case .fileReadNoPermission, .fileWriteNoPermission: return "permission denied"
      case .fileWriteOutOfSpace: return "no space left on the device"
      case .fileWriteVolumeReadOnly: return "read-only file system"
      default: break
      }
    }
    return ns.localizedDescription
  }

  /// `strerror` for an error number, lower-case.
  public static func reason(errno code: Int32) -> String {
    let text = String(cString: strerror(code))
    return text.prefix(1).lowercased() + text.dropFirst()
  }

  /// The POSIX error number behind `error`, if it carries one.
  public static func posixCode(_ error: Error) -> Int32? {
    var ns: NSError? = error as NSError
    for _ in 0..<4 {
      guard let e = ns else { return nil }
      if e.domain == NSPOSIXErrorDomain { return Int32(e.code) }
      ns = e.userInfo[NSUnderlyingErrorKey] as? NSError
    }
    return nil
  }
}
