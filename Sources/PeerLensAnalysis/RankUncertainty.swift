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
    let polarity = bench.indicator.polarity
    guard polarity != .noJudgement, let p = bench.latest else { return [:] }
    let unit = bench.indicator.unit
    guard unit == .percentage || unit == .ratePer10000, bench.indicator.hasFunnel else { return [:] }
    var codes: [String] = []
    var posts: [RankIntervals.Posterior] = []
    // A joint return is ranked once (under its first authority) and its
    // interval shown for each of its authorities.
    for code in bench.local.keys.sorted() where bench.countsInSummaries(code, p) {
      guard let v = bench.local[code]?[p], v.status == .ok, let x = v.numerator, let n = v.denominator, n > 0, x >= 0,
            !v.fromPublished else { continue }
      if unit == .percentage {
        guard x <= n else { continue }
        posts.append(.beta(a: x + 0.5, b: n - x + 0.5, scale: 100))
      } else {
        posts.append(.gamma(shape: x + 0.5, rate: n, scale: unit.multiplier))
      }
      codes.append(code)
    }
    guard codes.count >= 2 else { return [:] }
    let higher = polarity == .higherIsBetter
    let r: [(lower: Int, upper: Int)]
    if let boot = modelBootstrap(bench) {
      let rows = codes.map { boot.row[$0] }, posts = posts
      r = RankIntervals.compute(units: codes.count, higherIsBetter: higher, draws: draws) { g, values in
        guard boot.resample(&g, rows: rows, values: &values) else { return false }
        for k in values.indices where rows[k] == nil { values[k] = posts[k].draw(&g) / unit.multiplier }
        return true
      }
    } else {
      r = RankIntervals.compute(posts, higherIsBetter: higher, draws: draws)
    }
    var out = Dictionary(uniqueKeysWithValues: zip(codes, r).map { ($0, $1) })
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
