import Foundation
import PeerLensAnalysis
import PeerLensData
import PeerLensStatistics

/// Context variables and model families in words for a sentence.
///
/// Why: the reader's review found model formulas with raw column names
/// (`pct_hh_in_rural_lsoa_ruc21`) under every chart and in the England
/// page's model table; a director reads "the share of households in rural
/// neighbourhoods". The specifications keep their formulas (Models/context).
enum ContextWords {
  /// Each context column a shipped model reads, as a phrase.
  static let phrases: [String: String] = [
    "imd19_avg_score": "deprivation (IMD 2019 average score)",
    "imd19_prop_lsoa_most_dep10": "the share of neighbourhoods in England's most deprived 10%",
    "income19_avg_score": "income deprivation (IMD 2019)",
    "idaci19_avg_score": "income deprivation affecting children (IDACI 2019)",
    "pct_ethnic_minority_excl_white_minorities": "the share of residents in Asian, Black, Mixed or other ethnic groups",
    "pct_white_british": "the share of residents who are White British",
    "pct_hh_overcrowded_bedrooms": "the share of households overcrowded",
    "pct_hh_social_rented": "the share of households socially rented",
    "pct_hh_private_rented": "the share of households privately rented",
    "pct_hh_in_rural_lsoa_ruc21": "the share of households in rural neighbourhoods",
    "pop_0_17_mid2024": "the number of children aged 0 to 17",
  ]

  /// A model term or coefficient name in words: a known column, or a known
  /// column under `log(…)`; anything else as written.
  static func term(_ name: String) -> String {
    if let p = phrases[name] { return p }
    if name.hasPrefix("log("), name.hasSuffix(")"), let p = phrases[String(name.dropFirst(4).dropLast())] {
      return "the logarithm of " + p
    }
    return name
  }

  /// The context a formula reads, in words ("deprivation (…), the share of
  /// households overcrowded and …"); nil for a model of the average alone.
  static func context(of formula: String) -> String? {
    guard let f = try? FormulaParser.parse(formula) else { return nil }
    var names: [String] = []
    for t in f.terms {
      let text = t.factors.map { term($0.label) }.joined(separator: " with ")
      if !text.isEmpty, !names.contains(text) { names.append(text) }
    }
    return names.isEmpty ? nil : EnglishList.joined(names)
  }

  /// The family as a kind of regression.
  static func family(_ f: FamilyName) -> String {
    switch f {
    case .gaussian: return "a linear regression of the figure"
    case .poisson: return "a Poisson regression of the count"
    case .quasipoisson: return "a quasi-Poisson regression of the count"
    case .negativeBinomial: return "a negative binomial regression of the count"
    case .binomial: return "a logistic (binomial) regression of the proportion"
    case .quasibinomial: return "a logistic (quasi-binomial) regression of the proportion"
    }
  }
}
