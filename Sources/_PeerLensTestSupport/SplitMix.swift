import Foundation

/// A small deterministic random number generator (SplitMix64) for
/// fixtures: the same seed gives the same data on every machine.
public struct SplitMix: RandomNumberGenerator {
  var state: UInt64
  public init(seed: UInt64) { state = seed }

  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A standard normal draw (Box–Muller).
  public mutating func normal() -> Double {
    let u1 = Double(next() >> 11) / Double(1 << 53) + 1e-300
    let u2 = Double(next() >> 11) / Double(1 << 53)
    return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
  }

  public mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
