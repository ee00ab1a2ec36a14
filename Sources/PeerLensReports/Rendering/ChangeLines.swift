import Dispatch
import Foundation
import PeerLensAnalysis
import PeerLensData
import PeerLensStatistics

/// "Since the last release" lines per authority from a comparison of two vintages.
public enum ChangeLines {
  public static func byAuthority(_ cmp: ReleaseComparison, catalogue: IndicatorCatalogue) -> [String: [String]] {
    var out: [String: [String]] = [:]
    func title(_ id: String) -> String { catalogue.indicator(id: id)?.shortTitle ?? catalogue.indicator(id: id)?.title ?? id }
    for r in cmp.revisions {
      let old = r.old.map { Charts.format($0) } ?? r.oldStatus.replacingOccurrences(of: "_", with: " ")
      let new = r.new.map { Charts.format($0) } ?? r.newStatus.replacingOccurrences(of: "_", with: " ")
      out[r.areaCode, default: []].append("\(title(r.indicator)), \(r.period): revised from \(old) to \(new).")
    }
    for f in cmp.funnelChanges {
      out[f.areaCode, default: []].append("\(title(f.indicator)), \(f.period): now \(f.direction == "entered" ? "outside" : "inside") the funnel's 99.8% limits.")
    }
    for s in cmp.newSignals {
      out[s.areaCode, default: []].append("\(title(s.indicator)), \(s.period): new special-cause signal (\(s.flag.replacingOccurrences(of: "_", with: " "))).")
    }
    let periods = cmp.newPeriods.sorted { $0.key < $1.key }.map { "\(title($0.key)) \($0.value.joined(separator: ", "))" }
    if !periods.isEmpty {
      for key in Set(cmp.revisions.map(\.areaCode)).union(cmp.funnelChanges.map(\.areaCode)) {
        out[key, default: []].insert("New periods: " + periods.joined(separator: "; ") + ".", at: 0)
      }
    }
    return out.mapValues { Array($0.prefix(40)) }
  }
}
