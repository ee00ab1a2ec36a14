import PeerLensAnalysis
import PeerLensData

extension PackBuilder {
  /// The meeting summary from the pack's own parts (see `MeetingSummary`).
  func meetingSummary(name: String, region: String, sections: [IndicatorSection], standOuts: [StandOut],
                      context: [ContextRow]) -> MeetingSummary {
    let latest = sections.compactMap { $0.period.isEmpty ? nil : $0.period }.max() ?? "–"
    let titleLine = "\(name) · \(region) · data to \(latest) · compared with \(run.officialLabel)"
    let order = Dictionary(run.indicators.enumerated().map { ($1.indicator.id, $0) }, uniquingKeysWith: { a, _ in a })
    let ranked = StandOut.byEvidence(standOuts, catalogueOrder: order)
    return MeetingSummary(titleLine: titleLine, standsOut: Array(ranked.prefix(MeetingSummary.cap)),
                          moreStandOut: max(0, ranked.count - MeetingSummary.cap),
                          contextFacts: contextFacts(context), cannotSay: cannotSay(sections))
  }

  /// The context rows that shape the expectations most: each context
  /// variable weighted by how many shown contextual models use it, times how
  /// far the authority sits from the middle of authorities. Four (the
  /// issue asks for three to five; four keep every summary on two pages).
  func contextFacts(_ rows: [ContextRow]) -> [String] {
    let scored = rows.compactMap { r -> (Double, Int, ContextRow)? in
      guard let p = r.percentile, r.value != nil else { return nil }
      let uses = contextUses[r.variable] ?? 0
      return ((Double(uses) + 0.5) * abs(p - 50), uses, r)
    }
    let top = scored.sorted { a, b in a.0 != b.0 ? a.0 > b.0 : a.2.variable < b.2.variable }.prefix(4)
    return top.map { _, uses, r in
      let d = r.variable.hasPrefix("pop_") ? 0 : 1
      let value = NumberFormat.plain(r.value!, decimals: d)
      let median = r.median.map { NumberFormat.plain($0, decimals: d) } ?? "–"
      let share = Int(r.percentile!.rounded())
      let models = uses == 0 ? "" : uses == 1 ? "; used by 1 contextual model" : "; used by \(uses) contextual models"
      return "\(r.label): \(value) (median of authorities \(median); \(share)% of authorities lower\(models))"
    }
  }

  /// One sentence on what the pack cannot say.
  func cannotSay(_ sections: [IndicatorSection]) -> String {
    // Short titles, four at most: the summary must stay on two pages.
    func list(_ s: [IndicatorSection]) -> String {
      let names = s.map { run.catalogue.indicator(id: $0.id)?.shortTitle ?? $0.title }
      return names.count <= 4 ? names.joined(separator: "; ") : names.prefix(4).joined(separator: "; ") + "; and \(names.count - 4) more"
    }
    let suppressed = sections.filter { $0.status == MissingReason.suppressed.rawValue }
    let missing = sections.filter { $0.value == nil && $0.status != MissingReason.suppressed.rawValue }
    var parts: [String] = []
    if !missing.isEmpty {
      parts.append("\(missing.count) of \(sections.count) indicators have no figure for the latest period (\(list(missing)))")
    }
    if !suppressed.isEmpty {
      parts.append("\(suppressed.count) \(suppressed.count == 1 ? "indicator is" : "indicators are") suppressed to protect small numbers and never estimated (\(list(suppressed)))")
    }
    return parts.isEmpty ? "Every indicator has a figure for its latest period." : "What this pack cannot say: " + parts.joined(separator: "; ") + "."
  }
}
