import Foundation
import PeerLensAnalysis
import PeerLensData
import PeerLensReports

/// One authority's figures for one indicator and period, with the field
/// names of `values.csv` (`ValuesTable.header`), read from the run as
/// `values.csv` reads them, plus the chosen comparator group's figures
/// (`group_*`). The one place the explorer turns the run into numbers.
struct ValueRow {
  let bench: IndicatorBench
  let code: String
  let period: TimePeriod
  let run: NationalRun
  /// The 95% interval for the national rank (the packs' own, from the
  /// parametric bootstrap), at the indicator's latest period.
  var rankInterval: (lower: Int, upper: Int)? = nil

  /// The `values.csv` fields the explorer shows, in the file's order.
  static let fields = [
    "new_la_code", "old_la_code", "la_name", "indicator_id", "time_period", "value", "status", "numerator",
    "denominator", "england_value", "region_value", "sn_median", "expected", "expected_lower", "expected_upper",
    "z_score", "funnel_flag", "rank_lower", "rank_upper", "sn_n", "sn_mean", "rank", "quartile_band", "published_value",
    "joint_return",
  ]
  /// The comparator group's figures, after the `values.csv` fields.
  static let groupFields = ["group_median", "group_mean", "group_n", "group_rank", "group_ranked", "group_quartile_band"]

  var value: IndicatorValue? { bench.value(code, period) }

  /// The contextual expectation where the run shows one (the model's period, with skill).
  var expectation: AuthorityExpectation? {
    guard period == bench.latest, let m = bench.model, m.showsExpectation else { return nil }
    return m.authorities.first { $0.code == code }
  }

  func cells(group: GroupFigures?) -> [(String, JSONValue)] {
    let v = value
    let a = run.registry.authority(code: code)
    let ok = v?.status == .ok
    let region = a?.regionCode ?? ""
    let sn = bench.neighbourSummary[code]?[period]
    let f = bench.funnel[period]?[code]
    let e = expectation
    let hasNeighbours = !(run.officialNeighbours[code] ?? []).isEmpty
    var out: [(String, JSONValue)] = [
      ("new_la_code", .string(code)), ("old_la_code", .optional(v?.oldCode ?? a?.oldCode)), ("la_name", .optional(v?.name ?? a?.name)),
      ("indicator_id", .string(bench.indicator.id)), ("time_period", .string(period.code)),
      ("value", .optional(ok ? v?.value : nil)), ("status", .string(v?.status.code ?? "not_available")),
      ("numerator", .optional(ok ? v?.numerator : nil)), ("denominator", .optional(v?.denominator)),
      ("england_value", .optional(bench.england[period]?.value)), ("region_value", .optional(bench.regions[region]?[period]?.value)),
      ("sn_median", .optional(sn?.median)), ("expected", .optional(e?.expected)), ("expected_lower", .optional(e?.predictionLower95)),
      ("expected_upper", .optional(e?.predictionUpper95)), ("z_score", .optional(f?.z)), ("funnel_flag", .optional(f?.flag.rawValue)),
      ("rank_lower", .optional(rankInterval?.lower)), ("rank_upper", .optional(rankInterval?.upper)),
      ("sn_n", sn.map { .integer($0.count) } ?? (hasNeighbours ? .integer(0) : .null)), ("sn_mean", .optional(sn?.mean)),
      ("rank", .optional(bench.rank[period]?[code])), ("quartile_band", .optional(bench.quartileBand[period]?[code]?.rawValue)),
      ("published_value", .optional(bench.indicator.isPublishedByDfE && ok ? v?.published : nil)),
      ("joint_return", .optional(bench.jointReturn(code, period))),
    ]
    if let group {
      out += [("group_median", .optional(group.median)), ("group_mean", .optional(group.mean)), ("group_n", .integer(group.count)),
              ("group_rank", .optional(group.ranks[code])), ("group_ranked", .integer(group.ranked)),
              ("group_quartile_band", .optional(group.bands[code]?.rawValue))]
    }
    return out
  }

  /// The cells as `values.csv` writes them (empty for none).
  func csvCells() -> [String] {
    cells(group: nil).map { _, v in
      switch v {
      case .null: return ""
      case .string(let s): return s
      case .number(let x): return CSVWriter.number(x)
      case .integer(let i): return String(i)
      default: return ""
      }
    }
  }
}
