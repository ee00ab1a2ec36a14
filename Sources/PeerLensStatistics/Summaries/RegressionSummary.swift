import Foundation

/// A model summary as a value: the coefficient table, fit statistics and
/// numbered notes, with no formatting decided yet (R's `summary.lm`
/// object; statsmodels' `Summary`). `text` renders it the way R's
/// `print.summary.lm` / `print.summary.glm` lay it out.
public struct RegressionSummary: Sendable {
  public struct Row: Sendable {
    public let term: String
    public let estimate: Double?
    public let standardError: Double?
    public let statistic: Double?
    public let pValue: Double?
  }

  /// The call line, e.g. `lm(formula = y ~ x)`.
  public let call: String
  /// Deviance or ordinary residuals, summarised by quantiles.
  public let residualLabel: String
  public let residuals: [Double]
  /// `["Estimate", "Std. Error", "t value", "Pr(>|t|)"]` or the z version.
  public let columnLabels: [String]
  public let rows: [Row]
  /// Lines after the coefficient table (residual standard error, R², …).
  public let statisticsLines: [String]
  /// Numbered notes (aliasing, convergence, conditioning).
  public let notes: [String]

  /// The summary laid out like R's.
  public var text: String {
    var out = "\nCall:\n\(call)\n\n"
    if !residuals.isEmpty {
      out += "\(residualLabel):\n"
      if residuals.count > 5 {
        let q = Quantiles.type7(residuals, [0, 0.25, 0.5, 0.75, 1])
        out += Self.table(header: ["Min", "1Q", "Median", "3Q", "Max"], rows: [q.map { Self.fmt($0) }], rowNames: [""], lastLeft: false)
      } else {
        out += residuals.map { Self.fmt($0) }.joined(separator: " ") + "\n"
      }
      out += "\n"
    }
    let aliasedCount = rows.filter { $0.estimate == nil }.count
    out += aliasedCount > 0 ? "Coefficients: (\(aliasedCount) not defined because of singularities)\n" : "Coefficients:\n"
    let body: [[String]] = rows.map { r in
      guard let b = r.estimate else { return ["NA", "NA", "NA", "NA", ""] }
      return [Self.fmt(b), r.standardError.map { Self.fmt($0) } ?? "NA", r.statistic.map { Self.fmt($0, digits: 3) } ?? "NA",
              r.pValue.map(Self.formatP) ?? "NA", r.pValue.map(Self.stars) ?? ""]
    }
    out += Self.table(header: columnLabels + [""], rows: body, rowNames: rows.map(\.term))
    out += "---\nSignif. codes:  0 ‘***’ 0.001 ‘**’ 0.01 ‘*’ 0.05 ‘.’ 0.1 ‘ ’ 1\n\n"
    out += statisticsLines.joined(separator: "\n") + "\n"
    if !notes.isEmpty {
      out += "\nNotes:\n"
      for (k, n) in notes.enumerated() { out += "[\(k + 1)] \(n)\n" }
    }
    return out
  }

  // MARK: - Formatting helpers (one place for number format)

  /// About `digits` significant digits, R-style (`format(signif(x, 4))`).
  public static func fmt(_ x: Double, digits: Int = 4) -> String {
    if x.isNaN { return "NaN" }
    if x.isInfinite { return x > 0 ? "Inf" : "-Inf" }
    if x == 0 { return "0" }
    let mag = abs(x)
    if mag >= 1e-4 && mag < 1e15 {
      let decimals = max(0, digits - 1 - Int(floor(log10(mag))))
      var s = String(format: "%.\(decimals)f", x)
      if s.contains(".") {
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
      }
      return s
    }
    return String(format: "%.\(max(0, digits - 1))e", x)
  }

  /// A p-value as R prints it: below double precision's resolution near 1
  /// (2.2e-16) "<2e-16", not a 0 that claims certainty.
  public static func formatP(_ p: Double) -> String {
    if p < 2.2e-16 { return "<2e-16" }
    if p < 1e-4 { return String(format: "%.2e", p) }
    return fmt(p, digits: 3)
  }

  static func stars(_ p: Double) -> String {
    p < 0.001 ? "***" : p < 0.01 ? "**" : p < 0.05 ? "*" : p < 0.1 ? "." : " "
  }

  static func table(header: [String], rows: [[String]], rowNames: [String], lastLeft: Bool = true) -> String {
    let nameWidth = rowNames.map(\.count).max() ?? 0
    var widths = header.map(\.count)
    for r in rows { for (j, c) in r.enumerated() where j < widths.count { widths[j] = max(widths[j], c.count) } }
    func pad(_ s: String, _ w: Int, left: Bool) -> String {
      let p = String(repeating: " ", count: max(0, w - s.count))
      return left ? s + p : p + s
    }
    var out = pad("", nameWidth, left: true)
    for (j, h) in header.enumerated() { out += " " + pad(h, widths[j], left: lastLeft && j == header.count - 1) }
    out += "\n"
    for (i, r) in rows.enumerated() {
      out += pad(rowNames[i], nameWidth, left: true)
      for (j, c) in r.enumerated() { out += " " + pad(c, widths[j], left: lastLeft && j == header.count - 1) }
      out += "\n"
    }
    return out
  }
}

/// Sample quantiles.
public enum Quantiles {
  /// R's default (type 7) quantiles: linear interpolation between order
  /// statistics at `(n − 1)p`.
  public static func type7(_ values: [Double], _ probabilities: [Double]) -> [Double] {
    let s = values.sorted()
    guard !s.isEmpty else { return probabilities.map { _ in .nan } }
    return probabilities.map { p in
      let h = Double(s.count - 1) * p
      let lo = Int(floor(h)), hi = min(lo + 1, s.count - 1)
      return s[lo] + (h - Double(lo)) * (s[hi] - s[lo])
    }
  }

  /// The plain median: the middle value, or the mean of the two middle
  /// values (what the DfE dashboard and R's `median` compute).
  public static func median(_ values: [Double]) -> Double {
    let s = values.sorted()
    guard !s.isEmpty else { return .nan }
    let m = s.count / 2
    return s.count % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2
  }
}
