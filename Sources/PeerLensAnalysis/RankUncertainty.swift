import Foundation
import PeerLensData
import PeerLensStatistics

/// 95% intervals for each authority's rank at an indicator's latest
/// period, on the same definition as the LAIT rank (1 = best by polarity;
/// none for indicators without polarity).
///
/// Where the indicator has a negative binomial or binomial contextual
/// model, by a parametric bootstrap of that model with a refit per
/// resample (`ModelRankBootstrap`), 1,000 seeded resamples across all
/// cores. Otherwise, and for an authority outside the model (no context),
/// each underlying value is drawn from its posterior given its own count
/// alone (Jeffreys prior: Beta(x + ½, n − x + ½) for percentages,
/// Gamma(x + ½) per denominator for rates).
public enum RankUncertainty {
  /// - Parameter draws: resamples (model refits) or posterior draws.
  public static func intervals(_ bench: IndicatorBench, draws: Int = 1000) -> [String: (lower: Int, upper: Int)] {
    intervals(of: [bench], draws: draws)[0]
  }

  /// The rank intervals of every indicator of `benches`, by indicator id.
  /// Each is the same as `intervals(_:draws:)` gives for it alone.
  public static func intervals(_ benches: [IndicatorBench], draws: Int = 1000) -> [String: [String: (lower: Int, upper: Int)]] {
    var out: [String: [String: (lower: Int, upper: Int)]] = [:]
    for (bench, r) in zip(benches, intervals(of: benches, draws: draws)) { out[bench.indicator.id] = r }
    return out
  }

  /// Each bench's intervals, in the order of `benches`.
  ///
  /// Why all at once: the draws of every indicator go to the cores as one
  /// pool of chunks (`RankIntervals.compute(_:)`), and the bootstraps'
  /// full fits are made side by side first; one indicator after another,
  /// a core waited at the end of each.
  static func intervals(of benches: [IndicatorBench], draws: Int) -> [[String: (lower: Int, upper: Int)]] {
    let plans = IndexedResults<Plan?>(count: benches.count)
    DispatchQueue.concurrentPerform(iterations: benches.count) { k in
      plans.set(k, .success(Plan(benches[k], draws: draws)))
    }
    // Only `set` above, never an error.
    let planned = (try? plans.values()) ?? []
    let jobs = planned.compactMap { $0?.job }
    var ranked = RankIntervals.compute(jobs)[...]
    return zip(benches, planned).map { bench, plan in
      guard let plan else { return [:] }
      return plan.intervals(ranked.removeFirst(), bench: bench)
    }
  }

  /// What one indicator's intervals need: the authorities ranked and the
  /// draws of their values.
  struct Plan {
    let codes: [String]
    let job: RankIntervals.Job

    /// Nil where the indicator has no rank intervals: no polarity, no
    /// funnel, no latest period, a unit other than a percentage or a rate,
    /// or fewer than two authorities with counts.
    init?(_ bench: IndicatorBench, draws: Int) {
      let polarity = bench.indicator.polarity
      guard polarity != .noJudgement, let p = bench.latest else { return nil }
      let unit = bench.indicator.unit
      guard unit == .percentage || unit == .ratePer10000, bench.indicator.hasFunnel else { return nil }
      var codes: [String] = []
      var posts: [RankIntervals.Posterior] = []
      // A joint return is ranked once (under its first authority) and its
      // interval shown for each of its authorities.
      for code in bench.local.keys.sorted() where bench.countsInSummaries(code, p) {
        // Counted as chance variation counts them: an absence rate in pupils, not sessions.
        guard let v = bench.local[code]?[p], v.status == .ok, let (x, n) = v.chanceCounts(bench.indicator), n > 0, x >= 0,
              !v.fromPublished else { continue }
        if unit == .percentage {
          guard x <= n else { continue }
          posts.append(.beta(a: x + 0.5, b: n - x + 0.5, scale: 100))
        } else {
          posts.append(.gamma(shape: x + 0.5, rate: n, scale: unit.multiplier))
        }
        codes.append(code)
      }
      guard codes.count >= 2 else { return nil }
      let higher = polarity == .higherIsBetter
      self.codes = codes
      if let boot = modelBootstrap(bench) {
        let rows = codes.map { boot.row[$0] }, posts = posts
        job = RankIntervals.Job(units: codes.count, higherIsBetter: higher, draws: draws) { g, values in
          guard boot.resample(&g, rows: rows, values: &values) else { return false }
          for k in values.indices where rows[k] == nil { values[k] = posts[k].draw(&g) / unit.multiplier }
          return true
        }
      } else {
        job = RankIntervals.Job(posts, higherIsBetter: higher, draws: draws)
      }
    }

    /// The intervals by authority code from `r`, the job's result.
    func intervals(_ r: [(lower: Int, upper: Int)], bench: IndicatorBench) -> [String: (lower: Int, upper: Int)] {
      var out = Dictionary(uniqueKeysWithValues: zip(codes, r).map { ($0, $1) })
      guard let p = bench.latest else { return out }
      // Widened to include the published rank: authorities tied on a
      // published figure (several at 100%) share the best rank, which draws
      // of the underlying figures rarely give, and an interval that leaves
      // out the rank beside it would read as a contradiction.
      for (code, iv) in out {
        guard let rank = bench.rank[p]?[code] else { continue }
        out[code] = (min(iv.lower, rank), max(iv.upper, rank))
      }
      for code in bench.jointReturns.keys where !bench.countsInSummaries(code, p) {
        out[code] = out[bench.firstOfJoint(code, p)]
      }
      return out
    }
  }

  /// The parametric bootstrap behind an indicator's rank intervals, or nil
  /// where they come from each authority's own count alone (no polarity,
  /// no funnel, or no negative binomial or binomial model of the latest
  /// period).
  public static func modelBootstrap(_ bench: IndicatorBench) -> ModelRankBootstrap? {
    let unit = bench.indicator.unit
    guard bench.indicator.polarity != .noJudgement, let p = bench.latest, let model = bench.model,
          unit == .percentage || unit == .ratePer10000, bench.indicator.hasFunnel else { return nil }
    return ModelRankBootstrap(model, latest: p)
  }
}
