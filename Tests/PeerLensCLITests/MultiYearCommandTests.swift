import Foundation
import Testing
import PeerLensData
import _PeerLensTestSupport

/// `peerlens model fit --all-years` (issue 17.6): the multi-year model's
/// readings as CSV and JSON, and a clear refusal of `--year` beside it.
@Suite(.serialized) struct MultiYearCommandTests {
  @Test func allYearsGivesEachAuthorityItsReading() throws {
    let spec = TestData.packageRoot.appendingPathComponent("Models/context/rereferral_pct.toml").path
    let csv = try CSVReader.parse(Data(runCommand(["model", "fit", spec, "--data", TestData.data.path, "--all-years",
                                                   "--format", "csv"]).utf8), source: "multi-year.csv")
    #expect(csv.columnNames == ["new_la_code", "la_name", "years", "effect", "standard_error", "z", "reading"])
    #expect(csv.rowCount > 140)
    let z = try csv.text("z").map { Double($0)! }, reading = try csv.text("reading")
    for (v, r) in zip(z, reading) {
      #expect(r == (v >= 1.959963984540054 ? "persistently higher than expected given context"
        : v <= -1.959963984540054 ? "persistently lower than expected given context"
        : "no persistent difference from expected given context"))
    }
    #expect(z == z.sorted(by: >))
    let json = try JSONSerialization.jsonObject(with: Data(runCommand(["model", "fit", spec, "--data", TestData.data.path,
                                                                         "--all-years", "--format", "json"]).utf8)) as? [String: Any]
    #expect(json?["family"] as? String == "binomial")
    #expect((json?["periods"] as? [String])?.count ?? 0 >= 5)
    #expect((json?["random_intercept_sd"] as? Double ?? 0) > 0)
  }

  @Test func yearBesideAllYearsIsRefused() throws {
    let spec = TestData.packageRoot.appendingPathComponent("Models/context/cla_rate.toml").path
    #expect(throws: (any Error).self) {
      try runCommand(["model", "fit", spec, "--data", TestData.data.path, "--all-years", "--year", "2024"])
    }
  }
}
