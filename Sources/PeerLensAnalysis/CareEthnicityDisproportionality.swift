import Foundation
import PeerLensData
import PeerLensStatistics

/// How the ethnic mix of an authority's children looked after compares
/// with the ethnic mix of its population and with England's children
/// looked after: for each major ethnic group, a ratio of shares with an
/// interval that respects small counts (``DisproportionalityRatio``).
///
/// Why two comparisons: against the population, a ratio above 1 says the
/// group is more common among children in care than among residents;
/// against England's children in care, it says the authority's care
/// population differs from the national one. Neither is a judgement, and
/// reports show them without colour.
///
/// The only population by ethnic group per authority in the mirror is
/// Census 2021 for **all ages**. Children are more ethnically diverse than
/// adults, so this overstates disproportionality for groups with young age
/// profiles (Mixed above all); ``note`` says so in plain words. A better
/// denominator can be supplied as `context/children_by_ethnicity.csv` in
/// the data folder (`--data`): columns `area_code` (9-character ONS code),
/// `ethnic_group` (one of ``groups``' labels: "Asian", "Black", "Mixed",
/// "White", "Other") and `count`; when present it replaces the census.
public struct CareEthnicityDisproportionality: Sendable {
  public struct Row: Sendable {
    /// The short label ("Asian", "Black", "Mixed", "White", "Other").
    public let group: String
    /// The count of children looked after in the group (nil when suppressed).
    public let count: Double?
    public let status: ValueStatus
    public let versusPopulation: DisproportionalityRatio
    public let versusEnglandCare: DisproportionalityRatio
  }

  public let areaCode: String
  public let period: TimePeriod
  public let rows: [Row]
  /// Plain words on what the comparison can and cannot say.
  public let note: String

  /// The five major ethnic groups: the DfE label in the CLA file, and the
  /// short label used for census categories (which begin "Asian, …",
  /// "Black, …", "Mixed …", "White…", "Other ethnic group…").
  public static let groups: [(dfe: String, label: String)] = [
    ("Asian or Asian British", "Asian"),
    ("Black, African, Caribbean or Black British", "Black"),
    ("Mixed or Multiple ethnic groups", "Mixed"),
    ("White", "White"),
    ("Other ethnic group", "Other"),
  ]

  /// The CLA category excluded from the known-ethnicity total.
  public static let unknownCategory = "Refused or information not yet available"

  /// Where a population by ethnic group came from.
  public enum PopulationSource: String, Sendable { case censusAllAges = "census_all_ages", childrenFile = "children_file" }

  /// Population counts by area code and short group label.
  public struct Population: Sendable {
    public let counts: [String: [String: Double]]
    public let source: PopulationSource
    public init(counts: [String: [String: Double]], source: PopulationSource) {
      self.counts = counts
      self.source = source
    }
  }

  /// The short label for a census category, or nil ("Does not apply").
  public static func label(forCensusCategory category: String) -> String? {
    if category.hasPrefix("Asian") { return "Asian" }
    if category.hasPrefix("Black") { return "Black" }
    if category.hasPrefix("Mixed") { return "Mixed" }
    if category.hasPrefix("White") { return "White" }
    if category.hasPrefix("Other ethnic group") { return "Other" }
    return nil
  }

  /// The optional file of children by ethnic group, relative to the data folder.
  public static let childrenFile = "context/children_by_ethnicity.csv"

  /// Reads `context/children_by_ethnicity.csv` if the data folder has it,
  /// else the Census 2021 all-ages counts in `dfe/ons-ethnic-population-la.csv`.
  ///
  /// Only the comparison of children in care uses the children's file: the
  /// workforce is compared with the population of all ages
  /// (``loadCensusPopulation(mirror:registry:)``), as the dashboard does.
  public static func loadPopulation(mirror: DataMirror, registry: AuthorityRegistry) throws -> Population {
    let children = mirror.url(childrenFile)
    guard FileManager.default.fileExists(atPath: children.path) else {
      return try loadCensusPopulation(mirror: mirror, registry: registry)
    }
    return try loadChildren(CSVReader.read(contentsOf: children, source: childrenFile), registry: registry)
  }

  /// Children by ethnic group from a table in the documented layout:
  /// `area_code`, `ethnic_group` (Asian, Black, Mixed, White or Other) and
  /// `count`; a code's rows are summed. A group outside the five, a
  /// negative or fractional count, an area code that names no authority, or an area
  /// without a row for each of the five groups is refused with its line:
  /// each would silently give wrong shares (an area's missing group would
  /// shrink its total, so every other group's share would grow). An area
  /// with a group's count suppressed (a missing-value symbol) has no total
  /// to share out: it is left out, and its comparison with the population
  /// shows no figure.
  public static func loadChildren(_ table: CSVTable, registry: AuthorityRegistry) throws -> Population {
    let codes = try table.text("area_code"), groups = try table.text("ethnic_group"), counts = try table.values("count")
    try InputValidation.requireNonNegative(table, column: "count", what: "a count of children of zero or more")
    // The README calls the column the number of children, and other
    // count inputs refuse fractions: 1.5 was added in as it stood.
    try InputValidation.requireWholeNumbers(table, column: "count", what: "a whole number of children")
    let labels = Self.groups.map(\.label)
    var out: [String: [String: Double]] = [:]
    var seen: [String: (line: Int, groups: Set<String>)] = [:]
    var suppressed = Set<String>()
    for i in codes.indices {
      let group = groups[i].trimmingCharacters(in: .whitespaces)
      guard labels.contains(group) else {
        throw InputError.invalidCell(file: table.source, line: table.lineNumbers[i], row: i + 1, column: "ethnic_group",
                                     text: groups[i], expected: "one of " + labels.joined(separator: ", "))
      }
      let raw = codes[i].trimmingCharacters(in: .whitespaces)
      guard registry.authority(code: raw) != nil else {
        throw InputError.invalidCell(file: table.source, line: table.lineNumbers[i], row: i + 1, column: "area_code",
                                     text: codes[i], expected: "a local authority's code (E06…, E08…, E09…, E10…)")
      }
      // A former authority's code is carried onto the one current authority
      // that covers its area (Bournemouth and Poole → BCP), as the README
      // promises: kept under its own code, no pack looked it up and BCP
      // silently had no population. An area now split between several
      // authorities (Northamptonshire, Cumbria) cannot be shared out.
      let given = registry.canonicalCode(raw)
      let successors = registry.currentSuccessors(of: given)
      guard successors.count == 1, let code = successors.first else {
        let names = successors.map { registry.authority(code: $0)?.name ?? $0 }
        throw InputError.invalidCell(file: table.source, line: table.lineNumbers[i], row: i + 1, column: "area_code",
                                     text: codes[i],
                                     expected: "a current authority's code; \(registry.authority(code: given)?.name ?? given) "
                                       + "was divided between \(names.joined(separator: " and ")), so give each of their counts")
      }
      // Each code given must have all five groups (Poole's missing group
      // would not be covered by Bournemouth's rows), so completeness is per
      // code as written; the counts add up under the current authority.
      seen[given, default: (table.lineNumbers[i], [])].groups.insert(group)
      guard let n = counts[i].number else { suppressed.insert(code); continue }
      out[code, default: [:]][group, default: 0] += n
    }
    for (code, s) in seen.sorted(by: { $0.value.line < $1.value.line }) where s.groups.count < labels.count {
      let missing = labels.filter { !s.groups.contains($0) }
      throw DataError.invalid("\(table.source), line \(s.line): area \(code) has no row for \(missing.joined(separator: ", ")). "
        + "Each area needs a count for each of \(labels.joined(separator: ", ")) (a symbol such as 'c' where suppressed): "
        + "a group left out would make every other group's share of the area's children too large.")
    }
    for code in suppressed { out[code] = nil }
    return Population(counts: out, source: .childrenFile)
  }

  /// The Census 2021 counts for all ages by ethnic group
  /// (`dfe/ons-ethnic-population-la.csv`).
  public static func loadCensusPopulation(mirror: DataMirror, registry: AuthorityRegistry) throws -> Population {
    let name = "dfe/ons-ethnic-population-la.csv"
    let table = try CSVReader.read(contentsOf: mirror.url(name), source: name)
    let codes = try table.text("2023 Upper tier local authorities Code")
    let categories = try table.text("Ethnic group (20 categories)")
    let counts = try table.values("Observation")
    var out: [String: [String: Double]] = [:]
    for i in codes.indices {
      guard let group = label(forCensusCategory: categories[i]), let n = counts[i].number else { continue }
      out[registry.canonicalCode(codes[i]), default: [:]][group, default: 0] += n
    }
    return Population(counts: out, source: .censusAllAges)
  }

  /// The comparison for `code` from the CLA-by-ethnicity breakdown table
  /// (its "england" row is England's children looked after).
  public static func compute(cla: BreakdownTable, population: Population, code: String,
                             level: Double = 0.95) -> CareEthnicityDisproportionality? {
    guard let mine = cla.byArea[code] else { return nil }
    let england = cla.byArea["england"] ?? [:]
    /// Children of known ethnicity: the total less those whose ethnicity was
    /// refused or not yet recorded (the total when that count is suppressed).
    func knownTotal(_ cells: [String: CellValue]) -> Double? {
      guard let t = cells[cla.spec.total]?.number else { return nil }
      return t - (cells[unknownCategory]?.number ?? 0)
    }
    let total = knownTotal(mine) ?? 0
    let englandTotal = knownTotal(england) ?? 0
    let pop = population.counts[code] ?? [:]
    let popTotal = pop.values.reduce(0, +)
    let rows = groups.map { g -> Row in
      let cell = mine[g.dfe] ?? .missing(.notAvailable)
      let count = cell.number
      let status: ValueStatus
      switch cell {
      case .number: status = .ok
      case .missing(let r): status = .missing(r)
      }
      return Row(
        group: g.label, count: count, status: status,
        versusPopulation: DisproportionalityRatio.compute(
          count: count, total: total, referenceCount: pop[g.label] ?? 0, referenceTotal: popTotal, level: level),
        versusEnglandCare: DisproportionalityRatio.compute(
          count: count, total: total, referenceCount: england[g.dfe]?.number ?? 0, referenceTotal: englandTotal,
          level: level))
    }
    let populationWords = population.source == .censusAllAges
      ? "The population comparison uses Census 2021 counts for residents of all ages, the only population by ethnic group published for each authority. Children are more ethnically diverse than adults, so this comparison overstates disproportionality for groups with young age profiles, such as children of Mixed ethnicity."
      : "The population comparison uses the table of children by ethnic group supplied with the data."
    let note = "A ratio of 1 means a group makes up the same share of the authority's children in care as of the comparison population; 2 means twice the share, 0.5 half. Shares are of children whose ethnicity is recorded. Intervals are 95% Wilson intervals of the local share; a suppressed count gives no ratio. " + populationWords + " These ratios describe difference, not better or worse practice."
    return CareEthnicityDisproportionality(areaCode: code, period: cla.period, rows: rows, note: note)
  }
}
