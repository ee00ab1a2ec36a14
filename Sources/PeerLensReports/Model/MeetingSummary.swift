/// The two-page summary at the front of an authority pack: what a regional
/// lead reads the night before a peer-challenge meeting (issue 19).
///
/// It adds no statement of its own. What stands out is the indicator
/// sections' own stand-out statements (`StandOut`), ordered by strength of
/// evidence; the spine charts are the overview's; the context facts are the
/// context table's rows that the shown models lean on most.
public struct MeetingSummary: Sendable, Codable, Equatable {
  /// "Rutland · East Midlands · data to 2025 · compared with DfE statistical
  /// neighbours, 2025 model (…)"
  public let titleLine: String
  /// At most `cap`, strongest evidence first.
  public let standsOut: [StandOut]
  /// How many more the pack's indicator sections hold beyond the cap.
  public let moreStandOut: Int
  /// Three to five context facts, in words.
  public let contextFacts: [String]
  /// What the pack cannot say: indicators with no figure, suppressed values.
  public let cannotSay: String

  /// About eight: more would not be read in a meeting.
  public static let cap = 8
}
