import Foundation

/// The pack's Ofsted ILACS judgement of the impact of leaders: the
/// authority's judgement and date, and how judgements are spread among its
/// official neighbours, its region and England (as the DfE dashboard shows).
public struct LeadershipSection: Sendable, Codable, Equatable {
  public struct Count: Sendable, Codable, Equatable {
    public let grade: String
    public let neighbours: Int
    public let region: Int
    public let england: Int
  }

  public let judgement: String?
  public let date: String?
  public let asAt: String
  public let counts: [Count]
  public let note: String
}
