import Dispatch
import Foundation
import PeerLensAnalysis
import PeerLensData
import PeerLensStatistics

/// The numbers behind an authority pack's charts as tidy CSV.
///
/// `time_period` is DfE's code (`202425`), as in `values.csv` and DfE's
/// files, so the two join; `year_label` (last, added after the file's
/// first columns were fixed) is the period as the pack shows it. The
/// file had carried the label in `time_period`, and a join with
/// `values.csv` dropped every school-year indicator.
enum PackCSV {
  static func render(_ pack: AuthorityPack) -> String {
    var rows: [[String]] = []
    let n = CSVWriter.number
    func row(_ section: String, _ item: String, _ period: String, _ series: String, _ value: String, _ note: String) {
      rows.append([section, item, period.isEmpty ? "" : PeriodCells.code(fromLabel: period), series, value, note, period])
    }
    for s in pack.indicators {
      for t in s.trend {
        row("trend", s.id, t.period, "authority", n(t.value), t.status)
        row("trend", s.id, t.period, "england", n(t.england), "")
        row("trend", s.id, t.period, "region", n(t.region), "")
        row("trend", s.id, t.period, "neighbour_median", n(t.neighbourMedian), "")
      }
      row("expected", s.id, s.period, "expected", n(s.expected), "")
      row("expected", s.id, s.period, "prediction_lower_95", n(s.predictionLower), "")
      row("expected", s.id, s.period, "prediction_upper_95", n(s.predictionUpper), "")
      row("interval", s.id, s.period, "lower", n(s.intervalLower), s.intervalMethod ?? "")
      row("interval", s.id, s.period, "upper", n(s.intervalUpper), s.intervalMethod ?? "")
    }
    for b in pack.breakdowns {
      for r in b.rows {
        row("breakdown", b.title, b.period, r.category, n(r.share), r.status)
      }
    }
    for c in pack.context { row("context", c.variable, "", "authority", n(c.value), "") }
    return CSVWriter.render(header: ["section", "item", "time_period", "series", "value", "note", "year_label"], rows: rows)
  }
}
