/// One thing that stands out for an authority on one indicator: the
/// statement an indicator section makes, with the question its learning
/// prompt asks.
///
/// Why one value for both: the learning prompts and the meeting summary
/// must say exactly what the indicator sections say (issue 19: a summary
/// that said "nothing stands out" beside a section flagged above the 99.8%
/// limit). Both are built from the same list of these.
public struct StandOut: Sendable, Codable, Equatable {
  /// What kind of evidence stands out; the summary orders by it, strongest first.
  public enum Kind: String, Sendable, Codable, Comparable {
    /// Outside the 99.8% prediction limit given the area's context.
    case outsideGivenContext = "outside_99.8_given_context"
    /// A sustained run or trend in the authority's own series (SPC).
    case sustainedChange = "sustained_special_cause"
    /// Outside the funnel's 99.8% limit against England, before context.
    case outsideAgainstEngland = "outside_99.8_against_england"
    /// One point unusual against the authority's own history (SPC).
    case unusualPoint = "special_cause_point"

    var order: Int {
      switch self {
      case .outsideGivenContext: 0
      case .sustainedChange: 1
      case .outsideAgainstEngland: 2
      case .unusualPoint: 3
      }
    }

    public static func < (a: Kind, b: Kind) -> Bool { a.order < b.order }
  }

  public let indicatorID: String
  /// The indicator section's anchor in the pack (`#indicator-…`).
  public let anchor: String
  public let kind: Kind
  /// The neutral statement, beginning with the indicator's short title.
  public let statement: String
  /// The question the learning prompt asks about it.
  public let question: String
  /// Years running outside the limit (1 for a single year or an SPC signal):
  /// more years are stronger evidence of the same kind.
  public let years: Int
  /// The prompts' order (higher first), kept from before the summary
  /// existed; an ordering detail, not written to JSON.
  var salience: Int = 0

  enum CodingKeys: String, CodingKey { case indicatorID, anchor, kind, statement, question, years }

  /// The learning prompt: the statement, then the question.
  public var prompt: String { "\(statement); \(question)" }

  /// The summary's order: kind, then more years first, then the catalogue's order.
  static func byEvidence(_ list: [StandOut], catalogueOrder: [String: Int]) -> [StandOut] {
    list.sorted { a, b in
      if a.kind != b.kind { return a.kind < b.kind }
      if a.years != b.years { return a.years > b.years }
      return (catalogueOrder[a.indicatorID] ?? .max, a.statement) < (catalogueOrder[b.indicatorID] ?? .max, b.statement)
    }
  }
}
