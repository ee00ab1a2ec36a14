import Dispatch
import Foundation
import PeerLensAnalysis
import PeerLensData
import PeerLensStatistics

/// `values.csv`: every authority, indicator and period in one tidy table.
///
/// Neighbour and ranking columns follow the official tools (issue 14):
/// `sn_median` is the DfE dashboard's median of the official neighbours'
/// published values, rounded half-up at the published precision; `sn_n`
/// the neighbours it rests on (suppressed and missing ones are left out);
/// `sn_mean` LAIT's plain mean of those values; `rank` LAIT's rank among
/// all authorities (1 = best by polarity, ties share the lowest rank) and
/// `quartile_band` LAIT's band (A to D from R type-7 quartiles), both on
/// published figures and empty for indicators without polarity.
/// `published_value` is DfE's own figure, where DfE publishes one.
/// `joint_return` is the joint row's code (`E09000021 / E09000027`) where
/// the authority's figure is a return submitted with another authority:
/// each authority has the joint figure, counted once in `rank`,
/// `quartile_band` and the neighbour columns.
///
/// The figures the packs show beside the indicators (issue 23) follow, by
/// `indicator_id`: `ofsted_ilacs_leadership` (the judgement in
/// `value_text`, the inspection in `date`), `sw_ethnicity_pct` (share of
/// social workers in `value`, their count in `numerator`, the role and
/// ethnic group in `category`, the population share and the ratio with
/// its interval) and `adoption_order_to_match_months` (England only, on
/// England's row `E92000001`).
///
/// `chance_tail` (the last column) is the exact binomial or Poisson chance,
/// with no difference between authorities, of a figure at least as far
/// from England's on its side, where that chance lowered an additive
/// funnel flag (`IndicatorFunnel.position`): `z_score` is then beyond the
/// line the flag does not name. Empty elsewhere.
public enum ValuesTable {
  public static let header = [
    "new_la_code", "old_la_code", "la_name", "indicator_id", "time_period", "value", "status", "numerator", "denominator",
    "england_value", "region_value", "sn_median", "expected", "expected_lower", "expected_upper", "z_score",
    "funnel_flag", "spc_flag", "context_skill", "shrunk", "rank_shrunk", "rank_lower", "rank_upper",
    "sn_n", "sn_mean", "rank", "quartile_band", "published_value", "joint_return",
    "category", "value_text", "date", "population_share", "ratio", "ratio_lower", "ratio_upper", "year_label",
    "chance_tail",
  ]

  /// One row from named cells (columns not named are empty).
  static func row(_ cells: [String: String]) -> String {
    var cells = cells
    if cells["year_label"] == nil, let code = cells["time_period"] { cells["year_label"] = yearLabel(code) }
    return header.map { CSVWriter.field(cells[$0] ?? "") }.joined(separator: ",") + "\n"
  }

  /// The period as readers write it (`2024/25` for DfE's `202425`), the
  /// column after `ratio_upper`: the reader's review found readers of the CSV left with
  /// DfE's codes alone. `time_period` keeps the code, so files still join.
  static func yearLabel(_ code: String) -> String { TimePeriod(code: code)?.label ?? code }

  /// - Parameter extras: rows for the figures beside the indicators
  ///   (`PackBuilder.valuesExtraRows()`), after the indicators' rows.
  /// - Parameter rankIntervals: the packs' rank intervals
  ///   (`PackBuilder.rankIntervals`), so both show the same; computed
  ///   here when not given.
  public static func render(_ run: NationalRun, extras: [[String: String]] = [],
                            rankIntervals: [String: [String: (lower: Int, upper: Int)]]? = nil) -> String {
    var out = ""
    emit(run, extras: extras, rankIntervals: rankIntervals) { out += $0 }
    return out
  }

  /// Writes the table straight to a file, a line at a time, through a
  /// temporary file renamed into place.
  ///
  /// Why not `render`: the national table is about 15 MB of text, and
  /// holding it as one string (with the slack of its growth) was the
  /// largest single block at the run's peak memory.
  public static func write(_ run: NationalRun, extras: [[String: String]] = [],
                           rankIntervals: [String: [String: (lower: Int, upper: Int)]]? = nil, to url: URL) throws {
    try AtomicFile.write(to: url) { append in
      try emit(run, extras: extras, rankIntervals: rankIntervals, append)
    }
  }

  /// Every line of the table, header first, each ending in a newline.
  static func emit(_ run: NationalRun, extras: [[String: String]],
                   rankIntervals: [String: [String: (lower: Int, upper: Int)]]?,
                   _ out: (String) throws -> Void) rethrows {
    try out(header.joined(separator: ",") + "\n")
    let n = CSVWriter.number
    let rankIntervals = rankIntervals ?? RankUncertainty.intervals(run.indicators)
    for bench in run.indicators {
      let model = Dictionary((bench.model?.authorities ?? []).map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
      // Shrunk values (towards the contextual expectation where context has
      // skill) and their LAIT-style rank, for the model's period.
      var shrunkValues: [String: Double] = [:]
      for a in bench.model?.authorities ?? [] { if let v = a.shrunk { shrunkValues[a.code] = v } }
      let shrunkRank = PolarityRank.ranks(shrunkValues, polarity: bench.indicator.polarity)
      let rankInterval = rankIntervals[bench.indicator.id] ?? RankUncertainty.intervals(bench)
      for code in bench.local.keys.sorted() {
        let series = bench.local[code]!
        let region = run.registry.authority(code: code)?.regionCode ?? ""
        let chart = bench.spc[code]
        let hasNeighbours = !(run.officialNeighbours[code] ?? []).isEmpty
        for (k, p) in bench.periods.enumerated() {
          guard let v = series[p] else { continue }
          // No expected value where context does not predict better than
          // pooling the other authorities (leave-one-out skill ≤ 0).
          let m = p == bench.latest && bench.model?.showsExpectation == true ? model[code] : nil
          let skill = p == bench.latest ? bench.model?.contextSkill : nil
          let modelPeriod = p == bench.model?.period
          let f = bench.funnel[p]?[code]
          let sn = bench.neighbourSummary[code]?[p]
          let flags = chart.map { $0.points[k].flags.map(\.rawValue).joined(separator: ";") } ?? ""
          let chanceTail: String = f?.overruled.map { n($0.tail) } ?? ""
          let row = [
            code, v.oldCode, v.name, bench.indicator.id, p.code, v.status == .ok ? n(v.value) : "", v.status.code,
            v.status == .ok ? n(v.numerator) : "", n(v.denominator), n(bench.england[p]?.value),
            n(bench.regions[region]?[p]?.value), n(sn?.median), n(m?.expected),
            n(m?.predictionLower95), n(m?.predictionUpper95), n(f?.z), f?.flag.rawValue ?? "", flags, n(skill),
            modelPeriod ? n(shrunkValues[code]) : "", modelPeriod ? (shrunkRank[code].map(String.init) ?? "") : "",
            p == bench.latest ? (rankInterval[code].map { String($0.lower) } ?? "") : "",
            p == bench.latest ? (rankInterval[code].map { String($0.upper) } ?? "") : "",
            sn.map { String($0.count) } ?? (hasNeighbours ? "0" : ""), n(sn?.mean), bench.rank[p]?[code].map(String.init) ?? "",
            bench.quartileBand[p]?[code]?.rawValue ?? "",
            bench.indicator.isPublishedByDfE && v.status == .ok ? n(v.published) : "",
            bench.jointReturn(code, p) ?? "", "", "", "", "", "", "", "", p.label, chanceTail,
          ]
          try out(row.map(CSVWriter.field).joined(separator: ",") + "\n")
        }
      }
    }
    for cells in extras { try out(Self.row(cells)) }
  }
}
