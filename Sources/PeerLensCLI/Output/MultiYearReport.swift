import Foundation
import PeerLensAnalysis
import PeerLensData
import PeerLensReports

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
      out += "(random intercept beyond ±1.96 standard errors); for the others a difference in one year is not persistent.\n\n"
      out += TextTable.render(header: ["code", "authority", "years", "effect", "s.e.", "z", "reading"],
                              rows: sorted.map { a in
                                [a.code, a.name, String(a.years), String(format: "%.3f", a.effect),
                                 String(format: "%.3f", a.standardError), String(format: "%.2f", a.z), a.reading.rawValue]
                              }) + "\n"
      return out
    }
  }
}
