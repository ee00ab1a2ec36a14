import Foundation
import PeerLensData
import PeerLensStatistics

/// Bootstrap percentile intervals for a model's coefficients (and θ for
/// the negative binomial): the model is refitted on resamples of its rows,
/// on all cores, with the same fitting path as the original fit.
///
/// Useful where the model-based standard errors rest on assumptions the
/// data may not meet (over-dispersion beyond the family, a few influential
/// authorities).
public struct BootstrapSummary: Sendable {
  public struct Parameter: Sendable {
    public let name: String
    public let estimate: Double?
    /// Standard deviation of the bootstrap estimates.
    public let standardError: Double?
    public let lower: Double?
    public let upper: Double?
    /// Resamples that gave a finite estimate of this parameter.
    public let resamplesUsed: Int
  }

  public let parameters: [Parameter]
  public let resamples: Int
  /// Resamples on which the refit failed outright.
  public let failed: Int
  /// Resamples left out whole because a coefficient the full fit estimates
  /// could not be estimated on them (a factor level absent from the draw):
  /// the pivoted fit then drops a column and the others change meaning
  /// (without level `a`, the intercept becomes level `c`'s mean), so
  /// pooling them mixed two parameters in one interval.
  public let aliased: Int
  public let level: Double
  public let seed: UInt64?

  /// Refits `frame` on each resample of `bootstrap` and summarises.
  public static func compute(frame: ModelFrame, family: FamilyName, link: Link? = nil, original: FittedModel,
                             bootstrap: CaseBootstrap, level: Double = 0.95, seed: UInt64? = nil) -> BootstrapSummary {
    let names = original.coefficientNames + (original.theta != nil ? ["theta"] : [])
    let estimable = original.coefficients.map { $0 != nil }
    // nil: the refit failed; []: left out whole, as a coefficient the full
    // fit estimates was aliased in the resample (see `aliased`).
    let raw = bootstrap.run { rows in
      let fit = try FittedModel.fit(frame: frame.selectingRows(rows), family: family, link: link)
      if zip(estimable, fit.coefficients).contains(where: { $0 && $1 == nil }) { return [] }
      return fit.coefficients.map { $0 ?? .nan } + (original.theta != nil ? [fit.theta ?? .nan] : [])
    }
    let draws = raw.filter { $0?.isEmpty != true }
    let estimates = original.coefficients + (original.theta.map { [$0] } ?? [])
    let parameters = names.indices.map { k -> Parameter in
      let values = draws.compactMap { $0?[k] }.filter(\.isFinite)
      let interval = CaseBootstrap.percentileInterval(values, level: level)
      var sd: Double? = nil
      if values.count > 1 {
        let mean = values.reduce(0, +) / Double(values.count)
        sd = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)).squareRoot()
      }
      return Parameter(name: names[k], estimate: estimates[k], standardError: sd, lower: interval?.lower,
                       upper: interval?.upper, resamplesUsed: values.count)
    }
    return BootstrapSummary(parameters: parameters, resamples: raw.count, failed: raw.filter { $0 == nil }.count,
                            aliased: raw.filter { $0?.isEmpty == true }.count,
                            level: level, seed: seed)
  }

  /// A plain-text table for the `fit` command.
  public var text: String {
    let pct = String(format: "%g", level * 100)
    var lines = ["Bootstrap (\(resamples) case resamples\(seed.map { ", seed \($0)" } ?? "")): percentile \(pct)% intervals"]
    let width = max(12, parameters.map(\.name.count).max() ?? 0)
    func f(_ x: Double?) -> String { x.map { RegressionSummary.fmt($0) } ?? "NA" }
    let rows = parameters.map { [f($0.estimate), f($0.standardError), f($0.lower), f($0.upper)] }
    let heads = ["Estimate", "Boot. SE", "Lower", "Upper"]
    // Each column ten wide, or as wide as its longest number and a space:
    // a long number (-5.802e-09) ran into the one before it.
    let widths = heads.indices.map { j in max(10, 1 + (rows.map { $0[j].count }.max() ?? 0)) }
    func line(_ name: String, _ cells: [String], _ used: String) -> String {
      "  " + name.padding(toLength: width, withPad: " ", startingAt: 0) + " "
        + zip(cells, widths).map { $0.leftPadded(to: $1) }.joined() + used.leftPadded(to: 7)
    }
    lines.append(line("", heads, "Used"))
    for (p, cells) in zip(parameters, rows) { lines.append(line(p.name, cells, String(p.resamplesUsed))) }
    if failed > 0 { lines.append("  \(failed) resample(s) could not be refitted and are left out.") }
    if aliased > 0 {
      lines.append("  \(aliased) resample(s) left out whole: a coefficient could not be estimated in them (such as a "
        + "factor level absent from the draw), which changes what the other coefficients measure.")
    }
    return lines.joined(separator: "\n") + "\n"
  }
}

extension String {
  fileprivate func leftPadded(to width: Int) -> String {
    count >= width ? self : String(repeating: " ", count: width - count) + self
  }
}
