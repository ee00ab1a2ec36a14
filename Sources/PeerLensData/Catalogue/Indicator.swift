import Foundation
import PeerLensStatistics

/// Whether a higher value of an indicator is better, worse, or neither.
///
/// Many social care indicators have no agreed direction (more section 47
/// enquiries can mean more need found or more risk-averse practice), so
/// `noJudgement` is common, and reports never colour those as better or
/// worse.
public enum Polarity: String, Sendable, Codable, CaseIterable {
  case higherIsBetter = "higher_is_better"
  case lowerIsBetter = "lower_is_better"
  case noJudgement = "no_judgement"
}

/// The unit an indicator is expressed in.
public enum IndicatorUnit: String, Sendable, Codable, CaseIterable {
  case ratePer10000 = "rate_per_10000"
  case percentage
  case count
  case ratio
  case days
  case score

  /// What a numerator/denominator ratio is multiplied by.
  public var multiplier: Double {
    switch self {
    case .ratePer10000: return 10_000
    case .percentage: return 100
    default: return 1
    }
  }

  /// Short text after a number ("per 10,000", "%").
  public var suffix: String {
    switch self {
    case .ratePer10000: return " per 10,000"
    case .percentage: return "%"
    case .days: return " days"
    default: return ""
    }
  }
}

/// Where one part of an indicator (numerator, denominator or a published
/// value) comes from: a file, the columns to sum, the filter values that
/// select rows, and a period offset (rates use the previous year's
/// mid-year population).
///
/// `subtract` and `scale` let a part be computed from the lines a file
/// publishes rather than copied from a derived column: spend not on
/// children looked after is children's services spend minus spend on
/// children looked after, and spend per child needs expenditure published
/// in thousands of pounds turned into pounds.
public struct IndicatorSource: Sendable, Codable, Equatable {
  public var file: String?
  public var columns: [String]
  /// Columns subtracted from the sum of `columns` on the same row.
  public var subtract: [String]
  /// What the result is multiplied by (1000: a column in thousands).
  public var scale: Double
  public var filters: [String: String]
  /// Added to the period's year to find the matching row (−1: previous year).
  public var periodOffset: Int

  enum CodingKeys: String, CodingKey {
    case file, columns, column, filters, subtract, scale
    case periodOffset = "period_offset"
  }

  public init(file: String? = nil, columns: [String], subtract: [String] = [], scale: Double = 1,
              filters: [String: String] = [:], periodOffset: Int = 0) {
    self.file = file
    self.columns = columns
    self.subtract = subtract
    self.scale = scale
    self.filters = filters
    self.periodOffset = periodOffset
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    file = try c.decodeIfPresent(String.self, forKey: .file)
    if let cols = try c.decodeIfPresent([String].self, forKey: .columns) {
      columns = cols
    } else {
      columns = [try c.decode(String.self, forKey: .column)]
    }
    subtract = try c.decodeIfPresent([String].self, forKey: .subtract) ?? []
    // TOML keeps integers and floats apart: `scale = 1000` is an integer.
    if let whole = try? c.decodeIfPresent(Int.self, forKey: .scale) {
      scale = Double(whole)
    } else {
      scale = try c.decodeIfPresent(Double.self, forKey: .scale) ?? 1
    }
    guard scale.isFinite, scale > 0 else {
      throw DecodingError.dataCorruptedError(forKey: .scale, in: c, debugDescription:
        "scale must be a positive number (1000 for a column in thousands); got \(scale).")
    }
    filters = try c.decodeIfPresent([String: String].self, forKey: .filters) ?? [:]
    periodOffset = try c.decodeIfPresent(Int.self, forKey: .periodOffset) ?? 0
  }

  public func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encodeIfPresent(file, forKey: .file)
    try c.encode(columns, forKey: .columns)
    if !subtract.isEmpty { try c.encode(subtract, forKey: .subtract) }
    if scale != 1 { try c.encode(scale, forKey: .scale) }
    try c.encode(filters, forKey: .filters)
    try c.encode(periodOffset, forKey: .periodOffset)
  }
}

/// One indicator of the catalogue: what it means and how to compute it.
public struct Indicator: Sendable, Codable, Equatable, Identifiable {
  public let id: String
  public let title: String
  /// The National Framework outcome or enabler id (`outcome_1` … `enabler_2`, `annex_c`).
  public let framework: String
  public let unit: IndicatorUnit
  /// The number of decimals DfE publishes the indicator to (rates per
  /// 10,000 of children in care: 0; workforce percentages: 1). Numbers
  /// shown to readers use it, and the neighbour median is taken of values
  /// at this precision, as the DfE dashboard takes it.
  public let decimals: Int
  /// How DfE rounds to `decimals` (`rounding`; default `half_up`).
  public let rounding: RoundingRule
  public let polarity: Polarity
  public let description: String
  public let caveats: String?
  /// A short label for charts.
  public let shortTitle: String?
  /// The default source file for the parts below.
  public let source: String
  /// Filters applied to every part read from `source`.
  public let filters: [String: String]
  public let numerator: IndicatorSource?
  public let denominator: IndicatorSource?
  /// A value published as is (used when there is no numerator/denominator,
  /// and checked against the computed value when there is).
  public let published: IndicatorSource?
  /// How the denominator is defined, in words (for rates computed here).
  public let denominatorNote: String?
  /// Which limits the funnel before context uses (`funnel_limits`:
  /// additive, negative-binomial or beta-binomial; default additive), and
  /// why (`funnel_limits_reason`), recorded per indicator (issue 17.1).
  public let funnelLimits: String
  public let funnelLimitsReason: String?
  /// Why the indicator has no contextual model in `Models/context`, in
  /// words for the pack (`model_reason`). Every indicator either has a
  /// model or says why not, so a reader never meets a silent gap.
  public let modelReason: String?
  /// The between-authority variance estimator of additive funnel limits
  /// as written (`funnel_tau2`: dl, reml or pm); nil means dl.
  public let funnelTau2Choice: BetweenUnitVariance?
  /// The estimator additive funnel limits use (default dl, FunnelPlotR's).
  public var funnelTau2: BetweenUnitVariance { funnelTau2Choice ?? .dl }
  /// The chart that shows this indicator beside its siblings
  /// (`group`, for example the assessment factors grouped as the DfE
  /// dashboard groups them: abuse and neglect; harms outside the home).
  public let group: String?
  /// Why this percentage can exceed 100 (`above_100_reason`): its
  /// numerator is not a subset of its denominator (conferences in a year
  /// can follow enquiries started the year before). Without it, a
  /// percentage above 100 or a count above its denominator is an error
  /// in the data, which `data check` reports and imports refuse.
  public let above100Reason: String?

  /// What the numerator counts, one and many (`counts = ["referral",
  /// "referrals"]`); children unless the catalogue says otherwise. Notes
  /// on small numbers and errors about counts use it: "this figure counts
  /// 4 children" was said of 4.4 full-time-equivalent social workers.
  public let countNoun: CountNoun
  /// What the denominator counts (`denominator_counts`), where it is not
  /// what the numerator counts (enquiries beside conferences); defaults
  /// to children for a rate per 10,000, else to `countNoun`.
  public let denominatorNoun: CountNoun
  /// Where the denominator is sessions of pupils, the columns that count
  /// the pupils, so that chance variation is counted in pupils
  /// (`pupil_clustering`; see `PupilClustering`).
  public let pupilClustering: PupilClustering?
  /// For a mean score of pupils (Attainment 8), the standard deviation
  /// of one pupil's score (`pupil_sd`), which sets the chance variation
  /// of an authority's mean: variance σ²/n for n pupils. Without it a
  /// total of points would be taken as Poisson events, a variance 20 to
  /// 45 times too small, and small cohorts flagged by chance.
  public let pupilSD: Double?

  /// Whether a figure above 100% is impossible for this indicator: a
  /// percentage whose numerator counts some of the denominator's children.
  public var isBoundedAt100: Bool { unit == .percentage && above100Reason == nil }

  /// The funnel limits an indicator can name: `none` for figures that
  /// are not counts (pounds), where no distribution of counts applies.
  public static let funnelLimitChoices = ["additive", "negative-binomial", "beta-binomial", "none"]

  /// Whether the indicator has a funnel plot before context.
  public var hasFunnel: Bool { funnelLimits != "none" }

  enum CodingKeys: String, CodingKey {
    case id, title, framework, unit, decimals, rounding, polarity, description, caveats, source, filters, numerator,
      denominator, published
    case shortTitle = "short_title"
    case denominatorNote = "denominator_note"
    case funnelLimits = "funnel_limits"
    case funnelLimitsReason = "funnel_limits_reason"
    case modelReason = "model_reason"
    case funnelTau2Choice = "funnel_tau2"
    case group
    case above100Reason = "above_100_reason"
    case countNoun = "counts"
    case denominatorNoun = "denominator_counts"
    case pupilClustering = "pupil_clustering"
    case pupilSD = "pupil_sd"
  }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    id = try c.decode(String.self, forKey: .id)
    title = try c.decode(String.self, forKey: .title)
    framework = try c.decode(String.self, forKey: .framework)
    unit = try c.decode(IndicatorUnit.self, forKey: .unit)
    decimals = try c.decodeIfPresent(Int.self, forKey: .decimals) ?? 1
    guard (0...6).contains(decimals) else {
      throw DecodingError.dataCorruptedError(forKey: .decimals, in: c, debugDescription:
        "Indicator \(id): decimals must be between 0 and 6; got \(decimals).")
    }
    rounding = try c.decodeIfPresent(RoundingRule.self, forKey: .rounding) ?? .halfUp
    polarity = try c.decode(Polarity.self, forKey: .polarity)
    description = try c.decode(String.self, forKey: .description)
    caveats = try c.decodeIfPresent(String.self, forKey: .caveats)
    shortTitle = try c.decodeIfPresent(String.self, forKey: .shortTitle)
    source = try c.decode(String.self, forKey: .source)
    filters = try c.decodeIfPresent([String: String].self, forKey: .filters) ?? [:]
    numerator = try c.decodeIfPresent(IndicatorSource.self, forKey: .numerator)
    denominator = try c.decodeIfPresent(IndicatorSource.self, forKey: .denominator)
    published = try c.decodeIfPresent(IndicatorSource.self, forKey: .published)
    denominatorNote = try c.decodeIfPresent(String.self, forKey: .denominatorNote)
    funnelLimits = try c.decodeIfPresent(String.self, forKey: .funnelLimits) ?? "additive"
    guard Self.funnelLimitChoices.contains(funnelLimits) else {
      throw DecodingError.dataCorruptedError(forKey: .funnelLimits, in: c, debugDescription:
        "Indicator \(id): funnel_limits must be additive, negative-binomial, beta-binomial or none; got '\(funnelLimits)'.")
    }
    funnelLimitsReason = try c.decodeIfPresent(String.self, forKey: .funnelLimitsReason)
    if funnelLimits == "none", funnelLimitsReason == nil {
      throw DecodingError.dataCorruptedError(forKey: .funnelLimitsReason, in: c, debugDescription:
        "Indicator \(id): funnel_limits = \"none\" needs a funnel_limits_reason saying why no funnel applies.")
    }
    modelReason = try c.decodeIfPresent(String.self, forKey: .modelReason)
    let tau2 = try c.decodeIfPresent(String.self, forKey: .funnelTau2Choice)
    if let tau2 {
      guard let method = BetweenUnitVariance(rawValue: tau2) else {
        throw DecodingError.dataCorruptedError(forKey: .funnelTau2Choice, in: c, debugDescription:
          "Indicator \(id): funnel_tau2 must be dl, reml or pm; got '\(tau2)'.")
      }
      guard funnelLimits == "additive" else {
        throw DecodingError.dataCorruptedError(forKey: .funnelTau2Choice, in: c, debugDescription:
          "Indicator \(id): funnel_tau2 applies to additive limits; funnel_limits is '\(funnelLimits)'.")
      }
      funnelTau2Choice = method
    } else {
      funnelTau2Choice = nil
    }
    group = try c.decodeIfPresent(String.self, forKey: .group)
    above100Reason = try c.decodeIfPresent(String.self, forKey: .above100Reason)
    if let reason = above100Reason {
      guard unit == .percentage else {
        throw DecodingError.dataCorruptedError(forKey: .above100Reason, in: c, debugDescription:
          "Indicator \(id): above_100_reason applies to percentages; the unit is '\(unit.rawValue)'.")
      }
      // An empty reason would turn the check off with nothing said.
      guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
        throw DecodingError.dataCorruptedError(forKey: .above100Reason, in: c, debugDescription:
          "Indicator \(id): above_100_reason is empty; say why the percentage can exceed 100, or leave the field out.")
      }
    }
    countNoun = try Self.noun(c, .countNoun, id: id) ?? .children
    // A rate per 10,000 divides by a population of children, whatever it counts.
    denominatorNoun = try Self.noun(c, .denominatorNoun, id: id) ?? (unit == .ratePer10000 ? .children : countNoun)
    pupilClustering = try c.decodeIfPresent(PupilClustering.self, forKey: .pupilClustering)
    if pupilClustering != nil, unit != .percentage || numerator == nil || denominator == nil {
      throw DecodingError.dataCorruptedError(forKey: .pupilClustering, in: c, debugDescription:
        "Indicator \(id): pupil_clustering applies to a percentage of sessions with a numerator and a denominator.")
    }
    // A whole number of points (`pupil_sd = 14`) is a spread too; TOML
    // calls it an integer, not a float.
    pupilSD = try (try? c.decodeIfPresent(Int.self, forKey: .pupilSD)).map { $0.map(Double.init) }
      ?? c.decodeIfPresent(Double.self, forKey: .pupilSD)
    if let sd = pupilSD, unit != .score || !(sd > 0) || !sd.isFinite {
      throw DecodingError.dataCorruptedError(forKey: .pupilSD, in: c, debugDescription:
        "Indicator \(id): pupil_sd is the standard deviation of one pupil's score, a positive number, for a score (unit = \"score\"); got \(sd) for unit \"\(unit.rawValue)\".")
    }
  }

  /// A `counts`-style field: two words, one and many.
  private static func noun(_ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys, id: String) throws -> CountNoun? {
    guard let words = try c.decodeIfPresent([String].self, forKey: key) else { return nil }
    let trimmed = words.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
    guard trimmed.count == 2, !trimmed.contains(where: \.isEmpty) else {
      throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription:
        "Indicator \(id): \(key.rawValue) takes two words, one and many, as in [\"referral\", \"referrals\"]; got \(words).")
    }
    return CountNoun(one: trimmed[0], many: trimmed[1])
  }

  /// Whether the indicator is a ratio of counts (and so has funnel limits
  /// and intervals) rather than a published value only.
  public var hasCounts: Bool { numerator != nil && denominator != nil }

  /// The file and filters a part reads: its own file and filters, or the
  /// indicator's source and filters merged with the part's.
  public func resolved(_ part: IndicatorSource) -> (file: String, filters: [String: String]) {
    if let f = part.file, f != source { return (f, part.filters) }
    return (source, filters.merging(part.filters) { _, new in new })
  }

  /// The figure columns the indicator reads, by file (its numerator,
  /// denominator and published figure, with any columns subtracted).
  public var columnsRead: [String: Set<String>] {
    var out: [String: Set<String>] = [:]
    for part in [numerator, denominator, published].compactMap({ $0 }) {
      out[resolved(part).file, default: []].formUnion(part.columns + part.subtract)
    }
    if let c = pupilClustering { out[source, default: []].formUnion(c.pupils + c.absentAtLeast) }
    return out
  }

  /// `x` rounded as DfE publishes this indicator (`decimals`, `rounding`).
  public func rounded(_ x: Double) -> Double {
    PublishedRounding.round(x, decimals: decimals, rule: rounding)
  }

  /// The figure as DfE publishes it for a value: DfE's own published
  /// figure where the file has one, otherwise the value rounded at the
  /// published precision (what DfE's tools would show); `nil` when the
  /// value is suppressed or missing. Official tools (the dashboard, LAIT)
  /// summarise these figures, not unrounded rates, so summaries that must
  /// agree with them start here.
  public func publishedFigure(_ v: IndicatorValue) -> Double? {
    guard v.status == .ok else { return nil }
    if let p = v.published, p.isFinite { return rounded(p) }
    return v.value.map(rounded)
  }

  /// Whether a regional or national value is derived here rather than
  /// published: computed from counts DfE publishes rounded (to the nearest
  /// 10 above authority level), with no DfE figure to show instead.
  /// Authority values are never "derived" in this sense: their counts are
  /// published unrounded.
  public func isDerived(_ v: IndicatorValue) -> Bool {
    v.level != .localAuthority && v.status == .ok && hasCounts && v.published == nil
  }

  /// Whether DfE publishes a figure of its own for this indicator (a
  /// `published` source), so outputs can show `published_value` beside
  /// the value computed here.
  public var isPublishedByDfE: Bool { published != nil }

  /// Every file the indicator reads.
  public var files: [String] {
    var out = [source]
    for p in [numerator, denominator, published].compactMap({ $0 }) {
      let f = resolved(p).file
      if !out.contains(f) { out.append(f) }
    }
    return out
  }
}

/// A National Framework outcome or enabler.
///
/// A reader moves between a pack, DfE's Outcomes and Enablers dashboard
/// and the 2023 consultation, which do not number everything alike (the
/// dashboard shows the enablers unnumbered; the consultation numbered
/// them). Packs lead with the words and use the dashboard's number
/// (`number`); the consultation's, where it differs, is kept
/// (`consultation_number`) for the methods note. The `id`s follow the
/// consultation and never change, so catalogues that name them keep
/// working.
public struct FrameworkArea: Sendable, Codable, Equatable {
  public let id: String
  /// The outcome's or enabler's words, without a number.
  public let title: String
  /// The number on DfE's dashboard ("Outcome 2"), or just "Enabler".
  public let number: String?
  /// The number in the 2023 consultation, where it differs from the dashboard's.
  public let consultationNumber: String?

  enum CodingKeys: String, CodingKey {
    case id, title, number
    case consultationNumber = "consultation_number"
  }

  public init(id: String, title: String, number: String? = nil, consultationNumber: String? = nil) {
    self.id = id
    self.title = title
    self.number = number
    self.consultationNumber = consultationNumber
  }

  /// What a reader sees: the words first, then the dashboard's number.
  public var heading: String { number.map { "\(title) (\($0))" } ?? title }
}

/// An Annex B indicator the mirror cannot compute, and why.
public struct UncomputableIndicator: Sendable, Codable, Equatable {
  public let title: String
  public let framework: String
  public let reason: String
}
