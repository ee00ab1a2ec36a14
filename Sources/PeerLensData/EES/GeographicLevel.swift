/// The geography a row describes.
public enum GeographicLevel: String, Sendable, Codable, CaseIterable {
  case national = "National"
  case regional = "Regional"
  case localAuthority = "Local authority"

  /// Recognises the EES `geographic_level` cell (other levels are `nil`).
  public init?(cell: String) {
    switch cell.trimmingCharacters(in: .whitespaces).lowercased() {
    case "national": self = .national
    case "regional": self = .regional
    case "local authority", "local_authority", "la": self = .localAuthority
    default: return nil
    }
  }
}
