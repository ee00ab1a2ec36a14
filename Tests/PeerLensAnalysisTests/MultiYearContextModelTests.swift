import Foundation
import Testing
import PeerLensAnalysis
import PeerLensData
import PeerLensStatistics

/// The contextual model over all years with an authority random intercept
/// (issue 17.6), on the real children-in-care rates 2021 to 2025.
@Suite struct MultiYearContextModelTests {
  @Test func persistentReadingsAgreeWithTheYearByYearModels() throws {
    let engine = try ContextModelTests.engine()
    let spec = try ContextModelSpec.load(from: ContextModelTests.models.appendingPathComponent("context/cla_rate.toml"))
    let m = try MultiYearContextModel.fit(spec: spec, engine: engine)
    #expect(m.periods.count >= 5 && m.fit.converged)
    #expect(m.termNames.filter { $0.hasPrefix("year ") }.count == m.periods.count - 1)
    #expect(m.fit.standardDeviation > 0.05 && m.authorities.count > 140)
    // The random intercepts are centred: their mean is small against σ.
    let mean = m.authorities.map(\.effect).reduce(0, +) / Double(m.authorities.count)
    #expect(abs(mean) < 0.2 * m.fit.standardDeviation)
    for a in m.authorities {
      #expect((a.reading == .persistentlyHigher) == (a.z >= 1.959963984540054))
      #expect((a.reading == .persistentlyLower) == (a.z <= -1.959963984540054))
    }
    // The authority read as most persistently higher sits above its
    // single-year expectation in most of its years, and the most
    // persistently lower below it.
    let top = try #require(m.authorities.max { $0.z < $1.z }), bottom = try #require(m.authorities.min { $0.z < $1.z })
    #expect(top.reading == .persistentlyHigher && bottom.reading == .persistentlyLower)
    var above = 0, below = 0
    for p in m.periods {
      let run = try engine.run(spec: spec, period: p.code, coverage: false)
      if let r = run.authorities.first(where: { $0.code == top.code })?.ratio, r > 1 { above += 1 }
      if let r = run.authorities.first(where: { $0.code == bottom.code })?.ratio, r < 1 { below += 1 }
    }
    #expect(above >= 4 && below >= 4, "\(top.code) above in \(above) years, \(bottom.code) below in \(below)")
  }

  @Test func aLinearSpecificationIsAClearError() throws {
    let spec = ContextModelSpec(indicator: "cla_rate", family: .gaussian, link: nil,
                                formula: "value ~ imd19_avg_score", notes: nil, year: nil)
    #expect(throws: AnalysisError.self) { try MultiYearContextModel.fit(spec: spec, engine: ContextModelTests.engine()) }
    do { _ = try MultiYearContextModel.fit(spec: spec, engine: ContextModelTests.engine()) } catch {
      #expect(error.localizedDescription.contains("negative-binomial or (quasi-)binomial"))
    }
  }
}
