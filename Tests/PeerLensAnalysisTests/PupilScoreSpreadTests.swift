import Foundation
import Testing
@testable import PeerLensAnalysis
import PeerLensData
import PeerLensNumerics
import PeerLensStatistics
import _PeerLensTestSupport

/// Attainment 8 is a mean of pupils' scores, and chance varies a mean of
/// n pupils with variance σ²/n (`pupil_sd`).
///
/// The funnel had counted the points as Poisson events, a variance of
/// about μ ≈ 17 per pupil where a pupil's spread is about 19² = 360 or
/// more: Kensington and Chelsea's 9 children in care and Central
/// Bedfordshire's 8 children on plans were below the 99.8% limit.
@Suite struct PupilScoreSpreadTests {
  static let attainment = ["ks4_att8_cla", "ks4_att8_cin", "ks4_att8_cpp"]
  static let kensington = "E09000020"

  static func latest(_ id: String) throws -> (Indicator, [IndicatorValue], Double) {
    let ind = try ContextModelTests.engine().indicator(id)
    let values = try IndicatorCalculator(mirror: DataMirror(root: TestData.data)).values(ind)
    let period = try #require(values.map(\.period).max { $0.code < $1.code })
    let inPeriod = values.filter { $0.period == period }
    let england = try #require(inPeriod.first { $0.level == .national && $0.status == .ok }?.value)
    return (ind, inPeriod, england)
  }

  /// The restricted log-likelihood of one year's funnel on the √(O/E)
  /// scale at pupil spread σ, with that year's τ² by REML: the values
  /// y = √(x̄/μ) have within variance σ²/(4nμ²).
  static func restrictedLogLikelihood(_ f: IndicatorFunnel, sigma: Double, mean mu: Double) -> Double {
    let y = f.plot.units.map { $0.value.squareRoot() }
    let v = f.denominators.map { sigma * sigma / (4 * $0 * mu * mu) }
    let t2 = BetweenUnitVariance.reml.estimate(y: y, v: v)
    let w = v.map { 1 / ($0 + t2) }, sw = w.reduce(0, +)
    let m = zip(w, y).reduce(0) { $0 + $1.0 * $1.1 } / sw
    return -0.5 * (v.reduce(0) { $0 + log($1 + t2) } + log(sw) + zip(w, y).reduce(0) { $0 + $1.0 * ($1.1 - m) * ($1.1 - m) })
  }

  /// The catalogue's σ is the spread that, with each year's τ², best
  /// accounts for how far authorities' means spread at each cohort size:
  /// the restricted likelihood summed over every year, maximised on a
  /// grid of half points. DfE's all-pupil Progress 8 spread (1.42 points
  /// of Progress 8, 14.2 of Attainment 8, read off ks4_la.csv's
  /// intervals) lies below every group's and outside its 95% interval.
  @Test func pupilSDIsTheSpreadTheFiguresShow() throws {
    let file = try DataMirror(root: TestData.data).eesFile("ks4_la.csv")
    let low = try file.table.text("p8score_CI_low"), high = try file.table.text("p8score_CI_upp")
    let pupils = try file.table.text("t_inp8calc")
    var p8: [Double] = []
    for r in file.rows where r.level == .localAuthority && r.period.code == "202324" {
      guard let l = Double(low[r.index]), let h = Double(high[r.index]), let n = Double(pupils[r.index]), n >= 20
      else { continue }
      p8.append((h - l) / 2 / 1.959964 * n.squareRoot() * 10)
    }
    #expect(p8.count > 100)
    let dfe = p8.sorted()[p8.count / 2]
    #expect(abs(dfe - 14.2) < 0.1, "DfE's Progress 8 spread: \(dfe)")

    let engine = try ContextModelTests.engine()
    let calculator = IndicatorCalculator(mirror: DataMirror(root: TestData.data))
    let grid = stride(from: 10.0, through: 35.0, by: 0.5).map { $0 }
    for id in Self.attainment {
      let ind = try engine.indicator(id)
      let sd = try #require(ind.pupilSD, "\(id) has no pupil_sd")
      let values = try calculator.values(ind)
      var funnels: [(IndicatorFunnel, Double)] = []
      for period in Set(values.map(\.period)) {
        let inPeriod = values.filter { $0.period == period }
        guard let mu = inPeriod.first(where: { $0.level == .national && $0.status == .ok })?.value,
              let f = IndicatorFunnel(values: inPeriod, indicator: ind, target: mu) else { continue }
        funnels.append((f, mu))
      }
      #expect(funnels.count >= 6, "\(id): \(funnels.count) years")
      func total(_ sigma: Double) -> Double {
        funnels.reduce(0) { $0 + Self.restrictedLogLikelihood($1.0, sigma: sigma, mean: $1.1) }
      }
      let profile = grid.map(total)
      let best = try #require(profile.indices.max { profile[$0] < profile[$1] })
      #expect(best > 0 && best < grid.count - 1, "\(id): the maximum is at the grid's edge, \(grid[best])")
      #expect(abs(grid[best] - sd) <= 0.25, "\(id): pupil_sd \(sd), the figures' \(grid[best])")
      #expect(total(dfe) < profile[best] - 1.92, "\(id): DfE's \(dfe) is inside the 95% interval")
    }
  }

  /// With the pupils' spread, small and large cohorts are outside the 95%
  /// limits about equally often, and near 5%: with points counted as
  /// Poisson events, 10% of cohorts under 15 pupils were and 2% of those
  /// of 60 or more.
  @Test func smallAndLargeCohortsAreFlaggedAlike() throws {
    let engine = try ContextModelTests.engine()
    let calculator = IndicatorCalculator(mirror: DataMirror(root: TestData.data))
    var small = (outside: 0, all: 0), large = (outside: 0, all: 0), beyond998 = 0
    for id in Self.attainment {
      let ind = try engine.indicator(id)
      let values = try calculator.values(ind)
      for period in Set(values.map(\.period)) {
        let inPeriod = values.filter { $0.period == period }
        guard let mu = inPeriod.first(where: { $0.level == .national && $0.status == .ok })?.value,
              let f = IndicatorFunnel(values: inPeriod, indicator: ind, target: mu) else { continue }
        for k in f.rows.indices {
          let flag = f.position(k).flag
          if flag.isOutside998 { beyond998 += 1 }
          if f.denominators[k] < 15 { small.all += 1; if flag != .within { small.outside += 1 } }
          if f.denominators[k] >= 60 { large.all += 1; if flag != .within { large.outside += 1 } }
        }
      }
    }
    let shares = [small, large].map { Double($0.outside) / Double($0.all) }
    #expect(small.all > 300 && large.all > 300, "\(small.all) small, \(large.all) large")
    #expect(shares.allSatisfy { (0.03...0.08).contains($0) }, "under 15 pupils \(shares[0]), 60 or more \(shares[1])")
    // About 0.2% of some 2,900 authority-years: 6 expected.
    #expect(beyond998 <= 12, "\(beyond998) beyond 99.8%")
  }

  /// Each authority's limits are England's mean ± z√(σ²/n + τ²) on the
  /// funnel's √ scale, and the drawn curves pass through them.
  @Test func limitsCountChanceInPupilsSpread() throws {
    for id in Self.attainment {
      let (ind, values, england) = try Self.latest(id)
      let sd = try #require(ind.pupilSD)
      let f = try #require(IndicatorFunnel(values: values, indicator: ind, target: england))
      #expect(abs(f.varianceFactor - sd * sd / england) < 1e-9 * f.varianceFactor)
      // τ² widens the limits only where there is over-dispersion (φ > 1).
      let tau2 = f.plot.adjusted ? f.plot.tauSquared : 0
      for k in f.rows.indices {
        let n = f.denominators[k]
        let se = (sd * sd / (n * england * england) / 4 + tau2).squareRoot()
        let z = Normal.standard.quantile(0.999)
        let upper = england * (1 + z * se) * (1 + z * se)
        let lower = 1 - z * se > 0 ? england * (1 - z * se) * (1 - z * se) : 0
        let drawn = f.limits(denominator: n)
        #expect(abs(drawn.u998 - upper) < 1e-9 * upper, "\(id) \(f.rows[k].name): \(drawn.u998) against \(upper)")
        #expect(abs(drawn.l998 - lower) < 1e-9 * max(upper, 1), "\(id) \(f.rows[k].name): \(drawn.l998) against \(lower)")
        let own = f.plot.units[k].limits998
        #expect(abs(own.upper * f.scale - upper) < 1e-9 * upper)
      }
    }
  }

  /// The small cohorts the Poisson count flagged are within the 99.8%
  /// limits now; the same figures counted as Poisson points still put
  /// Kensington and Chelsea's 9 children in care beyond them.
  @Test func smallCohortsAreNotFlaggedByChance() throws {
    let (ind, values, england) = try Self.latest("ks4_att8_cla")
    let f = try #require(IndicatorFunnel(values: values, indicator: ind, target: england))
    let k = try #require(f.rows.firstIndex { $0.areaCode == Self.kensington })
    #expect(f.denominators[k] < 15, "\(f.rows[k].name): \(f.denominators[k]) pupils")
    #expect(!f.position(k).flag.isOutside998, "\(f.position(k))")

    let x = f.rows.map { $0.numerator! }, n = f.denominators
    let poisson = try FunnelPlot(type: .ratio, numerators: x, denominators: n.map { $0 * england },
                                 overdispersion: .additive, tau2: .reml)
    #expect(poisson.units[k].flag.isOutside998, "counted as Poisson points: \(poisson.units[k].flag)")
    // Fewer authorities beyond 99.8% than with Poisson points, not more.
    let now = f.rows.indices.filter { f.position($0).flag.isOutside998 }.count
    let before = poisson.units.filter(\.flag.isOutside998).count
    #expect(now < before, "\(now) beyond 99.8% now, \(before) with Poisson points")
  }
}
