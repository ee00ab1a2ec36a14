import Foundation

/// The numbers, flags and sentences of an authority pack, with no markup
/// (stage one of three: model → document → renderers). Snapshot-tested
/// as JSON; the HTML, CSV and JSON files are all rendered from it.
public struct AuthorityPack: Sendable, Codable, Equatable {
  public let code: String
  public let oldCode: String
  public let name: String
  public let region: String
  public let regionCode: String
  public let overview: [FrameworkGroup]
  public let context: [ContextRow]
  public let officialNeighbours: [NeighbourRef]
  public let modelNeighbours: [NeighbourRef]
  public let indicators: [IndicatorSection]
  public let breakdowns: [Breakdown]
  public let prompts: [String]
  public let changes: [String]
  /// Why `changes` is empty, where it is (`ChangesBasis.noChangeNote`).
  public var changesNote: String? = nil
  public let provenance: Provenance
  /// Ethnicity of children in care against the population and England's
  /// children in care (issue 23); nil when the data are not there.
  public var careEthnicity: CareEthnicitySection? = nil
  /// Ofsted ILACS judgement of the impact of leaders (issue 23).
  public var leadership: LeadershipSection? = nil
  /// Social workers by ethnic group against the population (issue 23).
  public var workforceEthnicity: WorkforceEthnicitySection? = nil
  /// The two-page meeting summary at the front of the pack (issue 19).
  public var summary: MeetingSummary? = nil
}

public struct FrameworkGroup: Sendable, Codable, Equatable {
  public let id: String
  public let title: String
  public let rows: [OverviewRow]
}

public struct OverviewRow: Sendable, Codable, Equatable {
  public let indicatorID: String
  public let title: String
  public let polarity: String
  public let unit: String
  public let period: String
  public let value: Double?
  public let display: String
  public let status: String
  public let england: Double?
  public let region: Double?
  public let neighbourMedian: Double?
  public let neighbourMin: Double?
  public let neighbourMax: Double?
  /// Range over all authorities (for the spine).
  public let allMin: Double?
  public let allMax: Double?
  public let funnelFlag: String?
  public let contextPosition: String?
}

public struct ContextRow: Sendable, Codable, Equatable {
  public let variable: String
  public let label: String
  public let value: Double?
  public let median: Double?
  /// Share of authorities with a lower value (0–100).
  public let percentile: Double?
}

public struct NeighbourRef: Sendable, Codable, Equatable {
  public let rank: Int
  public let code: String
  public let name: String
  public let band: String
}

public struct TrendPoint: Sendable, Codable, Equatable {
  public let period: String
  /// The period's place on its kind's time axis (`TimePeriod.step`), by
  /// which trend charts place it: a missing year leaves its space.
  public let step: Int?
  public let value: Double?
  public let status: String
  public let england: Double?
  public let region: Double?
  public let neighbourMedian: Double?
  public let spcFlags: [String]
  public let variation: String
  /// The XmR mean and process limits at this point (limits only with 12 or more points).
  public let spcMean: Double?
  public let spcUpper: Double?
  public let spcLower: Double?
}

public struct IndicatorSection: Sendable, Codable, Equatable {
  public let id: String
  public let anchor: String
  public let title: String
  public let framework: String
  public let description: String
  public let caveats: String?
  public let polarity: String
  public let unit: String
  public let decimals: Int
  public let period: String
  public let value: Double?
  public let numerator: Double?
  public let denominator: Double?
  public let status: String
  public let intervalLower: Double?
  public let intervalUpper: Double?
  public let intervalMethod: String?
  public let england: Double?
  public let region: Double?
  public let neighbourMedian: Double?
  public let trend: [TrendPoint]
  public let expected: Double?
  public let predictionLower: Double?
  public let predictionUpper: Double?
  public let predictionLower998: Double?
  public let predictionUpper998: Double?
  public let ratio: Double?
  public let contextPosition: String?
  public let funnelFlag: String?
  public let zScore: Double?
  public let sentence: String
  public let spcNote: String?
  public let modelNote: String?
  /// Official neighbours with a published value, and how the median was
  /// computed (DfE dashboard rule).
  public var neighbourCount: Int? = nil
  public var neighbourNote: String? = nil
  /// The neighbour note without the rule, for print (`neighbourNote` whole).
  public var neighbourBrief: String? = nil
  /// LAIT's statistical-neighbour average (plain mean of published values).
  public var neighbourMean: Double? = nil
  /// LAIT's rank among all authorities and quartile band (none without polarity).
  public var rank: Int? = nil
  /// A 95% interval for the rank (issue 17.4), and the words for it.
  public var rankLower: Int? = nil
  public var rankUpper: Int? = nil
  public var rankNote: String? = nil
  /// Persistent or not over every year (the multi-year model, issue 17.6).
  public var persistenceNote: String? = nil
  public var quartileBand: String? = nil
  public var quartileBandNote: String? = nil
  /// The band's direction alone, for print (`quartileBandNote` whole).
  public var quartileBandBrief: String? = nil
  /// DfE's own published figure beside `value`, where DfE publishes one.
  public var publishedValue: Double? = nil
  /// Whether the England and region figures are derived here from rounded
  /// counts (DfE publishes no figure) rather than DfE's published ones.
  public var englandDerived: Bool? = nil
  public var regionDerived: Bool? = nil
  /// London as a whole as DfE publishes it, for boroughs whose region is
  /// Inner or Outer London (DfE publishes all three).
  public var widerRegionName: String? = nil
  public var widerRegion: Double? = nil
  public var widerRegionDerived: Bool? = nil
  /// Where the figure is a joint return with other authorities (one
  /// workforce return for two), the words that say so:
  /// "joint return with Richmond upon Thames".
  public var jointReturn: String? = nil
  /// Where the figure rests on so few children that one or two more or
  /// fewer move it a lot (`Phrases.smallNumbers`), the words that say so.
  public var smallNumbersNote: String? = nil
}

public struct Breakdown: Sendable, Codable, Equatable {
  public let title: String
  public let period: String
  public let rows: [BreakdownRow]
  public let note: String
}

public struct BreakdownRow: Sendable, Codable, Equatable {
  public let category: String
  public let count: Double?
  public let status: String
  public let share: Double?
  public let lower: Double?
  public let upper: Double?
  public let england: Double?
  public let neighbourMedian: Double?
  /// Share ÷ the matching share of the local population, where one exists.
  public let disproportionality: Double?
}

public struct Provenance: Sendable, Codable, Equatable {
  public let software: String
  public let files: [FileRef]
  public let models: [String]
  /// The official neighbour list as readers know it, with its file
  /// ("DfE statistical neighbours, 2025 model (dfe_statistical_neighbours_2025.csv)").
  public let officialNeighbours: String
  public let caveats: [String]
  public let suppressionNotes: [String]
  /// The official list's year ("2025").
  public var officialNeighboursRelease: String? = nil
}

public struct FileRef: Sendable, Codable, Equatable {
  public let name: String
  public let sha256: String
  /// `snapshot`, `import` or `folder` (as `peerlens data sources` lists it).
  public var origin: String?
  /// The release: the snapshot's checksum or the imported vintage's label.
  public var release: String?
  /// First and last period in the file.
  public var periods: String?
}
