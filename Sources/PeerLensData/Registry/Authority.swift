/// An upper-tier local authority as it appears in the DfE files.
public struct Authority: Sendable, Hashable, Codable {
  /// 9-character ONS code (E06…, E08…, E09…, E10…).
  public let code: String
  /// 3-digit DfE number.
  public let oldCode: String
  public let name: String
  public let regionCode: String
  public let regionName: String
  /// First and last reporting year with data.
  public let firstYear: Int
  public let lastYear: Int
  /// Codes of the authorities that replaced this one (boundary change or recoding).
  public let successorCodes: [String]

  /// Whether the authority exists in the latest data (it has no successor).
  public var isCurrent: Bool { successorCodes.isEmpty }

  /// Whether the authority existed in a given reporting year.
  public func existed(in year: Int) -> Bool { year >= firstYear && year <= lastYear }

  /// Inner or Outer London, split as DfE files do (E13000001/E13000002),
  /// `nil` outside London.
  public var londonSubRegion: String? {
    guard regionCode == "E12000007" else { return nil }
    return AuthorityRegistry.innerLondonBoroughs.contains(code) ? "Inner London" : "Outer London"
  }
}
