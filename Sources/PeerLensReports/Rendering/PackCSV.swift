import Dispatch
import Foundation
import PeerLensAnalysis
import PeerLensData
import PeerLensStatistics

/// The numbers behind an authority pack's charts as tidy CSV.
enum PackCSV {
  static func render(_ pack: AuthorityPack) -> String {
    var rows: [[String]] = []
    let n = CSVWriter.number
    for s in pack.indicators {
      for t in s.trend {
        rows.append(["trend", s.id, t.period, "authority", n(t.value), t.status])
        rows.append(["trend", s.id, t.period, "england", n(t.england), ""])
        rows.append(["trend", s.id, t.period, "region", n(t.region), ""])
        rows.append(["trend", s.id, t.period, "neighbour_median", n(t.neighbourMedian), ""])
      }
      rows.append(["expected", s.id, s.period, "expected", n(s.expected), ""])
      rows.append(["expected", s.id, s.period, "prediction_lower_95", n(s.predictionLower), ""])
      rows.append(["expected", s.id, s.period, "prediction_upper_95", n(s.predictionUpper), ""])
      rows.append(["interval", s.id, s.period, "lower", n(s.intervalLower), s.intervalMethod ?? ""])
      rows.append(["interval", s.id, s.period, "upper", n(s.intervalUpper), s.intervalMethod ?? ""])
    }
    for b in pack.breakdowns {
      for r in b.rows {
        rows.append(["breakdown", b.title, b.period, r.category, n(r.share), r.status])
      }
    }
    for c in pack.context { rows.append(["context", c.variable, "", "authority", n(c.value), ""]) }
    return CSVWriter.render(header: ["section", "item", "time_period", "series", "value", "note"], rows: rows)
  }
}
