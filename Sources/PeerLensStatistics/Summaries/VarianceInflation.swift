import Foundation
import PeerLensNumerics

/// Variance inflation factors: how much each coefficient's variance grows
/// because its column can be predicted from the others, 1 / (1 − R²ⱼ)
/// with R²ⱼ from regressing column j on the rest (with the intercept).
///
/// Why: shares that add up to 100% (the five ethnic groups) fit without
/// any diagnostic, since rounding keeps the design just short of singular,
/// and the workbench showed coefficients of 2 ± 4 and an intercept of
/// −211 ± 421 with no word on why. The factors name the columns; above 10
/// is the usual sign (as in R's `car::vif` and most textbooks).
public enum VarianceInflation {
  /// The factor above which a column is named.
  public static let threshold = 10.0

  /// One factor per column other than the intercept, in column order, or
  /// nil when the design has no intercept (the factors are defined for
  /// centred columns), fewer than two other columns, a constant column, or
  /// columns so collinear that their correlation matrix is singular (the
  /// fit's aliasing diagnostic speaks of those).
  ///
  /// Computed as the diagonal of the inverse correlation matrix of the
  /// columns (Cholesky through LAPACK), which equals 1 / (1 − R²ⱼ).
  public static func factors(_ design: DesignMatrix) -> [(name: String, factor: Double)]? {
    guard design.hasIntercept else { return nil }
    let kept = (0..<design.columns).filter { design.assign[$0] != 0 }
    let n = design.rows
    guard kept.count >= 2, n > kept.count else { return nil }
    var columns: [[Double]] = []
    for j in kept {
      let x = design.matrix.column(j)
      let mean = x.reduce(0, +) / Double(n)
      let centred = x.map { $0 - mean }
      let length = centred.reduce(0) { $0 + $1 * $1 }.squareRoot()
      guard length > 0, length.isFinite else { return nil }
      columns.append(centred.map { $0 / length })
    }
    let z = Matrix(columns: columns)
    let correlation = z.transposeMultiplied(by: z)
    guard let inverse = try? Cholesky(correlation).inverse() else { return nil }
    return kept.indices.map { (design.columnNames[kept[$0]], inverse[$0, $0]) }
  }

  /// A sentence naming the columns above `threshold`, or nil when there
  /// are none.
  public static func note(_ design: DesignMatrix) -> String? {
    guard let all = factors(design) else { return nil }
    let high = all.filter { $0.factor > threshold }
    guard !high.isEmpty else { return nil }
    let values = high.map(\.factor)
    let range = values.count == 1 ? "a variance inflation factor of \(whole(values[0]))"
      : "variance inflation factors from \(whole(values.min()!)) to \(whole(values.max()!))"
    let names = EnglishList.joined(high.map(\.name))
    return "\(names) \(high.count == 1 ? "is" : "are") strongly collinear with \(high.count == all.count ? "each other" : "the other variables") (\(range); above "
      + "\(whole(threshold)) is the usual sign): \(high.count == 1 ? "its coefficient is" : "their coefficients are") "
      + "poorly determined and \(high.count == 1 ? "its" : "their") standard errors inflated, though the expected values "
      + "stay well defined. Shares that add up to a whole (of one population) always are: leave one of them out."
  }

  /// A factor as a whole number with thousands separators (12,345).
  static func whole(_ v: Double) -> String {
    guard v.isFinite, v < 1e15 else { return String(format: "%.3g", v) }
    let digits = String(Int(v.rounded()))
    var out = ""
    for (k, c) in digits.enumerated() {
      if k > 0 && (digits.count - k) % 3 == 0 { out.append(",") }
      out.append(c)
    }
    return out
  }
}
