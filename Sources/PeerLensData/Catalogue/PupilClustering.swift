import Foundation

/// Where an absence rate's chance variation is counted in pupils rather
/// than in sessions (`pupil_clustering` in the catalogue):
///
/// ```toml
/// pupil_clustering = { pupils = ["t_pupils"], absent_at_least = ["t_pupils_pa_50_exact"], threshold = 0.5 }
/// ```
///
/// `pupils` counts the children whose sessions the rate sums;
/// `absent_at_least` counts those who missed at least `threshold` of
/// their sessions, read on England's row of each period to fit how much
/// pupils' own rates vary (`PupilClusteredRate`). Why: sessions are
/// clustered within pupils, so funnel limits and rank intervals that took
/// each session as an independent chance were far too narrow for small
/// authorities (Rutland's 2,448 sessions are 7 pupils).
public struct PupilClustering: Sendable, Codable, Equatable {
  public let pupils: [String]
  public let absentAtLeast: [String]
  public let threshold: Double

  enum CodingKeys: String, CodingKey {
    case pupils, threshold
    case absentAtLeast = "absent_at_least"
  }

  public init(pupils: [String], absentAtLeast: [String], threshold: Double) {
    self.pupils = pupils
    self.absentAtLeast = absentAtLeast
    self.threshold = threshold
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    pupils = try c.decode([String].self, forKey: .pupils)
    absentAtLeast = try c.decode([String].self, forKey: .absentAtLeast)
    threshold = try c.decode(Double.self, forKey: .threshold)
    guard threshold > 0, threshold < 1 else {
      throw DecodingError.dataCorruptedError(forKey: .threshold, in: c, debugDescription:
        "pupil_clustering threshold is a share of sessions between 0 and 1 (0.5: half their sessions); got \(threshold).")
    }
    guard !pupils.isEmpty, !absentAtLeast.isEmpty else {
      throw DecodingError.dataCorruptedError(forKey: .pupils, in: c, debugDescription:
        "pupil_clustering needs the columns of pupils and of pupils absent at least the threshold; a list is empty.")
    }
  }
}
