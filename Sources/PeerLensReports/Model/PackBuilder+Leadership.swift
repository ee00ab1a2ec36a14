import Foundation
import PeerLensAnalysis
import PeerLensData

extension PackBuilder {
  /// The Ofsted leadership section for an authority (nil when the file is absent).
  func leadership(code: String) -> LeadershipSection? {
    guard let judgements = leadershipJudgements, let me = run.registry.authority(code: code) else { return nil }
    let current = run.registry.authorities.filter(\.isCurrent)
    let neighbours = (run.officialNeighbours[code] ?? []).map(\.code)
    let region = current.filter { $0.regionCode == me.regionCode }.map(\.code)
    let england = current.map(\.code)
    let n = judgements.counts(among: neighbours), r = judgements.counts(among: region), e = judgements.counts(among: england)
    var grades = n.map(\.grade)
    for g in r.map(\.grade) + e.map(\.grade) where !grades.contains(g) { grades.append(g) }
    func count(_ list: [(grade: String, count: Int)], _ g: String) -> Int { list.first { $0.grade == g }?.count ?? 0 }
    let counts = grades.map { g in
      LeadershipSection.Count(grade: g, neighbours: count(n, g), region: count(r, g), england: count(e, g))
    }
    let mine = judgements.byCode[code]
    return LeadershipSection(
      judgement: mine?.judgement, date: mine?.date, asAt: judgements.period, counts: counts,
      note: "Ofsted's judgement of the impact of leaders on social work practice with children and families, from the latest ILACS inspection as at 31 March \(judgements.period). A judgement is a category, not a rate, so it has no funnel plot, trend chart or contextual model. Judgements were made on different dates; the region is the authority's DfE region.")
  }
}
