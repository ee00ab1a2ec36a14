import Foundation

/// Locates the shared reference and data folders that sit beside the
/// repository (`../shared`), or where `PEERLENS_SHARED` points.
public enum SharedFolder {
  /// The `shared` folder: `$PEERLENS_SHARED`, else `../shared` relative to
  /// the package root (found from this source file's path).
  public static var root: URL {
    if let env = ProcessInfo.processInfo.environment["PEERLENS_SHARED"], !env.isEmpty {
      return URL(fileURLWithPath: env)
    }
    let here = URL(fileURLWithPath: #filePath)  // …/Sources/_PeerLensTestSupport/ReferenceData.swift
    let package = here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    return package.deletingLastPathComponent().appendingPathComponent("shared")
  }

  public static var reference: URL { root.appendingPathComponent("reference") }
  public static var data: URL { root.appendingPathComponent("data") }

  public static func text(_ relative: String, in base: URL = root) throws -> String {
    try String(contentsOf: base.appendingPathComponent(relative), encoding: .utf8)
  }
}

/// The log relative error (LRE) of McCullough (1998): the number of
/// correct significant digits of `estimate` against `certified`
/// (absolute digits when the certified value is zero), capped at 15.
public func logRelativeError(_ estimate: Double, certified: Double) -> Double {
  if estimate == certified { return 15 }
  let err = certified == 0 ? abs(estimate) : abs(estimate - certified) / abs(certified)
  return min(15, -log10(err))
}

/// True when `a` and `b` agree to a relative tolerance (absolute below
/// `absolute`).
public func agrees(_ a: Double, _ b: Double, relative: Double, absolute: Double = 0) -> Bool {
  if a == b { return true }
  let diff = abs(a - b)
  return diff <= absolute || diff <= relative * max(abs(a), abs(b))
}
