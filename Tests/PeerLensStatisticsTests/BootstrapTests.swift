import Foundation
import Testing
import PeerLensNumerics
import PeerLensStatistics

@Suite struct BootstrapTests {
  @Test func percentileIntervalFollowsRsType7() throws {
    // R: quantile(c(1, 2, 3, 4, 10), c(0.025, 0.975)) gives 1.1 and 9.4.
    let ci = try #require(CaseBootstrap.percentileInterval([10, 2, 1, 4, 3], level: 0.95))
    #expect(abs(ci.lower - 1.1) < 1e-12 && abs(ci.upper - 9.4) < 1e-12)
    // R: quantile(1:10, c(0.05, 0.95)) gives 1.45 and 9.55; non-finite draws are ignored.
    let ci90 = try #require(CaseBootstrap.percentileInterval((1...10).map(Double.init) + [.nan, .infinity], level: 0.9))
    #expect(abs(ci90.lower - 1.45) < 1e-12 && abs(ci90.upper - 9.55) < 1e-12)
    #expect(CaseBootstrap.percentileInterval([], level: 0.95) == nil)
  }

  @Test func resamplesAreSeededAndInRange() {
    let a = CaseBootstrap(rows: 37, count: 50, seed: 7), b = CaseBootstrap(rows: 37, count: 50, seed: 7)
    #expect(a.resamples == b.resamples)
    #expect(a.resamples != CaseBootstrap(rows: 37, count: 50, seed: 8).resamples)
    #expect(a.resamples.allSatisfy { $0.count == 37 && $0.allSatisfy { (0..<37).contains($0) } })
    // Drawn with replacement: some rows repeat in a typical resample.
    #expect(a.resamples.filter { Set($0).count < 37 }.count > 40)
  }

  @Test func parallelRunKeepsResampleOrderAndFailures() {
    let boot = CaseBootstrap(rows: 20, count: 300, seed: 3)
    struct Odd: Error {}
    let statistic: @Sendable ([Int]) throws -> [Double] = { rows in
      if rows[0] == 0 { throw Odd() }
      return [Double(rows.reduce(0, +)), Double(Set(rows).count)]
    }
    let parallel = boot.run(statistic)
    let serial = boot.resamples.map { try? statistic($0) }
    #expect(parallel == serial)
    #expect(parallel.contains { $0 == nil } && parallel.contains { $0 != nil })
  }
}
