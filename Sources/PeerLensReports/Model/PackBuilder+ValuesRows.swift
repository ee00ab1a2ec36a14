import Foundation
import PeerLensAnalysis
import PeerLensData

extension PackBuilder {
  /// The `values.csv` rows of the figures the packs show beside the
  /// indicators (issue 23): each authority's Ofsted leadership judgement,
  /// its social workers by role and ethnic group against the population,
  /// and England's adoption timeliness. Why here: the packs and the table
  /// must say the same thing, so both come from the builder's one reading
  /// of each file. Authorities in code order; rows in the pack's order.
  public func valuesExtraRows() -> [[String: String]] {
    let n = CSVWriter.number
    var out: [[String: String]] = []
    let authorities = run.registry.authorities.filter(\.isCurrent).sorted { $0.code < $1.code }
    if let judgements = leadershipJudgements {
      for a in authorities {
        let mine = judgements.byCode[a.code]
        out.append([
          "new_la_code": a.code, "old_la_code": a.oldCode, "la_name": a.name, "indicator_id": "ofsted_ilacs_leadership",
          "time_period": judgements.period, "status": mine == nil ? MissingReason.notAvailable.rawValue : "ok",
          "value_text": mine?.judgement ?? "", "date": mine?.date ?? "",
        ])
      }
    }
    if let table = workforceEthnicityTable, let population = censusPopulation {
      for a in authorities {
        guard let r = WorkforceEthnicity.compute(table: table, population: population, code: a.code) else { continue }
        for row in r.rows {
          out.append([
            "new_la_code": a.code, "old_la_code": a.oldCode, "la_name": a.name, "indicator_id": "sw_ethnicity_pct",
            "time_period": r.period.code, "value": n(row.share),
            "status": row.status.code, "numerator": n(row.count),
            "category": "\(row.role): \(row.group)", "population_share": n(row.populationShare),
            "ratio": n(row.ratio.ratio), "ratio_lower": n(row.ratio.lower), "ratio_upper": n(row.ratio.upper),
            "joint_return": r.jointWith.isEmpty ? "" : ([a.code] + r.jointWith).sorted().joined(separator: " / "),
          ])
        }
      }
    }
    if let adoption = try? AdoptionTimeliness.load(mirror: run.mirror) {
      for p in adoption.series {
        out.append([
          "new_la_code": "E92000001", "la_name": "England", "indicator_id": "adoption_order_to_match_months",
          "time_period": p.period, "value": n(p.months), "status": "ok", "category": AdoptionTimeliness.totalLabel,
        ])
      }
    }
    return out
  }
}
