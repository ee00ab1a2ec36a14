import Foundation
import Testing
import PeerLensCLI
import _PeerLensTestSupport

/// `peerlens indicators` lists every indicator issue 23 adds, with its
/// coverage by year.
@Suite(.serialized) struct DashboardIndicatorsCommandTests {
  @Test func indicatorsListsEveryAddedIndicatorWithCoverage() throws {
    let out = try runCommand(["indicators", "--data", TestData.data.path, "--catalogue", ContextModelPaths.catalogue,
                              "--format", "csv"])
    let lines = out.split(separator: "\n").map(String.init)
    let added = [
      "uasc_cla_rate", "uasc_starting_rate", "cla_school_moves_pct", "absence_cpp_pct", "persistent_absence_cpp_pct",
      "absence_cla_pct", "persistent_absence_cla_pct", "ks2_rwm_cin_pct", "ks2_rwm_cpp_pct", "ks4_att8_cin",
      "ks4_att8_cpp", "ceased_sgo_pct", "ceased_cao_pct", "injury_admissions_0_14_rate", "cla_independent_pct",
      "care_leavers_suitable_accommodation_17_18_pct", "cs_share_of_spend_pct", "cs_spend_per_child",
      "cs_spend_not_cla_pct", "cla_convicted_pct", "cla_health_assessment_pct", "cla_immunisations_pct",
      "cla_dental_check_pct", "cla_substance_misuse_pct", "cla_development_assessment_pct",
      "factor_neglect_rate", "factor_emotional_abuse_rate", "factor_physical_abuse_rate", "factor_sexual_abuse_rate",
      "factor_domestic_abuse_rate", "factor_faith_linked_abuse_rate", "factor_going_missing_rate", "factor_cse_rate", "factor_cce_rate",
      "factor_trafficking_rate", "factor_gangs_rate",
    ]
    for id in added {
      let line = try #require(lines.first { $0.hasPrefix(id + ",") }, "\(id) not listed")
      // Coverage is "period:count" pairs separated by ";"; at least one year with authorities.
      let coverage = line.split(separator: ",").last.map(String.init) ?? ""
      let counts = coverage.split(separator: ";").compactMap { $0.split(separator: ":").last.flatMap { Int($0) } }
      #expect(!counts.isEmpty && counts.max()! >= 40, "\(id): coverage \(coverage)")
    }
    // The figures beside the indicators, with their framework and coverage:
    // Ofsted for all 153 (the file gives Buckinghamshire, North Yorkshire
    // and Somerset under their county codes, which were read as three
    // authorities without a judgement until those codes were read as the
    // recodings they are), the workforce for all 153, adoption for England
    // alone.
    for (id, framework, coverage) in [("ofsted_ilacs_leadership", "enabler_2", "2025:153"),
                                      ("sw_ethnicity_pct", "enabler_1", "2025:153"),
                                      ("adoption_order_to_match_months", "outcome_4", "2021:1;2022:1;2023:1;2024:1;2025:1")] {
      let line = try #require(lines.first { $0.hasPrefix(id + ",") }, "\(id) not listed")
      #expect(line.contains("," + framework + ",") && line.hasSuffix("," + coverage), "\(line)")
    }
  }
}
