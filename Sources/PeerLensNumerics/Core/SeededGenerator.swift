import Foundation

/// A small deterministic random number generator (SplitMix64, Steele,
/// Lea and Flood 2014). The same seed gives the same stream on every
/// machine, which is what deterministic clustering and bootstrap need;
/// it is not for cryptography.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
  private var state: UInt64

  public init(seed: UInt64) { state = seed }

  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// Uniform on [0, 1).
  public mutating func uniform() -> Double { Double(next() >> 11) / Double(UInt64(1) << 53) }

  /// A standard normal draw (Box–Muller).
  public mutating func normal() -> Double {
    let u1 = uniform() + 1e-300
    let u2 = uniform()
    return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
  }
}
