import Foundation
import Testing
import PeerLensAnalysis
import PeerLensData
import PeerLensReports

/// One story per indicator (issue 17.2) and context that earns its place
/// (issue 24.1), on the real national run.
@Suite(.serialized) struct StatementConsistencyTests {
  /// No-further-action: context predicts worse than pooling (the review
  /// measured −0.109), so no expected value anywhere; children in care:
  /// skill ≥ 0.5 and the expected value is there.
  @Test func contextSkillDecidesWhetherTheExpectedValueIsShown() throws {
    let run = try Fixtures.real.get()
    let nfa = try #require(run.indicators.first { $0.indicator.id == "nfa_pct" }?.model)
    let cla = try #require(run.indicators.first { $0.indicator.id == "cla_rate" }?.model)
    #expect(try #require(nfa.contextSkill) <= 0)
    #expect(try #require(cla.contextSkill) >= 0.5)
    #expect(!nfa.showsExpectation && cla.showsExpectation)

    let pack = try PackBuilder(run: run, software: "PeerLens test").authorityPack(code: "E06000017")  // Rutland
    let nfaSection = try #require(pack.indicators.first { $0.id == "nfa_pct" })
    #expect(nfaSection.expected == nil && nfaSection.predictionLower == nil && nfaSection.contextPosition == nil)
    #expect(nfaSection.sentence.contains("does not predict this indicator"))
    #expect(!nfaSection.sentence.contains("given the area's context"))
    let claSection = try #require(pack.indicators.first { $0.id == "cla_rate" })
    #expect(claSection.expected != nil)

    // values.csv: empty expected columns for nfa_pct, filled for cla_rate; context_skill present.
    let csv = try CSVReader.parse(ValuesTable.render(run), source: "values.csv")
    let col = { (name: String) in csv.columnNames.firstIndex(of: name)! }
    let (id, period, expected, lower, upper, skill) = (col("indicator_id"), col("time_period"), col("expected"),
                                                       col("expected_lower"), col("expected_upper"), col("context_skill"))
    let nfaLatest = try #require(run.indicators.first { $0.indicator.id == "nfa_pct" }?.latest).code
    let claLatest = try #require(run.indicators.first { $0.indicator.id == "cla_rate" }?.latest).code
    var nfaRows = 0, claFilled = 0
    for r in 0..<csv.rowCount {
      let row = csv.cells.map { $0[r] }
      if row[id] == "nfa_pct" && row[period] == nfaLatest {
        nfaRows += 1
        #expect(row[expected].isEmpty && row[lower].isEmpty && row[upper].isEmpty)
        #expect(Double(row[skill]).map { $0 <= 0 } == true)
      }
      if row[id] == "cla_rate" && row[period] == claLatest && !row[expected].isEmpty {
        claFilled += 1
        #expect(Double(row[skill]).map { $0 >= 0.5 } == true)
      }
    }
    #expect(nfaRows > 100 && claFilled > 100)
  }

  /// Every indicator section that says something stands out (outside a
  /// 99.8% limit, before or after context, or special-cause variation over
  /// time) has a learning prompt about that indicator, in every authority's pack.
  @Test func everyStandOutStatementHasItsPrompt() throws {
    let run = try Fixtures.real.get()
    let builder = PackBuilder(run: run, software: "PeerLens test")
    var standOuts = 0
    for a in run.authorities {
      let pack = try builder.authorityPack(code: a.code)
      for s in pack.indicators {
        let says998 = s.sentence.contains("99.8% limit") && !s.sentence.contains("inside the 99.8%")
          && (s.funnelFlag?.hasSuffix("99.8") == true || s.contextPosition?.hasSuffix("99.8") == true)
        let saysOverTime = s.spcNote?.hasPrefix("Over time:") == true
        guard says998 || saysOverTime else { continue }
        standOuts += 1
        let title = run.indicators.first { $0.indicator.id == s.id }.map { $0.indicator.shortTitle ?? $0.indicator.title }!
        #expect(pack.prompts.contains { $0.hasPrefix(title + ":") }, "\(a.name): \(s.id) stands out but has no prompt")
      }
      if a.code == "E06000017", let nfa = pack.indicators.first(where: { $0.id == "nfa_pct" }),
         nfa.funnelFlag?.hasSuffix("99.8") == true {
        // Rutland's no-further-action rate: when the funnel flags it, the prompt says so.
        #expect(pack.prompts.contains { $0.contains("99.8%") && $0.lowercased().contains("further action") })
      }
    }
    #expect(standOuts > 100)
  }
}

/// Every over-time statement of every summary agrees with the authority's
/// own series, on the real national run. The summary had said "a
/// sustained rise" of Wokingham's section 47 enquiries after seven years
/// of falls (a run below the average read as a direction), and
/// "unusually high" of points inside the process limits.
@Suite(.serialized) struct OverTimeStatementTests {
  @Test func everyOverTimeStatementIsWhatTheSeriesShows() throws {
    let run = try Fixtures.real.get()
    let builder = PackBuilder(run: run, software: "PeerLens test")
    let benches = Dictionary(uniqueKeysWithValues: run.indicators.map { ($0.indicator.id, $0) })
    var checked = [String: Int]()
    for a in run.authorities {
      let pack = try builder.authorityPack(code: a.code)
      for s in pack.summary?.standsOut ?? [] where s.kind == .sustainedChange || s.kind == .unusualPoint {
        let points = try #require(benches[s.indicatorID]?.spc[a.code]?.points)
        let values = points.compactMap(\.value)
        let last = try #require(points.last)
        let v = try #require(last.value), mean = try #require(last.mean)
        let place = "\(a.name), \(s.indicatorID): \(s.statement)"
        if let n = Self.number(in: s.statement, after: "sustained "), s.statement.contains("periods in a row each") {
          let rising = s.statement.contains("sustained rise")
          let tail = Array(values.suffix(n))
          #expect(tail.count == n && zip(tail, tail.dropFirst()).allSatisfy { rising ? $1 > $0 : $1 < $0 }, "\(place) \(tail)")
          checked["trend", default: 0] += 1
        } else if let n = Self.number(in: s.statement, after: "the last "), s.statement.contains("own average") {
          let above = s.statement.contains("all above")
          let tail = points.suffix(n)
          #expect(tail.allSatisfy { p in p.value.map { above ? $0 > p.mean! : $0 < p.mean! } ?? false }, "\(place)")
          #expect(above == (v > mean), "\(place)")
          checked["shift", default: 0] += 1
        } else if s.statement.contains("outside its process limits") {
          let upper = try #require(last.upperLimit), lower = try #require(last.lowerLimit)
          #expect(s.statement.contains("unusually high") ? v > upper : v < lower, "\(place)")
          checked["outside", default: 0] += 1
        } else if s.statement.contains("two of the last three points are close") {
          let high = s.statement.contains("upper process limit")
          let close = points.suffix(3).filter { p in
            guard let x = p.value, let m = p.mean, let u = p.upperLimit, let l = p.lowerLimit else { return false }
            return high ? x > m + 2 * (u - m) / 3 && x <= u : x < m - 2 * (m - l) / 3 && x >= l
          }
          #expect(close.count >= 2, "\(place)")
          checked["close", default: 0] += 1
        } else {
          Issue.record("an over-time statement of no known form: \(place)")
        }
      }
    }
    // Each form occurs in the real packs, so each check above has run.
    #expect(Set(checked.keys) == ["trend", "shift", "outside", "close"], "\(checked)")
  }

  /// The whole number after `prefix` in `text`, possibly after a word ("sustained fall, 7").
  static func number(in text: String, after prefix: String) -> Int? {
    guard let r = text.range(of: prefix) else { return nil }
    let digits = text[r.upperBound...].drop { !$0.isNumber }.prefix { $0.isNumber }
    return Int(digits)
  }
}

/// Intervals stay on the scale and are as wide as the evidence at every
/// size, on the real national run (issues 24.2 and 24.3).
@Suite(.serialized) struct NationalIntervalTests {
  @Test func noPercentageIntervalLeavesTheScaleAndNoRateGoesBelowZero() throws {
    let run = try Fixtures.real.get()
    var checked = 0
    for bench in run.indicators {
      guard let m = bench.model, bench.indicator.unit != .score else { continue }
      let top = bench.indicator.unit == .percentage ? 100.0 : Double.infinity
      for a in m.authorities {
        for x in [a.predictionLower95, a.predictionUpper95, a.predictionLower998, a.predictionUpper998].compactMap({ $0 }) {
          #expect(x >= 0 && x <= top, "\(bench.indicator.id) \(a.name): \(x)")
          checked += 1
        }
      }
    }
    #expect(checked > 15_000)
  }

  /// Pooled over every model, the share of authorities outside their own
  /// 95% prediction interval is between 3% and 7% in each third of size.
  @Test func calibrationHoldsInEveryThirdOfSize() throws {
    let run = try Fixtures.real.get()
    var outside = [0, 0, 0], total = [0, 0, 0]
    for bench in run.indicators {
      guard let m = bench.model else { continue }
      let c = ModelCalibration(run: m)
      for (k, t) in c.bySize.enumerated() { outside[k] += t.outside95; total[k] += t.authorities }
    }
    for k in 0..<3 {
      let share = Double(outside[k]) / Double(total[k])
      #expect(share >= 0.03 && share <= 0.07, "third \(k + 1): \(outside[k]) of \(total[k])")
    }
  }
}

/// The after-context funnel uses the model family's variance (issue 24.4).
@Suite(.serialized) struct AfterContextFunnelTests {
  /// φ for care leavers in suitable accommodation, computed by hand with
  /// the binomial variance E(1 − μ): z = (√(O/E) − 1)/(√(1 − μ)/(2√E)),
  /// winsorised at the 10th and 90th percentiles, φ = mean z².
  @Test func proportionPhiUsesTheBinomialVariance() throws {
    let run = try Fixtures.real.get()
    let m = try #require(run.indicators.first { $0.indicator.id == "care_leavers_suitable_accommodation_19_21_pct" }?.model)
    var z: [Double] = []
    for a in m.authorities {
      guard let obs = a.observed, let exp = a.expected, let n = a.denominator, a.zScore != nil else { continue }
      let o = obs / 100 * n, e = exp / 100 * n, mu = exp / 100
      z.append(((o / e).squareRoot() - 1) / ((1 - mu).squareRoot() / (2 * e.squareRoot())))
    }
    let sorted = z.sorted()
    func type7(_ p: Double) -> Double {
      let h = Double(sorted.count - 1) * p
      let lo = Int(h.rounded(.down))
      return sorted[lo] + (h - Double(lo)) * (sorted[min(lo + 1, sorted.count - 1)] - sorted[lo])
    }
    let (q10, q90) = (type7(0.1), type7(0.9))
    let phi = z.map { min(max($0, q10), q90) }.reduce(0) { $0 + $1 * $1 } / Double(z.count)
    #expect(z.count > 100)
    #expect(abs(m.funnelPhi - phi) < 1e-9, "φ \(m.funnelPhi) vs hand \(phi)")
    // The independent review measured φ = 3.89 with the binomial variance (0.461 with Poisson's).
    #expect(abs(m.funnelPhi - 3.89) < 0.1, "φ \(m.funnelPhi)")
  }
}

/// Shrinkage towards what the model expects (issue 24.5), on the real run.
@Suite(.serialized) struct NationalShrinkageTests {
  @Test func shrunkValuesLieBetweenObservedAndExpected() throws {
    let run = try Fixtures.real.get()
    var checked = 0
    for bench in run.indicators {
      guard let m = bench.model, m.showsExpectation, m.model.theta != nil || m.model.isBinomialFamily else { continue }
      for a in m.authorities {
        guard let o = a.observed, let e = a.expected, let s = a.shrunk else { continue }
        #expect(s >= min(o, e) - 1e-9 && s <= max(o, e) + 1e-9, "\(bench.indicator.id) \(a.name): \(o) \(e) \(s)")
        checked += 1
      }
    }
    #expect(checked > 2000)
    // Rutland's child protection plan rate: 47.4 observed, about 40.5 expected; the shrunk value moves towards 40.5.
    let cpp = try #require(run.indicators.first { $0.indicator.id == "cpp_start_rate" }?.model?.authorities.first { $0.code == "E06000017" })
    let (o, e, s) = (try #require(cpp.observed), try #require(cpp.expected), try #require(cpp.shrunk))
    #expect(o > e && s < o && s > e)
    // values.csv carries shrunk and rank_shrunk for the model's period.
    let csv = try CSVReader.parse(ValuesTable.render(run), source: "values.csv")
    // (Issue 14 appends the official tools' columns after these.)
    let k = try #require(csv.columnNames.firstIndex(of: "context_skill"))
    #expect(Array(csv.columnNames[k..<min(k + 5, csv.columnNames.count)]) == ["context_skill", "shrunk", "rank_shrunk", "rank_lower", "rank_upper"])
  }
}

/// Rank intervals in values.csv (issue 17.4) on the real run.
@Suite(.serialized) struct NationalRankIntervalTests {
  @Test func rankIntervalsBracketTheRankAndAreMissingWithoutPolarity() throws {
    let run = try Fixtures.real.get()
    let csv = try CSVReader.parse(ValuesTable.render(run), source: "values.csv")
    let k = try #require(csv.columnNames.firstIndex(of: "rank_lower"))
    #expect(csv.columnNames[k + 1] == "rank_upper")
    let col = { (name: String) in csv.columnNames.firstIndex(of: name)! }
    let (id, period, value, lo, hi) = (col("indicator_id"), col("time_period"), col("value"), col("rank_lower"), col("rank_upper"))
    var withInterval = 0
    let benches = Dictionary(uniqueKeysWithValues: run.indicators.map { ($0.indicator.id, $0) })
    var byIndicator: [String: [(value: Double, lower: Int, upper: Int)]] = [:]
    for r in 0..<csv.rowCount {
      let row = csv.cells.map { $0[r] }
      guard let bench = benches[row[id]] else { continue }
      if bench.indicator.polarity == .noJudgement { #expect(row[lo].isEmpty && row[hi].isEmpty) }
      guard let l = Int(row[lo]), let u = Int(row[hi]), let v = Double(row[value]) else { continue }
      #expect(row[period] == bench.latest?.code)
      #expect(1 <= l && l <= u)
      byIndicator[row[id], default: []].append((v, l, u))
      withInterval += 1
    }
    #expect(withInterval > 1500)
    // The best raw value's interval starts near the top; the raw rank lies inside its interval for most authorities.
    for (key, rows) in byIndicator {
      let higher = benches[key]!.indicator.polarity == .higherIsBetter
      let sorted = rows.sorted { higher ? $0.value > $1.value : $0.value < $1.value }
      var inside = 0
      for (k, r) in sorted.enumerated() where r.lower <= k + 1 && k + 1 <= r.upper { inside += 1 }
      #expect(Double(inside) >= 0.8 * Double(rows.count), "\(key): raw rank inside its interval for \(inside) of \(rows.count)")
    }
  }

  /// The intervals come from the parametric bootstrap of the contextual
  /// model wherever the indicator has a binomial or negative binomial one
  /// (issue 17.4), and that bootstrap is what values.csv shows.
  @Test func intervalsComeFromTheModelBootstrapWhereThereIsAModel() throws {
    let run = try Fixtures.real.get()
    let booted = run.indicators.filter { RankUncertainty.modelBootstrap($0) != nil }
    #expect(booted.count >= 20, "\(booted.count) indicators with a model bootstrap")
    let bench = try #require(booted.first { $0.indicator.id == "cla_long_term_stability_pct" } ?? booted.first)
    let boot = try #require(RankUncertainty.modelBootstrap(bench))
    let intervals = RankUncertainty.intervals(bench)
    let own = boot.intervals(higherIsBetter: bench.indicator.polarity == .higherIsBetter)
    // Each authority in the model: the bootstrap's interval, widened to
    // take in its published rank. The pack ranks in code order, the
    // bootstrap here in the model's row order, so the random draws fall
    // differently: the ends agree to Monte Carlo error.
    var differences: [Int] = []
    for (code, row) in boot.row {
      guard let p = bench.latest, let iv = intervals[code], let rank = bench.rank[p]?[code], bench.countsInSummaries(code, p)
      else { continue }
      differences += [abs(iv.lower - min(own[row].lower, rank)), abs(iv.upper - max(own[row].upper, rank))]
    }
    #expect(differences.count > 200)
    let sorted = differences.sorted()
    #expect(sorted[sorted.count / 2] <= 2 && sorted[sorted.count * 9 / 10] <= 8, "\(sorted)")
  }
}

/// The funnel before context holds its nominal rate (issue 17.1): pooled
/// over the indicators with negative-binomial or beta-binomial limits, the
/// share of authorities outside 95% is near 5% (additive limits flagged
/// about 13%), and every indicator with counts records why it uses its limits.
@Suite(.serialized) struct NationalFunnelCalibrationTests {
  @Test func distributionLimitsHoldTheirNominalRate() throws {
    let run = try Fixtures.real.get()
    var outside95 = 0, outside998 = 0, total = 0
    for bench in run.indicators where bench.indicator.hasCounts {
      #expect(bench.indicator.funnelLimitsReason != nil, "\(bench.indicator.id) has no funnel_limits_reason")
      guard bench.indicator.funnelLimits != "additive", let p = bench.latest, let flags = bench.funnel[p] else { continue }
      for (_, f) in flags {
        total += 1
        if f.flag != .within { outside95 += 1 }
        if f.flag.isOutside998 { outside998 += 1 }
      }
    }
    #expect(total > 3000)
    let share = Double(outside95) / Double(total)
    #expect(share > 0.03 && share < 0.08, "\(outside95) of \(total) outside 95%")
    #expect(Double(outside998) / Double(total) < 0.01, "\(outside998) of \(total) outside 99.8%")
  }
}

/// A figure made mostly of unaccompanied asylum-seeking children says so
/// where the summary calls it outside a limit (Kent's children entering
/// care: 83% of them), and the prompt on the asylum-seeking figure itself
/// asks no question about local practice.
@Suite(.serialized) struct PartClauseTests {
  @Test func kentsEntrantsToCareNameTheirAsylumSeekingShare() throws {
    let run = try Fixtures.real.get()
    let builder = PackBuilder(run: run, software: "PeerLens test")
    let kent = try builder.authorityPack(code: "E10000016")
    let entering = try #require(kent.summary?.standsOut.first { $0.indicatorID == "cla_starting_rate" },
                                "Kent's entrants to care no longer stand out: pick another authority")
    #expect(entering.statement.contains("unaccompanied asylum-seeking children are"), "\(entering.statement)")
    // The share said is the share in the data.
    let whole = try #require(run.indicators.first { $0.indicator.id == "cla_starting_rate" })
    let part = try #require(run.indicators.first { $0.indicator.id == "uasc_starting_rate" })
    let p = try #require(whole.latest)
    let share = try #require(part.value("E10000016", p)?.value) / (try #require(whole.value("E10000016", p)?.value))
    #expect(entering.statement.contains("are \(Int((100 * share).rounded()))% of it"), "\(entering.statement) \(share)")
    for prompt in kent.prompts where prompt.hasPrefix("UASC") {
      #expect(!prompt.contains("case audits"), "\(prompt)")
    }
    // Where the part is a small share, nothing is added.
    for a in run.authorities {
      let pack = try builder.authorityPack(code: a.code)
      for s in pack.summary?.standsOut ?? [] where s.indicatorID == "cla_starting_rate" {
        guard let w = whole.value(a.code, p)?.value, let u = part.value(a.code, p)?.value else { continue }
        #expect(s.statement.contains("asylum-seeking") == (u >= 0.25 * w), "\(a.name): \(s.statement)")
      }
    }
  }
}
