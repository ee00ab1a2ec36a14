import Foundation
import PeerLensAnalysis
import PeerLensData

extension PackBuilder {
  /// The ethnicity comparison for an authority, when the breakdowns include
  /// children looked after by ethnic group and a population can be read.
  func careEthnicity(code: String) -> CareEthnicitySection? {
    guard let table = breakdownTables.first(where: {
      $0.spec.file == "cla_on_31_march_by_characteristic.csv" && $0.spec.filters["cla_group"] == "Ethnicity"
    }), let population = ethnicPopulation,
      let r = CareEthnicityDisproportionality.compute(cla: table, population: population, code: code)
    else { return nil }
    return CareEthnicitySection(period: r.period.label, rows: r.rows.map { row in
      CareEthnicitySection.Row(
        group: row.group, count: row.count, status: row.status.code,
        versusPopulation: row.versusPopulation.ratio, populationLower: row.versusPopulation.lower,
        populationUpper: row.versusPopulation.upper, versusEnglandCare: row.versusEnglandCare.ratio,
        englandLower: row.versusEnglandCare.lower, englandUpper: row.versusEnglandCare.upper)
    }, note: r.note)
  }
}
