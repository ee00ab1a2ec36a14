import Foundation
import Testing
import PeerLensAnalysis
import PeerLensData
import _PeerLensTestSupport

@Suite struct NeighbourModelTests {
  @Test func agreementWithTheOfficialListOnRealData() throws {
    let mirror = DataMirror(root: TestData.data)
    let spec = try NeighbourSpec.load(from: ContextModelTests.models.appendingPathComponent("neighbours.toml"))
    let run = try NeighbourRun(spec: spec, table: mirror.context().table, idColumn: "new_la_code")
    #expect(run.ids.count == 153)
    #expect(run.lists.values.allSatisfy { $0.count == 10 })
    let official = try mirror.officialNeighbours().mapped(to: mirror.registry())
    let agreement = NeighbourAgreement(model: run, official: official, names: [:])
    #expect(agreement.rows.count >= 150)
    for r in agreement.rows {
      #expect(r.overlap == Set(r.model).intersection(r.official).count)
      #expect(r.jaccard >= 0 && r.jaccard <= 1)
    }
    // A transparent model on context shares a good part of DfE's list.
    #expect(agreement.meanOverlap > 2)
    #expect(agreement.overlapDistribution.reduce(0, +) == agreement.rows.count)
  }

  @Test func smallAreaRunCompletes() throws {
    let table = try CSVReader.read(contentsOf: TestData.data.appendingPathComponent("context/lsoa_context.csv"))
    let spec = NeighbourSpec(variables: ["imd25_score", "imd25_income_score", "pct_hh_overcrowded", "pct_hh_social_rented"])
    let run = try NeighbourRun(spec: spec, table: table, idColumn: "lsoa21_code")
    #expect(run.ids.count > 33_000)
    #expect(run.lists.values.allSatisfy { $0.count == 10 })
  }

  @Test func clustersOnRealContext() throws {
    let mirror = DataMirror(root: TestData.data)
    let spec = try NeighbourSpec.load(from: ContextModelTests.models.appendingPathComponent("neighbours.toml"))
    let run = try ClusterRun(spec: spec, table: mirror.context().table, idColumn: "new_la_code", ks: [2, 3, 4, 5], method: .ward)
    #expect((2...5).contains(run.suggested.k))
    #expect(run.describe(cluster: 0).hasPrefix("Family 1"))
  }

  /// Issue 24.6: with the Mahalanobis metric a weight of 10 on deprivation
  /// used to give exactly the neighbours of a weight of 1 (the whitening
  /// undid it). Weights now act after whitening, so they change the lists.
  @Test func mahalanobisWeightsChangeTheNeighbours() throws {
    let mirror = DataMirror(root: TestData.data)
    let variables = ["imd19_avg_score", "pct_ethnic_minority_excl_white_minorities", "pct_hh_overcrowded_bedrooms",
                     "pct_hh_in_rural_lsoa_ruc21"]
    func lists(_ w: Double) throws -> [String: [String]] {
      var weights = Dictionary(uniqueKeysWithValues: variables.map { ($0, 1.0) })
      weights["imd19_avg_score"] = w
      let spec = NeighbourSpec(variables: variables, weights: weights, metric: .mahalanobis)
      let run = try NeighbourRun(spec: spec, table: mirror.context().table, idColumn: "new_la_code")
      return run.lists.mapValues { $0.map(\.neighbour) }
    }
    let one = try lists(1), ten = try lists(10)
    let changed = one.keys.filter { one[$0] != ten[$0] }.count
    #expect(changed > 100, "only \(changed) of \(one.count) lists changed")
    // Unit weights are plain Mahalanobis, whatever the whitening.
    #expect(try lists(1) == one)
  }
}
