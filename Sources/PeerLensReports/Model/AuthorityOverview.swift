import Foundation
import PeerLensAnalysis
import PeerLensData

/// What a region's or England's overview sets beside an authority's values
/// so they can be read (issue 22.9): its main context facts, and for each
/// indicator at its latest period the value expected given that context
/// and whether the value stands out.
///
/// "Stands out" is what an authority pack calls so: outside the 99.8%
/// prediction limit given context, or, before context, outside the funnel's
/// 99.8% limit around England. The words are neutral: higher or lower,
/// never better or worse.
struct AuthorityOverview: Sendable, Equatable {
  struct Figure: Sendable, Equatable {
    let indicatorID: String
    let title: String
    let period: String
    let value: Double?
    /// The contextual model's expected value (nil where context has no skill).
    let expected: Double?
    let contextPosition: String?
    let funnelFlag: String?

    /// Outside the 99.8% prediction limit given context.
    var contextStandsOut: Bool { contextPosition == "above_99.8" || contextPosition == "below_99.8" }
    /// Outside the funnel's 99.8% limit before context.
    var funnelStandsOut: Bool { funnelFlag == "above_99.8" || funnelFlag == "below_99.8" }
    var standsOut: Bool { value != nil && (contextStandsOut || funnelStandsOut) }

    /// "higher than expected given context (outside the 99.8% prediction
    /// limit)" and/or "above the funnel's 99.8% limit before context".
    var words: String? {
      guard standsOut else { return nil }
      var parts: [String] = []
      if contextStandsOut {
        parts.append((contextPosition == "above_99.8" ? "higher" : "lower")
                     + " than expected given context (outside the 99.8% prediction limit)")
      }
      if funnelStandsOut {
        parts.append((funnelFlag == "above_99.8" ? "above" : "below") + " the funnel's 99.8% limit before context")
      }
      return parts.joined(separator: "; ")
    }
  }

  let code: String
  let name: String
  /// Income deprivation affecting children (IDACI 2019 average score).
  let idaci: Double?
  /// IDACI rank among current authorities with a score (1 = most deprived),
  /// and how many have one (authorities formed after 2019 have none).
  let idaciRank: Int?
  let idaciRanked: Int
  /// Index of multiple deprivation (IMD 2019 average score).
  let imd: Double?
  /// Children aged 0 to 17 (ONS mid-2024).
  let children: Double?
  let figures: [Figure]

  var standingOut: [Figure] { figures.filter(\.standsOut) }

  /// The context columns the overviews show (as `PackBuilder.contextLabels` names them).
  static let idaciColumn = "idaci19_avg_score", imdColumn = "imd19_avg_score", childrenColumn = "pop_0_17_mid2024"

  /// One per authority, in the order given, each indicator at its latest period.
  static func build(run: NationalRun, authorities: [Authority]) -> [AuthorityOverview] {
    func column(_ name: String) -> [String: Double] { (try? run.context.numeric(name)) ?? [:] }
    let idaci = column(idaciColumn), imd = column(imdColumn), children = column(childrenColumn)
    // Rank among current authorities, most deprived (highest score) first.
    let current = Set(run.authorities.map(\.code))
    let ordered = idaci.filter { current.contains($0.key) }.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
    var rank: [String: Int] = [:]
    for (k, e) in ordered.enumerated() { rank[e.key] = k + 1 }
    return authorities.map { a in
      let figures = run.indicators.compactMap { bench -> Figure? in
        guard let p = bench.latest else { return nil }
        let v = bench.value(a.code, p)
        // No expected value where context has no out-of-sample skill.
        let m = bench.model?.showsExpectation == true ? bench.model?.authorities.first { $0.code == a.code } : nil
        return Figure(indicatorID: bench.indicator.id, title: bench.indicator.shortTitle ?? bench.indicator.title,
                      period: p.label, value: v?.status == .ok ? v?.value : nil, expected: m?.expected,
                      contextPosition: m?.expected == nil ? nil : m?.position,
                      funnelFlag: bench.funnel[p]?[a.code]?.flag.rawValue)
      }
      return AuthorityOverview(code: a.code, name: a.name, idaci: idaci[a.code], idaciRank: rank[a.code],
                               idaciRanked: rank.count,
                               imd: imd[a.code], children: children[a.code], figures: figures)
    }
  }
}
