import Foundation

/// The pack's social workers by ethnic group against the population, by
/// role (shares and ratios, never coloured).
public struct WorkforceEthnicitySection: Sendable, Codable, Equatable {
  public struct Row: Sendable, Codable, Equatable {
    public let role: String
    public let group: String
    public let count: Double?
    public let share: Double?
    public let populationShare: Double?
    public let ratio: Double?
    public let lower: Double?
    public let upper: Double?
  }

  public let period: String
  public let rows: [Row]
  public let note: String
}
