import Foundation
import Testing
@testable import PeerLensAnalysis
@testable import PeerLensData
import PeerLensStatistics
import _PeerLensTestSupport

/// Issue 17.5: leave-one-out coverage of the prediction intervals and the
/// influence check, each against an independent route: the pack's own
/// model run, refitted with the authority's value taken out.
@Suite(.serialized) struct LeaveOneOutCoverageTests {
  static func spec(_ id: String) throws -> ContextModelSpec {
    try ContextModelSpec.load(from: ContextModelTests.models.appendingPathComponent("context/\(id).toml"))
  }

  /// The same values with one authority's value removed (as if suppressed).
  static func masking(_ code: String, in values: [IndicatorValue], period: TimePeriod) -> [IndicatorValue] {
    values.map { v in
      guard v.level == .localAuthority, v.areaCode == code, v.period == period else { return v }
      return IndicatorValue(indicatorID: v.indicatorID, level: v.level, areaCode: v.areaCode, oldCode: v.oldCode,
                            name: v.name, period: v.period, value: nil, numerator: nil, denominator: v.denominator,
                            published: nil, status: .missing(.suppressed), fromPublished: false)
    }
  }

  /// On the full fit, the row prediction gives every authority exactly
  /// the position its pack shows, for every shipped model, by the limits
  /// and by the fast route through the distribution function: coverage
  /// and influence judge authorities as the packs do.
  @Test func rowPredictionsReproduceThePacksPositions() throws {
    let engine = try ContextModelTests.engine()
    var checked = 0
    for (url, spec) in try ContextModelSpec.loadAll(in: ContextModelTests.models.appendingPathComponent("context")) {
      let run = try engine.run(spec: spec)
      let tau2: Double? = {
        guard case .generalized(let g) = run.model, g.family == .quasiBinomial else { return nil }
        let t = g.priorWeights
        return LogitNormalPrediction.fit(successes: (0..<g.y.count).map { g.y[$0] * t[$0] }, trials: t,
                                         linearPredictor: g.linearPredictor).tauSquared
      }()
      for r in 0..<run.frame.design.rows {
        let a = run.authorities[run.frame.rowIndices[r]]
        let p = try #require(RowPrediction.of(row: r, frame: run.frame, model: run.model, full: run.model,
                                              logitNormalTau2: tau2))
        #expect(p.position == a.position, "\(url.lastPathComponent) \(a.code): \(p.position) vs \(a.position)")
        // The fast route (distribution function at the count) agrees.
        let fast = RowPrediction.position(row: r, frame: run.frame, model: run.model, full: run.model, logitNormalTau2: tau2)
        #expect(fast == a.position, "\(url.lastPathComponent) \(a.code): fast \(fast ?? "nil") vs \(a.position)")
        checked += 1
      }
    }
    #expect(checked > 5000)
  }

  /// Each left-out position equals the position the pack's own model run
  /// gives the authority when its value is taken out of the data (exact
  /// for least squares and the negative binomial, where the refit is the
  /// whole model; quasi-binomial limits keep the full fit's τ², see
  /// RowPrediction).
  @Test func leftOutPositionsMatchARefitWithoutTheAuthority() throws {
    let engine = try ContextModelTests.engine()
    for id in ["sw_caseload", "cla_rate"] {
      let spec = try Self.spec(id)
      let ind = try engine.indicator(id)
      let values = try IndicatorCalculator(mirror: engine.mirror).values(ind)
      let run = try engine.run(spec: spec, values: values)
      let skill = try #require(run.skill)
      #expect(skill.positions.count == run.frame.design.rows)
      // Every fifteenth authority, and the ones outside the limits in the full fit.
      let rows = (0..<run.frame.design.rows).filter { $0 % 15 == 0 || run.authorities[run.frame.rowIndices[$0]].position != "within" }
      for r in rows {
        let a = run.authorities[run.frame.rowIndices[r]]
        let refit = try engine.run(spec: spec, period: run.period.code,
                                   values: Self.masking(a.code, in: values, period: run.period))
        let mine = try #require(refit.authorities.first { $0.code == a.code })
        // The refit predicts the authority without its value; judge its own value against those limits.
        let observed = try #require(a.observed)
        let l95 = try #require(mine.predictionLower95), u95 = try #require(mine.predictionUpper95)
        let l998 = try #require(mine.predictionLower998), u998 = try #require(mine.predictionUpper998)
        let expected = observed < l998 ? "below_99.8" : observed > u998 ? "above_99.8"
          : observed < l95 ? "below_95" : observed > u95 ? "above_95" : "within"
        #expect(skill.positions[r] == expected, "\(id) \(a.code): \(skill.positions[r] ?? "nil") vs \(expected)")
      }
      let calibration = ModelCalibration(run: run)
      let loo = try #require(calibration.leaveOneOut)
      #expect(loo.authorities == run.frame.design.rows)
      #expect(loo.outside95 == skill.positions.filter { $0 != "within" }.count)
    }
  }

  /// The most influential authority is the one with the largest Cook's
  /// distance, and the positions that change without it are exactly those
  /// the pack's own run changes when its value is taken out.
  @Test func influenceNamesThePositionsThatChange() throws {
    let engine = try ContextModelTests.engine()
    for id in ["sw_caseload", "cla_rate"] {
      let spec = try Self.spec(id)
      let ind = try engine.indicator(id)
      let values = try IndicatorCalculator(mirror: engine.mirror).values(ind)
      let run = try engine.run(spec: spec, values: values)
      let calibration = ModelCalibration(run: run)
      #expect(calibration.influence.count == LeaveOneOutSkill.influentialChecked)
      let top = try #require(calibration.influence.first)
      let cooks = run.model.cooksDistance
      #expect(top.cooksDistance == cooks.max())
      #expect(zip(calibration.influence, calibration.influence.dropFirst()).allSatisfy { $0.cooksDistance >= $1.cooksDistance })
      let refit = try engine.run(spec: spec, period: run.period.code,
                                 values: Self.masking(top.code, in: values, period: run.period))
      let before = Dictionary(uniqueKeysWithValues: run.authorities.map { ($0.code, $0.position) })
      let inFit = Set(run.frame.rowIndices.map { run.authorities[$0].code })
      let changed = refit.authorities.filter { $0.code != top.code && inFit.contains($0.code) && before[$0.code] != $0.position }
        .map(\.code).sorted()
      #expect(top.changed == changed, "\(id): \(top.changed) vs \(changed)")
    }
  }
}
