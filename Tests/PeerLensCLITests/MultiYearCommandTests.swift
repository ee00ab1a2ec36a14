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

  /// The text output says why many authorities can read as persistent:
  /// the spread context leaves between authorities against each one's own
  /// standard error, both as the JSON gives them.
  @Test func textExplainsTheCountOfPersistentReadings() throws {
    let spec = TestData.packageRoot.appendingPathComponent("Models/context/cla_rate.toml").path
    let args = ["model", "fit", spec, "--data", TestData.data.path, "--all-years"]
    let text = try runCommand(args)
    let json = try #require(try JSONSerialization.jsonObject(with: Data(runCommand(args + ["--format", "json"]).utf8))
      as? [String: Any])
    let sd = try #require(json["random_intercept_sd"] as? Double)
    let median = try #require(json["median_standard_error"] as? Double)
    let errors = try #require(json["authorities"] as? [[String: Any]]).compactMap { $0["standard_error"] as? Double }.sorted()
    #expect(abs(median - (errors.count % 2 == 1 ? errors[errors.count / 2]
                                                : (errors[errors.count / 2 - 1] + errors[errors.count / 2]) / 2)) < 1e-12)
    #expect(text.contains(String(format: "about %.0f%% either way from their expectation", 100 * (exp(sd) - 1))))
    #expect(text.contains(String(format: "median standard error of %.3f", median)))
    // On the real data the spread is several times each authority's uncertainty.
    #expect(median < sd / 2)
    #expect(text.contains("the count says how much context leaves unexplained, not how many authorities stand out"))
  }

  @Test func yearBesideAllYearsIsRefused() throws {
    let spec = TestData.packageRoot.appendingPathComponent("Models/context/cla_rate.toml").path
    #expect(throws: (any Error).self) {
      try runCommand(["model", "fit", spec, "--data", TestData.data.path, "--all-years", "--year", "2024"])
    }
  }
}

/// `model fit` says what the packs do with a model: its leave-one-out
/// skill, and where that is at or below zero, that the packs show no
/// expected value (the table still lists them, for study).
@Suite(.serialized) struct ModelFitSkillNoteTests {
  @Test(arguments: ["rereferral_pct", "cla_rate"])
  func skillAndWhatThePacksShow(id: String) throws {
    let spec = TestData.packageRoot.appendingPathComponent("Models/context/\(id).toml").path
    let json = try #require(try JSONSerialization.jsonObject(with: Data(runCommand(["model", "fit", spec, "--data",
      TestData.data.path, "--format", "json"]).utf8)) as? [String: Any])
    let skill = try #require(json["context_skill"] as? Double)
    #expect(json["shows_expectation"] as? Bool == (skill > 0))
    let text = try runCommand(["model", "fit", spec, "--data", TestData.data.path])
    #expect(text.contains("Context skill (leave-one-out deviance explained"))
    #expect(text.contains("packs show no expected value for it") == (skill <= 0), "\(id): skill \(skill)")
    // Re-referrals: context has no skill; children in care: a great deal.
    #expect(id == "rereferral_pct" ? skill <= 0 : skill > 0.5)
  }
}
