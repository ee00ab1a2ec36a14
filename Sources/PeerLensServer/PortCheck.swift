import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Whether the explorer can listen where it was asked to, found out before
/// the national run rather than after it.
///
/// Why: `peerlens serve` computes for several seconds before it opens its
/// port, and a busy port then ended the run with SwiftNIO's
/// "bind(descriptor:ptr:bytes:): Address already in use) (errno: 98)". A
/// trial bind (with SO_REUSEADDR, as the server binds) answers at once; the
/// server's own bind error is still translated (`ServeError.from(_:host:port:)`),
/// for a port taken between the check and the bind.
public enum PortCheck {
  /// Throws `ServeError.portInUse` if `port` on `host` cannot be bound for
  /// that reason, `.unknownHost` if `host` is neither an address nor a name
  /// this machine resolves, and `.notLocalAddress` if it is an address of
  /// another machine (SwiftNIO's words for those two, "UnknownHost" and
  /// "errno: 99", came only after the national run). Any other outcome is
  /// left to the server, which reports it.
  public static func requireFree(host: String, port: Int) throws {
    var hints = addrinfo()
    hints.ai_flags = AI_PASSIVE
    hints.ai_family = AF_UNSPEC
    #if canImport(Glibc)
      hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    #else
      hints.ai_socktype = SOCK_STREAM
    #endif
    var list: UnsafeMutablePointer<addrinfo>? = nil
    guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else {
      throw ServeError.unknownHost(host: host)
    }
    defer { freeaddrinfo(list) }
    let fd = socket(first.pointee.ai_family, first.pointee.ai_socktype, first.pointee.ai_protocol)
    guard fd >= 0 else { return }
    defer { close(fd) }
    var one: Int32 = 1
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
    if bind(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) != 0 {
      if errno == EADDRINUSE, port > 0 { throw ServeError.portInUse(host: host, port: port) }
      if errno == EADDRNOTAVAIL { throw ServeError.notLocalAddress(host: host) }
    }
  }
}

/// Why the explorer could not start, in words for people.
public enum ServeError: Error, LocalizedError, Equatable, Sendable {
  case portInUse(host: String, port: Int)
  case unknownHost(host: String)
  case notLocalAddress(host: String)

  public var errorDescription: String? {
    switch self {
    case .portInUse(let host, let port):
      return "Port \(port) on \(host) is already in use (another program, or another peerlens serve, is listening "
        + "there). Choose another with --port, e.g. --port \(port == 65_535 ? port - 1 : port + 1), or --port 0 for any free port."
    case .unknownHost(let host):
      return "--host '\(ExplorerText.shown(host))' is neither an address nor a name this machine can resolve. "
        + "Use 127.0.0.1 (this machine only, the default) or 0.0.0.0 (every network interface)."
    case .notLocalAddress(let host):
      return "--host \(ExplorerText.shown(host)) is not an address of this machine, so the explorer cannot listen on it. "
        + "Use 127.0.0.1 (this machine only, the default), 0.0.0.0 (every network interface) or one of this machine's addresses."
    }
  }

  /// The server's error with a busy port named, or the error as it is.
  /// SwiftNIO's bind error is recognised from its text ("Address already
  /// in use", errno EADDRINUSE), as its type is not visible from here.
  public static func from(_ error: Error, host: String, port: Int) -> Error {
    let text = String(describing: error)
    if text.contains("Address already in use") || text.contains("errno: \(EADDRINUSE))") {
      return ServeError.portInUse(host: host, port: port)
    }
    return error
  }
}
