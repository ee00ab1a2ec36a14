import Foundation

/// A throw-away copy of the data mirror for tests that must alter files:
/// every file is a symbolic link to the real one except those replaced.
public struct TemporaryMirror: Sendable {
  public let root: URL

  /// Builds the mirror, replacing `dfe/NAME` files with the given text.
  public init(replacing replacements: [String: String] = [:], removing removed: Set<String> = []) throws {
    let fm = FileManager.default
    root = fm.temporaryDirectory.appendingPathComponent("peerlens-mirror-\(UUID().uuidString)")
    let source = TestData.data
    for sub in ["dfe", "context", "neighbours", "lookups"] {
      let dir = root.appendingPathComponent(sub)
      try fm.createDirectory(at: dir, withIntermediateDirectories: true)
      for name in try fm.contentsOfDirectory(atPath: source.appendingPathComponent(sub).path) {
        let key = "\(sub)/\(name)"
        if removed.contains(key) { continue }
        let target = dir.appendingPathComponent(name)
        if let text = replacements[key] {
          try text.write(to: target, atomically: true, encoding: .utf8)
        } else {
          try fm.createSymbolicLink(at: target, withDestinationURL: source.appendingPathComponent(key))
        }
      }
    }
  }

  public func remove() { try? FileManager.default.removeItem(at: root) }
}

/// A temporary file path (not created).
public func temporaryPath(_ suffix: String) -> String {
  FileManager.default.temporaryDirectory.appendingPathComponent("peerlens-\(UUID().uuidString)\(suffix)").path
}
