/// A number in a TOML file, written either way: TOML keeps integers and
/// floats apart, and TOMLKit will not read `2` where a `Double` is
/// expected, so a neighbour weight written `a = 1` was refused as "not the
/// kind of value expected". Every whole number fits a `Double` exactly up
/// to 2⁵³, far past any weight or scale.
public struct TOMLNumber: Decodable, Sendable, Equatable {
  public let value: Double

  public init(from decoder: Decoder) throws {
    let c = try decoder.singleValueContainer()
    if let whole = try? c.decode(Int.self) {
      value = Double(whole)
    } else {
      value = try c.decode(Double.self)
    }
  }
}
