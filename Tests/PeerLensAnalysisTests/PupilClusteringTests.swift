import Foundation
import Testing
@testable import PeerLensAnalysis
import PeerLensData
import PeerLensStatistics
import _PeerLensTestSupport

/// Absence rates count chance in pupils, not sessions (`pupil_clustering`).
///
/// The reader's review found Rutland, whose children in care were 7
/// pupils (2,448 possible sessions) in 2024/25, above the funnel's 99.8%
/// limit two years running and ranked "151 to 151": sessions taken as
/// independent chances made its figure look as certain as Kent's.
@Suite struct PupilClusteringTests {
  static let rutland = "E06000017"

  static func absence(_ id: String) throws -> (Indicator, [IndicatorValue]) {
    let ind = try ContextModelTests.engine().indicator(id)
    return (ind, try IndicatorCalculator(mirror: DataMirror(root: TestData.data)).values(ind))
  }

  /// Every absence rate of sessions names its pupils, and the effective
  /// denominator is pupils × (κ + 1) with κ fitted to England's share
  /// missing half their sessions or more (absence_la.csv, 2024/25:
  /// 2,180 of 33,930 children in care; Rutland 7 pupils).
  @Test func theEffectiveDenominatorIsPupilsTimesKappaPlusOne() throws {
    let catalogue = try ContextModelTests.engine().catalogue
    let sessions = catalogue.indicators.filter { $0.countNoun.many == "sessions" }
    #expect(sessions.count == 3)
    #expect(sessions.allSatisfy { $0.pupilClustering != nil && $0.funnelLimits == "additive" }, "\(sessions.map(\.id))")

    let (_, values) = try Self.absence("absence_cla_pct")
    let england = try #require(values.first { $0.level == .national && $0.period.code == "202425" })
    let kappa = try #require(PupilClusteredRate.concentration(
      mean: england.numerator! / england.denominator!, threshold: 0.5, share: 2180.0 / 33930))
    #expect(kappa > 0.8 && kappa < 1.6, "\(kappa)")
    let rutland = try #require(values.first { $0.areaCode == Self.rutland && $0.period.code == "202425" })
    #expect(rutland.denominator == 2448)
    let n = try #require(rutland.effectiveDenominator)
    #expect(abs(n - 7 * (kappa + 1)) < 1e-9, "\(n)")
    #expect(abs(england.effectiveDenominator! - 33930 * (kappa + 1)) < 1e-6)
    // The rate is kept; only the count chance rests on changes.
    let counts = try #require(rutland.chanceCounts(try ContextModelTests.engine().indicator("absence_cla_pct")))
    #expect(abs(counts.numerator / counts.denominator - 564.0 / 2448) < 1e-12)
  }

  /// In pupils, Rutland's 23.0% against England's 9.0% is within the
  /// funnel's limits; in sessions it was beyond the 99.8% limit. Across
  /// the three absence rates the 95% and 99.8% limits leave out about the
  /// numbers of authorities their levels imply.
  @Test func smallAuthoritiesAreNotFlaggedByTheirSessionsAndTheLimitsHoldTheirLevel() throws {
    let (ind, values) = try Self.absence("absence_cla_pct")
    let latest = values.filter { $0.period.code == "202425" }
    let england = latest.first { $0.level == .national }?.value
    let funnel = try #require(IndicatorFunnel(values: latest, indicator: ind, target: england))
    let k = try #require(funnel.rows.firstIndex { $0.areaCode == Self.rutland })
    #expect(funnel.position(k).flag == .within, "\(funnel.position(k))")
    // The same limits on sessions: Rutland is beyond the 99.8% limit.
    let bySessions = try FunnelPlot(type: .proportion, numerators: funnel.rows.map { $0.numerator! },
                                    denominators: funnel.rows.map { $0.denominator! }, target: funnel.plot.target,
                                    overdispersion: .additive, tau2: .reml)
    #expect(bySessions.units[k].flag == .above998)

    for id in ["absence_cin_pct", "absence_cla_pct", "absence_cpp_pct"] {
      let (ind, values) = try Self.absence(id)
      for year in ["202223", "202324", "202425"] {
        let period = values.filter { $0.period.code == year }
        let target = period.first { $0.level == .national }?.value
        let f = try #require(IndicatorFunnel(values: period, indicator: ind, target: target))
        let flags = f.rows.indices.map { f.position($0).flag }
        let outside95 = flags.filter { $0 != .within }.count, outside998 = flags.filter(\.isOutside998).count
        // About 7.5 and 0.3 of 150 are expected.
        #expect((2...14).contains(outside95), "\(id) \(year): \(outside95) outside 95%")
        #expect(outside998 <= 2, "\(id) \(year): \(outside998) outside 99.8%")
      }
    }
  }

  /// Rank intervals and the model count chance in pupils: Rutland's rank
  /// for children in care's absence spans most of the table, where in
  /// sessions it was the single rank 151.
  @Test func rankIntervalsAndTheModelCountInPupils() throws {
    let engine = try ContextModelTests.engine()
    let (ind, values) = try Self.absence("absence_cla_pct")
    let spec = try ContextModelSpec.load(from: ContextModelTests.models.appendingPathComponent("context/absence_cla_pct.toml"))
    let bench = try NationalRun.bench(ind, values: values, spec: spec, engine: engine, official: [:], period: nil)
    let interval = try #require(RankUncertainty.intervals(bench, draws: 400)[Self.rutland])
    #expect(interval.upper - interval.lower > 60, "\(interval)")

    let run = try engine.run(spec: spec, period: "202425", values: values, coverage: false)
    #expect(run.warnings.contains { $0.hasPrefix("The counts the model reads are in pupils, not sessions") })
    let row = try #require(run.authorities.first { $0.code == Self.rutland })
    // The model's denominator is Rutland's effective number of pupils.
    let rutland = try #require(values.first { $0.areaCode == Self.rutland && $0.period.code == "202425" })
    #expect(row.denominator == rutland.effectiveDenominator)
  }
}


extension PupilClusteringTests {
  /// A vintage stored before absence was counted in pupils (no effective
  /// denominators) is not compared on absence funnels: every flag of the
  /// later vintage would otherwise read as "entered".
  @Test func anEarlierVintageWithoutEffectiveDenominatorsIsNotComparedOnAbsenceFunnels() throws {
    let (ind, values) = try Self.absence("absence_cla_pct")
    let period = try #require(values.first { $0.period.code == "202425" }?.period)
    var stored = values
    for k in stored.indices { stored[k].pupilCounts = nil }
    #expect(ReleaseComparison.funnelsComparable(values, values, period: period, indicator: ind))
    #expect(!ReleaseComparison.funnelsComparable(stored, values, period: period, indicator: ind))
    #expect(!ReleaseComparison.funnelsComparable(values, stored, period: period, indicator: ind))
    // Without an effective denominator the absence funnel is not drawn on sessions.
    #expect(IndicatorFunnel(values: stored.filter { $0.period == period }, indicator: ind, target: nil) == nil)
    // Other indicators are compared as before.
    let other = try ContextModelTests.engine().indicator("cla_rate")
    #expect(ReleaseComparison.funnelsComparable(stored, stored, period: period, indicator: other))
  }

  /// The interval beside an absence figure and its note on small numbers
  /// count pupils: Rutland's 23.0% of 2,448 sessions had a Wilson
  /// interval of 21.4 to 24.7, as if the sessions were independent.
  @Test func theIntervalAndSmallNumbersNoteCountPupils() throws {
    let (ind, values) = try Self.absence("absence_cla_pct")
    let rutland = try #require(values.first { $0.areaCode == Self.rutland && $0.period.code == "202425" })
    #expect(rutland.pupils == 7)
    let (x, n) = try #require(rutland.chanceCounts(ind))
    let wilson = try SmallNumberInterval.compute(.wilson, count: x, denominator: n, multiplier: 100)
    #expect(try #require(wilson.lower) < 12 && (try #require(wilson.upper)) > 40, "\(wilson)")
  }

  /// Absence limits count pupils already, and a mean of pupils' rates is no
  /// binomial: the exact check on additive flags is not applied to them.
  @Test func absenceFlagsAreNotCheckedAgainstABinomial() throws {
    for id in ["absence_cin_pct", "absence_cla_pct", "absence_cpp_pct"] {
      let (ind, values) = try Self.absence(id)
      for period in Set(values.map(\.period)) {
        let inPeriod = values.filter { $0.period == period }
        guard let f = IndicatorFunnel(values: inPeriod, indicator: ind, target: nil) else { continue }
        for k in f.rows.indices {
          #expect(f.position(k).flag == f.plot.units[k].flag && f.loweredByChance(k) == nil, "\(id) \(period.label)")
        }
      }
    }
  }
}
