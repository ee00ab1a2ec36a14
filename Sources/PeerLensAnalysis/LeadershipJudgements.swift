import Foundation
import PeerLensData

/// Ofsted's latest ILACS judgement of the impact of leaders for each
/// authority, and how the judgements are spread among a set of authorities
/// (neighbours, region, England), as the DfE dashboard shows them.
///
/// A judgement is categorical: it has no rate, so no model, funnel or SPC
/// chart applies; the pack shows the judgement, its date and the counts.
public struct LeadershipJudgements: Sendable {
  public struct Judgement: Sendable, Equatable {
    public let judgement: String
    /// Inspection date as published (YYYY-MM-DD).
    public let date: String
    public init(judgement: String, date: String) {
      self.judgement = judgement
      self.date = date
    }
  }

  /// Ofsted's four grades in the order Ofsted lists them (the order of
  /// display; PeerLens adds no judgement of its own).
  public static let grades = ["Outstanding", "Good", "Requires improvement to be good", "Inadequate"]

  /// Judgement by current authority code.
  public let byCode: [String: Judgement]
  /// The "as at" period of the file (for example "2025").
  public let period: String

  public init(byCode: [String: Judgement], period: String) {
    self.byCode = byCode
    self.period = period
  }

  public static let fileName = "dfe/ofsted_ilacs_leadership_2025.csv"

  /// Reads `dfe/ofsted_ilacs_leadership_2025.csv`.
  public static func load(mirror: DataMirror, registry: AuthorityRegistry) throws -> LeadershipJudgements {
    let table = try CSVReader.read(contentsOf: mirror.url(fileName), source: fileName)
    let codes = try table.text("new_la_code"), dates = try table.text("inspection_date")
    let judgements = try table.text("impact_of_leaders"), periods = try table.text("time_period")
    var out: [String: Judgement] = [:]
    for i in codes.indices where !judgements[i].isEmpty {
      out[registry.canonicalCode(codes[i])] = Judgement(judgement: judgements[i], date: dates[i])
    }
    return LeadershipJudgements(byCode: out, period: periods.first ?? "")
  }

  /// Count of each grade among `codes` (every grade listed, zeros included;
  /// authorities with no judgement are counted under "Not inspected").
  public func counts(among codes: [String]) -> [(grade: String, count: Int)] {
    var tally: [String: Int] = [:]
    for c in codes { tally[byCode[c]?.judgement ?? "Not inspected", default: 0] += 1 }
    var out = Self.grades.map { (grade: $0, count: tally[$0] ?? 0) }
    for (g, n) in tally.sorted(by: { $0.key < $1.key }) where !Self.grades.contains(g) { out.append((g, n)) }
    return out
  }
}
