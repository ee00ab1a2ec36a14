import Foundation
import PeerLensData
import PeerLensStatistics

/// What changed between two vintages in the store: the learning loop's
/// "since last time".
public struct ReleaseComparison: Sendable {
  public struct Revision: Sendable, Equatable {
    public let indicator: String
    public let areaCode: String
    public let areaName: String
    public let period: String
    public let old: Double?
    public let new: Double?
    public let oldStatus: String
    public let newStatus: String
    /// new − old, when both are values.
    public var change: Double? { old.flatMap { o in new.map { $0 - o } } }
  }

  public struct FunnelChange: Sendable, Equatable {
    public let indicator: String
    public let areaCode: String
    public let areaName: String
    public let period: String
    /// "entered" (now outside the 99.8% limits) or "left" (now inside).
    public let direction: String
    public let flag: String
  }

  public struct Signal: Sendable, Equatable, Hashable {
    public let indicator: String
    public let areaCode: String
    public let areaName: String
    public let period: String
    public let flag: String
    public let variation: String
  }

  public let from: ReleaseStore.Vintage
  public let to: ReleaseStore.Vintage
  public let addedIndicators: [String]
  public let retiredIndicators: [String]
  /// Periods present in `to` but not `from`, by indicator.
  public let newPeriods: [String: [String]]
  public let revisions: [Revision]
  public let funnelChanges: [FunnelChange]
  public let newSignals: [Signal]
  /// What was not compared, and why, in words.
  public var notes: [String] = []

  /// The status of a value one of the two vintages does not hold at all.
  public static let notInRelease = "not_in_release"

  /// Compares two vintages (optionally for one authority).
  /// - Parameter registry: read each stored authority code as the
  ///   registry reads it now. A vintage stored before a recoding was known
  ///   (North Yorkshire's county code, read as the unitary since) would
  ///   otherwise show the same figures withdrawn under one code and added
  ///   under the other.
  public static func compare(store: ReleaseStore, from: ReleaseStore.Vintage, to: ReleaseStore.Vintage,
                             catalogue: IndicatorCatalogue?, area: String? = nil,
                             registry: AuthorityRegistry? = nil) throws -> ReleaseComparison {
    func recoded(_ values: [IndicatorValue]) -> [IndicatorValue] {
      guard let registry else { return values }
      return values.map { v in
        let code = registry.canonicalCode(v.areaCode)
        guard v.level == .localAuthority, code != v.areaCode else { return v }
        return v.forArea(code: code, oldCode: v.oldCode, name: v.name)
      }
    }
    let fromIDs = Set(try store.indicatorIDs(vintage: from.id)), toIDs = Set(try store.indicatorIDs(vintage: to.id))
    var newPeriods: [String: [String]] = [:]
    var revisions: [Revision] = []
    var funnelChanges: [FunnelChange] = []
    var signals: [Signal] = []
    var notes: [String] = []
    for id in fromIDs.intersection(toIDs).sorted() {
      let old = recoded(try store.values(vintage: from.id, indicator: id))
      let new = recoded(try store.values(vintage: to.id, indicator: id))
      let oldPeriods = Set(old.map(\.period)), newP = Set(new.map(\.period))
      let added = newP.subtracting(oldPeriods).sorted()
      if !added.isEmpty { newPeriods[id] = added.map(\.code) }
      struct Key: Hashable { let level: GeographicLevel; let code: String; let period: TimePeriod }
      let oldByKey = Dictionary(old.map { (Key(level: $0.level, code: $0.areaCode, period: $0.period), $0) },
                                uniquingKeysWith: { a, _ in a })
      // A row in one vintage and not the other, for a period both hold, is
      // a value added or withdrawn: reported as a revision from or to
      // `notInRelease` (a release that dropped an authority's rows showed
      // "Revised values: 0").
      let newKeys = Set(new.map { Key(level: $0.level, code: $0.areaCode, period: $0.period) })
      for o in old where (area == nil || o.areaCode == area) && newP.contains(o.period)
        && !newKeys.contains(Key(level: o.level, code: o.areaCode, period: o.period)) {
        revisions.append(Revision(indicator: id, areaCode: o.areaCode, areaName: o.name, period: o.period.code,
                                  old: o.value, new: nil, oldStatus: o.status.code, newStatus: Self.notInRelease))
      }
      for v in new where area == nil || v.areaCode == area {
        guard let o = oldByKey[Key(level: v.level, code: v.areaCode, period: v.period)] else {
          if oldPeriods.contains(v.period) {
            revisions.append(Revision(indicator: id, areaCode: v.areaCode, areaName: v.name, period: v.period.code,
                                      old: nil, new: v.value, oldStatus: Self.notInRelease, newStatus: v.status.code))
          }
          continue
        }
        let changed: Bool
        switch (o.value, v.value) {
        case (let a?, let b?): changed = abs(a - b) > 1e-9 * max(1, abs(a))
        case (nil, nil): changed = o.status != v.status
        default: changed = true
        }
        if changed {
          revisions.append(Revision(indicator: id, areaCode: v.areaCode, areaName: v.name, period: v.period.code,
                                    old: o.value, new: v.value, oldStatus: o.status.code, newStatus: v.status.code))
        }
      }
      let indicator = catalogue?.indicator(id: id)
      // Funnel flags at 99.8% for each period in both vintages.
      var notCompared: [String] = []
      for period in oldPeriods.intersection(newP).sorted() {
        guard Self.funnelsComparable(old, new, period: period, indicator: indicator) else {
          notCompared.append(period.label)
          continue
        }
        let a = Self.funnelFlags(old.filter { $0.period == period && $0.level == .localAuthority }, indicator: indicator)
        let b = Self.funnelFlags(new.filter { $0.period == period && $0.level == .localAuthority }, indicator: indicator)
        for (code, flagB) in b where area == nil || code == area {
          let outA = a[code]?.isOutside998 ?? false, outB = flagB.isOutside998
          if outA != outB {
            let name = new.first { $0.areaCode == code }?.name ?? code
            funnelChanges.append(FunnelChange(indicator: id, areaCode: code, areaName: name, period: period.code,
                                              direction: outB ? "entered" : "left", flag: flagB.rawValue))
          }
        }
      }
      if !notCompared.isEmpty {
        notes.append("\(id): funnel flags not compared for \(EnglishList.joined(notCompared)): a vintage stored before "
                     + "absence was counted in pupils has no funnel for it; import that vintage's data again to compare them.")
      }
      // Special-cause signals in each authority's series.
      let direction = XmRChart.Direction(rawValue: indicator?.polarity.rawValue ?? "no_judgement") ?? .noJudgement
      let oldSignals = Set(Self.signals(old, indicator: id, direction: direction, area: area))
      for s in Self.signals(new, indicator: id, direction: direction, area: area) where !oldSignals.contains(s) {
        signals.append(s)
      }
    }
    return ReleaseComparison(
      from: from, to: to, addedIndicators: toIDs.subtracting(fromIDs).sorted(),
      retiredIndicators: fromIDs.subtracting(toIDs).sorted(), newPeriods: newPeriods, revisions: revisions,
      funnelChanges: funnelChanges, newSignals: signals, notes: notes)
  }

  /// Whether both vintages can draw the period's funnel as this PeerLens
  /// draws it. A vintage stored before absence was counted in pupils has
  /// no effective denominators, so no absence funnel: every flag of the
  /// later vintage would read as "entered".
  public static func funnelsComparable(_ old: [IndicatorValue], _ new: [IndicatorValue], period: TimePeriod,
                                       indicator: Indicator?) -> Bool {
    guard indicator?.pupilClustering != nil else { return true }
    return [old, new].allSatisfy { side in
      side.contains { $0.period == period && $0.level == .localAuthority && $0.effectiveDenominator != nil }
    }
  }

  /// Funnel flags for one period's authority values, against the pooled
  /// value (a comparison needs no England figure).
  static func funnelFlags(_ values: [IndicatorValue], indicator: Indicator?) -> [String: FunnelPlot.Flag] {
    guard let indicator else { return [:] }
    return IndicatorFunnel(values: values, indicator: indicator, target: nil)?.flags ?? [:]
  }

  static func signals(_ values: [IndicatorValue], indicator: String, direction: XmRChart.Direction,
                      area: String?) -> [Signal] {
    var out: [Signal] = []
    let la = values.filter { $0.level == .localAuthority && (area == nil || $0.areaCode == area) }
    for (code, series) in Dictionary(grouping: la, by: \.areaCode) {
      let sorted = series.sorted { $0.period < $1.period }
      let chart = XmRChart(values: sorted.map { $0.status == .ok ? $0.value : nil }, direction: direction)
      for (k, p) in chart.points.enumerated() {
        for f in p.flags {
          out.append(Signal(indicator: indicator, areaCode: code, areaName: sorted[k].name, period: sorted[k].period.code,
                            flag: f.rawValue, variation: p.variation.rawValue))
        }
      }
    }
    return out.sorted { ($0.areaCode, $0.period, $0.flag) < ($1.areaCode, $1.period, $1.flag) }
  }
}
