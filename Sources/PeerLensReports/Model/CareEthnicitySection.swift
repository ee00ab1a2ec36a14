import Foundation

/// The pack's comparison of the ethnic mix of children in care with the
/// population and with England's children in care (ratios, never coloured).
public struct CareEthnicitySection: Sendable, Codable, Equatable {
  public struct Row: Sendable, Codable, Equatable {
    public let group: String
    public let count: Double?
    public let status: String
    public let versusPopulation: Double?
    public let populationLower: Double?
    public let populationUpper: Double?
    public let versusEnglandCare: Double?
    public let englandLower: Double?
    public let englandUpper: Double?
  }

  public let period: String
  public let rows: [Row]
  public let note: String
}
