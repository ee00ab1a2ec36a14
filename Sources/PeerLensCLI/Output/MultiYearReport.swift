import Foundation
import PeerLensAnalysis
import PeerLensData
import PeerLensReports
import PeerLensStatistics

/// `peerlens model fit --all-years`: the multi-year model's fixed effects
/// and each authority's random intercept with its reading.
enum MultiYearReport {
  static let header = ["new_la_code", "la_name", "years", "effect", "standard_error", "z", "reading"]

  static func render(_ m: MultiYearContextModel, format: OutputFormat) -> String {
    let sorted = m.authorities.sorted { $0.z != $1.z ? $0.z > $1.z : $0.code < $1.code }
    let cells = sorted.map { a in
      [a.code, a.name, String(a.years), CSVWriter.number(a.effect), CSVWriter.number(a.standardError), CSVWriter.number(a.z),
       a.reading.rawValue]
    }
    switch format {
    case .csv:
      return CSVWriter.render(header: header, rows: cells)
    case .json:
      let fixed: [(String, JSONValue)] = zip(m.termNames, m.fit.coefficients).map { ($0, .number($1)) }
      return JSONValue.object([
        ("indicator", .string(m.indicator.id)), ("family", .string(m.fit.family.rawValue)),
        ("periods", .array(m.periods.map { .string($0.code) })), ("observations", .integer(m.observations)),
        ("fixed_effects", .object(fixed)), ("random_intercept_sd", .number(m.fit.standardDeviation)),
        ("median_standard_error", medianStandardError(m).map { .number($0) } ?? .null),
        ("theta", m.fit.theta.map { .number($0) } ?? .null), ("log_likelihood", .number(m.fit.logLikelihood)),
        ("converged", .bool(m.fit.converged)),
        ("authorities", .array(sorted.map { a in
          .object([("new_la_code", .string(a.code)), ("la_name", .string(a.name)), ("years", .integer(a.years)),
                   ("effect", .number(a.effect)), ("standard_error", .number(a.standardError)), ("z", .number(a.z)),
                   ("reading", .string(a.reading.rawValue))])
        })),
      ]).rendered(pretty: true) + "\n"
    case .text:
      var out = "Indicator: \(m.indicator.title) (\(m.indicator.id)), \(m.periods.first!.label) to \(m.periods.last!.label)\n"
      out += "Multi-year \(m.fit.family.rawValue) model with an authority random intercept (Laplace approximation, as lme4's glmer), "
      out += "\(m.observations) authority-years of \(m.authorities.count) authorities.\n\n"
      out += TextTable.render(header: ["term", "estimate"],
                              rows: zip(m.termNames, m.fit.coefficients).map { [$0, String(format: "%.6f", $1)] }) + "\n"
      out += "Random intercept standard deviation: \(String(format: "%.4f", m.fit.standardDeviation))"
      if let t = m.fit.theta { out += "; θ: \(String(format: "%.3f", t))" }
      out += "; log-likelihood: \(String(format: "%.3f", m.fit.logLikelihood))"
      out += m.fit.converged ? "\n" : " (did not converge: read with care)\n"
      let higher = sorted.filter { $0.reading == .persistentlyHigher }.count
      let lower = sorted.filter { $0.reading == .persistentlyLower }.count
      out += "\n\(higher) authorities persistently higher and \(lower) persistently lower than expected given context "
      out += "(random intercept beyond ±1.96 standard errors); for the others a difference in one year is not persistent.\n"
      out += spreadNote(m) + "\n\n"
      out += TextTable.render(header: ["code", "authority", "years", "effect", "s.e.", "z", "reading"],
                              rows: sorted.map { a in
                                [a.code, a.name, String(a.years), String(format: "%.3f", a.effect),
                                 String(format: "%.3f", a.standardError), String(format: "%.2f", a.z), a.reading.rawValue]
                              }) + "\n"
      return out
    }
  }

  /// Why many authorities can read as persistent: the count compares the
  /// spread that context leaves between authorities with how well five
  /// years of figures place each one. Where the first is large beside the
  /// second, most authorities sit clearly on one side of their expectation,
  /// and the count measures what context leaves unexplained, not how many
  /// authorities stand out. Said in the output because a reader seeing
  /// "111 of 152" would otherwise take it for an alarm.
  /// The median of the authorities' random-intercept standard errors.
  static func medianStandardError(_ m: MultiYearContextModel) -> Double? {
    let errors = m.authorities.map(\.standardError).filter(\.isFinite)
    return errors.isEmpty ? nil : Quantiles.median(errors)
  }

  static func spreadNote(_ m: MultiYearContextModel) -> String {
    guard let median = medianStandardError(m) else { return "" }
    let sd = m.fit.standardDeviation
    let scale = m.fit.family == .negativeBinomial
      ? String(format: "about %.0f%% either way from their expectation (one standard deviation of the random intercept, %.3f on the log scale)",
               100 * (exp(sd) - 1), sd)
      : String(format: "by one standard deviation of %.3f on the log-odds scale (the random intercept)", sd)
    var note = "How to read the count: after context, authorities still differ \(scale), "
    note += String(format: "while the years of figures place each one to a median standard error of %.3f. ", median)
    note += median < sd / 2
      ? "With the spread this large beside each authority's uncertainty, most authorities sit clearly on one side of their expectation: the count says how much context leaves unexplained, not how many authorities stand out."
      : "The spread is not large beside each authority's uncertainty, so only authorities far from their expectation read as persistent."
    return note
  }
}
