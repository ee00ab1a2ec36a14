import Foundation
import PeerLensData

/// Where the tests find their inputs, all inside the package so that
/// `swift test` passes in a fresh clone with nothing beside it:
/// reference values under `Tests/Fixtures/reference/` (public figures copied
/// from NIST, R, mpmath and PHEindicatormethods) and real data from the
/// snapshot embedded in `Data/`, extracted once into the cache.
public enum TestData {
  /// The package root, found from this source file's path.
  public static var packageRoot: URL {
    let here = URL(fileURLWithPath: #filePath)  // …/Sources/_PeerLensTestSupport/ReferenceData.swift
    return here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  }

  /// `Tests/Fixtures/`.
  public static var fixtures: URL { packageRoot.appendingPathComponent("Tests/Fixtures") }

  /// `Tests/Fixtures/reference/`: NIST StRD, the mpmath grid, R GLM fits,
  /// PHE interval values, meta-analysis τ².
  public static var reference: URL { fixtures.appendingPathComponent("reference") }

  /// The real data: the embedded snapshot, extracted into the cache (or
  /// `$PEERLENS_DATA` when a test run names another folder).
  public static var data: URL {
    if let env = ProcessInfo.processInfo.environment["PEERLENS_DATA"], !env.isEmpty {
      return URL(fileURLWithPath: env)
    }
    return snapshotFolder.value
  }

  private static let snapshotFolder = Once {
    do {
      return try DataSnapshot(folder: packageRoot.appendingPathComponent("Data")).extracted()
    } catch {
      fatalError("Tests need the embedded data snapshot: \(error.localizedDescription)")
    }
  }

  /// A file's text, relative to `base` (the package root by default).
  public static func text(_ relative: String, in base: URL = packageRoot) throws -> String {
    try String(contentsOf: base.appendingPathComponent(relative), encoding: .utf8)
  }
}

/// A value computed once, on first use, safely from several threads.
final class Once<Value: Sendable>: @unchecked Sendable {
  private let lock = NSLock()
  private var stored: Value?
  private let make: @Sendable () -> Value

  init(_ make: @escaping @Sendable () -> Value) { self.make = make }

  var value: Value {
    lock.lock()
    defer { lock.unlock() }
    if let stored { return stored }
    let v = make()
    stored = v
    return v
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
