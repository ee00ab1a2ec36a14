import Foundation
import PeerLensData

/// A figure the packs show beside the indicators that is not one value per
/// authority and year: a category (Ofsted's judgement), a breakdown
/// (social workers by role and ethnic group) or an England-only series
/// (adoption timeliness). Each has the framework area the DfE dashboard
/// puts it under, so the packs, `values.csv`, the workbook and
/// `peerlens indicators` place and name it the same way.
public struct SupplementaryFigure: Sendable, Equatable {
  /// The `indicator_id` of its rows in `values.csv`.
  public let id: String
  public let title: String
  /// The framework area (catalogue id) it is shown under.
  public let framework: String
  public let file: String
  /// What it is, in words (why it has no funnel, trend or model).
  public let kind: String

  public static let ofstedLeadership = SupplementaryFigure(
    id: "ofsted_ilacs_leadership", title: "Ofsted ILACS judgement of the impact of leaders", framework: "enabler_2",
    file: "ofsted_ilacs_leadership_2025.csv",
    kind: "a category: the authority's judgement and date, with the count of each judgement among its neighbours, region and England")
  public static let workforceEthnicity = SupplementaryFigure(
    id: "sw_ethnicity_pct", title: "Social workers by ethnic group and role, against the population by ethnic group",
    framework: "enabler_1", file: WorkforceEthnicity.fileName,
    kind: "a breakdown: the share of each ethnic group by role, with the population share (Census 2021, all ages) and their ratio")
  public static let adoptionTimeliness = SupplementaryFigure(
    id: "adoption_order_to_match_months", title: "Average months from placement order to match with adopters",
    framework: "outcome_4", file: "national_adoption_placement_order_to_match.csv",
    kind: "England only: DfE publishes no authority figure, so authority packs say so and the England pack shows it")

  public static let all = [ofstedLeadership, workforceEthnicity, adoptionTimeliness]

  /// The refusal for a command that computes one value per authority and
  /// year (`values`, models, funnels, agreement) asked for one of these,
  /// or nil for any other id. Why: `peerlens indicators` lists them under
  /// their framework areas, so "no indicator in the catalogue" read as a
  /// contradiction.
  public static func refusal(for id: String) -> AnalysisError? {
    guard let f = all.first(where: { $0.id == id }) else { return nil }
    return .invalid("'\(id)' is a figure the packs show beside the indicators (\(f.title): \(f.kind)), "
      + "not one value per authority and year: it is in each pack and in the packs' values.csv, and this command does not compute it.")
  }

  /// How many current authorities have the figure, by period (England's
  /// one series counts as one).
  public func coverage(mirror: DataMirror, registry: AuthorityRegistry) -> [(period: String, count: Int)] {
    switch id {
    case Self.ofstedLeadership.id:
      guard let j = try? LeadershipJudgements.load(mirror: mirror, registry: registry) else { return [] }
      return [(j.period, registry.authorities.filter { $0.isCurrent && j.byCode[$0.code] != nil }.count)]
    case Self.workforceEthnicity.id:
      guard let t = (try? WorkforceEthnicity.loadTable(mirror: mirror, registry: registry)) ?? nil else { return [] }
      // A joint return covers each of its authorities.
      let covered = Set(t.counts.keys.flatMap { WorkforceEthnicity.members(of: $0) })
      return [(t.period.label, registry.authorities.filter { $0.isCurrent && covered.contains($0.code) }.count)]
    case Self.adoptionTimeliness.id:
      guard let a = try? AdoptionTimeliness.load(mirror: mirror) else { return [] }
      return a.series.map { ($0.period, 1) }
    default:
      return []
    }
  }
}
