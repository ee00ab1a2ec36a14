import Foundation
import PeerLensAnalysis
import PeerLensData

extension PackBuilder {
  /// Social workers by ethnic group against the population, when both are in the data.
  /// A joint return says so first, as the workforce figures do.
  func jointNote(_ r: WorkforceEthnicity) -> String {
    guard !r.jointWith.isEmpty else { return "" }
    let names = r.jointWith.map { run.registry.authority(code: $0)?.name ?? $0 }.joined(separator: " and ")
    return "A joint return with \(names): the figures are both authorities' together, compared with their population together. "
  }

  func workforceEthnicity(code: String) -> WorkforceEthnicitySection? {
    guard let table = workforceEthnicityTable, let population = censusPopulation,
      let r = WorkforceEthnicity.compute(table: table, population: population, code: code)
    else { return nil }
    return WorkforceEthnicitySection(period: r.period.label, rows: r.rows.map {
      WorkforceEthnicitySection.Row(role: $0.role, group: $0.group, count: $0.count, share: $0.share,
                                    populationShare: $0.populationShare, ratio: $0.ratio.ratio,
                                    lower: $0.ratio.lower, upper: $0.ratio.upper)
    }, note: jointNote(r) + "Children and family social workers in post (headcount) whose ethnicity is known, by ethnic group and role, against residents of all ages (Census 2021). A ratio of 1 means the same share as in the population; intervals are 95% Wilson intervals; a suppressed count gives no ratio. These ratios describe difference, not better or worse practice.")
  }
}
