import Foundation
import PeerLensAnalysis
import PeerLensData

/// Refits an indicator's contextual model with other context variables,
/// in process, for the model workbench.
///
/// The refit is a spec like the shipped ones: the shipped model's family,
/// link, response and offset, with the chosen variables as its terms. The
/// spec is written as `Models/context/<id>.toml` text first and read back
/// through the same decoder `peerlens model fit` uses, so the file offered
/// for download reproduces the fit shown. An indicator's values are read
/// from the data once, on first use, and kept.
final class WorkbenchEngine: @unchecked Sendable {
  let run: NationalRun
  private let lock = NSLock()
  private var values: [String: [IndicatorValue]] = [:]
  /// The context columns a model may use (numeric, and not the response's own columns).
  let columns: [String]

  /// At most this many variables in one refit.
  static let maximumVariables = 12

  init(run: NationalRun) {
    self.run = run
    let reserved: Set<String> = ["numerator", "denominator", "value", "new_la_code", "old_la_code", "la_name"]
    self.columns = run.context.numericColumns.filter { !reserved.contains($0) }.sorted()
  }

  func indicatorValues(_ ind: Indicator) throws -> [IndicatorValue] {
    lock.lock()
    if let v = values[ind.id] { lock.unlock(); return v }
    lock.unlock()
    let v = try IndicatorCalculator(mirror: run.mirror).values(ind)
    lock.lock()
    values[ind.id] = v
    lock.unlock()
    return v
  }

  /// The shipped formula's parts: response, context terms and offsets.
  static func parts(_ formula: String) -> (response: String, terms: [String], offsets: [String]) {
    let sides = formula.split(separator: "~", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
    var terms: [String] = []
    var depth = 0
    var current = ""
    for c in sides.count > 1 ? sides[1] : "" {
      if c == "(" { depth += 1 }
      if c == ")" { depth -= 1 }
      if c == "+" && depth == 0 {
        terms.append(current.trimmingCharacters(in: .whitespaces))
        current = ""
      } else {
        current.append(c)
      }
    }
    terms.append(current.trimmingCharacters(in: .whitespaces))
    terms = terms.filter { !$0.isEmpty }
    return (sides.first ?? "", terms.filter { !$0.hasPrefix("offset(") }, terms.filter { $0.hasPrefix("offset(") })
  }

  /// The TOML of a spec with `variables` in place of the shipped terms.
  static func toml(shipped: ContextModelSpec, variables: [String]) -> String {
    let p = parts(shipped.formula)
    let rhs = (variables.isEmpty ? ["1"] : variables) + p.offsets
    let formula = p.response + " ~ " + rhs.joined(separator: " + ")
    var out = "# Contextual model refitted in the PeerLens explorer's workbench\n"
    out += "indicator = \(quoted(shipped.indicator))\nfamily = \(quoted(shipped.family.rawValue))\n"
    if let link = shipped.link { out += "link = \(quoted(link))\n" }
    // The shipped weighting too: without it a mean score's refit would be
    // unweighted, its intervals one width for every cohort.
    if let v = shipped.samplingVariance { out += "sampling_variance = \(quoted(v.rawValue))\n" }
    out += "formula = \(quoted(formula))\n"
    if let year = shipped.year { out += "year = \(quoted(year))\n" }
    out += "notes = \(quoted("The shipped model's family, offset and weighting with context variables chosen in the workbench: " + (variables.isEmpty ? "none" : variables.joined(separator: ", ")) + "."))\n"
    return out
  }

  /// A TOML basic string.
  static func quoted(_ s: String) -> String {
    var out = "\""
    for c in s.unicodeScalars {
      switch c {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      default: if c.value < 0x20 { out += String(format: "\\u%04X", c.value) } else { out.unicodeScalars.append(c) }
      }
    }
    return out + "\""
  }

  /// Checks a variable list from the query.
  func variables(_ asked: [String]) throws(ExplorerError) -> [String] {
    guard asked.count <= Self.maximumVariables else {
      throw .badRequest("At most \(Self.maximumVariables) context variables in one model; \(asked.count) were given.")
    }
    var out: [String] = []
    for v in asked {
      guard v.count <= 80, columns.contains(v) else {
        throw .notFound("No context variable '\(ExplorerText.shown(v))'. The variables are listed on the workbench page.")
      }
      if !out.contains(v) { out.append(v) }
    }
    return out
  }

  /// Fits the spec given as TOML for the shipped model's period.
  func refit(_ bench: IndicatorBench, shipped: ContextModelRun, toml: String) throws(ExplorerError) -> ContextModelRun {
    do {
      let spec = try ContextModelSpec.decode(toml, source: "\(bench.indicator.id).toml")
      // The path `peerlens model fit` takes, so a refit of the shipped
      // variables is that command's fit, to the last bit. The workbench
      // shows leave-one-out skill, not coverage or influence: not computed.
      let values = try indicatorValues(bench.indicator)
      return try ContextEngine(mirror: run.mirror, catalogue: run.catalogue)
        .run(spec: spec, period: shipped.period.code, values: values, context: run.context, coverage: false)
    } catch {
      throw .unprocessable("The model could not be fitted with these variables: \(error.localizedDescription)")
    }
  }
}
