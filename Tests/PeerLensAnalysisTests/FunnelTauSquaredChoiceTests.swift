import Foundation
import Testing
import PeerLensAnalysis
import PeerLensData
import PeerLensStatistics
import _PeerLensTestSupport

/// Issue 17.1: each indicator with additive funnel limits names its τ²
/// estimator in the catalogue, the funnel uses it, and on the real data
/// the chosen estimator's count outside the 95% limit is nearer the count
/// the level implies than DerSimonian–Laird's (the reason it was chosen).
@Suite struct FunnelTauSquaredChoiceTests {
  @Test func additiveIndicatorsUseTheirEstimatorAndItHoldsBetterThanDL() throws {
    let catalogue = try ContextModelTests.engine().catalogue
    let calculator = IndicatorCalculator(mirror: DataMirror(root: TestData.data))
    let additive = catalogue.indicators.filter { $0.funnelLimits == "additive" && $0.hasCounts }
    #expect(additive.count >= 8)
    var closer = 0, counts: [String] = []
    for ind in additive {
      #expect(ind.funnelTau2 == .reml, "\(ind.id) uses \(ind.funnelTau2.rawValue)")
      let values = try calculator.values(ind)
      let latest = try #require(values.filter { $0.level == .localAuthority && $0.status == .ok }.map(\.period).max())
      let period = values.filter { $0.period == latest }
      let england = period.first { $0.level == .national && $0.status == .ok }?.value
      let funnel = try #require(IndicatorFunnel(values: period, indicator: ind, target: england), "\(ind.id)")
      // The funnel's τ² is the named estimator's on the same transformed values.
      // Counted as the funnel counts chance: absence rates in pupils (`PupilClusteringTests`).
      let x = funnel.rows.map { $0.chanceCounts(ind)!.numerator }, n = funnel.denominators
      let proportion = ind.unit == .percentage
      // A mean score's chance variation is its pupils' spread (`PupilScoreSpreadTests`).
      let factors = proportion || funnel.varianceFactor == 1 ? nil : Array(repeating: funnel.varianceFactor, count: x.count)
      let direct = try FunnelPlot(type: proportion ? .proportion : .ratio, numerators: x,
                                  denominators: proportion ? n : n.map { $0 * funnel.denominatorFactor },
                                  target: proportion ? funnel.plot.target : nil, overdispersion: .additive, varianceFactors: factors,
                                  tau2: .reml)
      let dl = try FunnelPlot(type: proportion ? .proportion : .ratio, numerators: x,
                              denominators: proportion ? n : n.map { $0 * funnel.denominatorFactor },
                              target: proportion ? funnel.plot.target : nil, overdispersion: .additive, varianceFactors: factors,
                              tau2: .dl)
      #expect(abs(funnel.plot.tauSquared - direct.tauSquared) <= 1e-12 * max(1, direct.tauSquared), "\(ind.id)")
      let expected = 0.05 * Double(x.count)
      let chosen = Double(funnel.rows.indices.filter { funnel.position($0).flag != .within }.count)
      let byDL = Double(dl.units.filter { $0.flag != .within }.count)
      if abs(chosen - expected) < abs(byDL - expected) { closer += 1 }
      counts.append("\(ind.id): \(Int(chosen)) by REML, \(Int(byDL)) by DL, \(expected) expected")
    }
    // Nearer nominal for every additive indicator but at most one.
    #expect(closer >= additive.count - 1, "\(closer) of \(additive.count): \(counts)")
  }

  @Test func anEstimatorOnNonAdditiveLimitsOrAnUnknownOneIsRefused() throws {
    let base = """
      [[framework]]
      id = "f"
      title = "F"

      [[indicator]]
      id = "x"
      title = "X"
      framework = "f"
      unit = "percentage"
      polarity = "no_judgement"
      description = "d"
      source = "s.csv"
      published = { columns = ["v"] }

      """
    for (extra, words) in [("funnel_limits = \"beta-binomial\"\nfunnel_tau2 = \"reml\"\n", "applies to additive limits"),
                           ("funnel_tau2 = \"ml\"\n", "dl, reml or pm")] {
      let url = FileManager.default.temporaryDirectory.appendingPathComponent("tau2-\(UUID().uuidString).toml")
      try Data((base + extra).utf8).write(to: url)
      defer { try? FileManager.default.removeItem(at: url) }
      #expect { try IndicatorCatalogue.load(from: url) } throws: { "\($0)".contains(words) || $0.localizedDescription.contains(words) }
    }
  }
}
