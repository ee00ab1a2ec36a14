import Foundation
import PeerLensData
import PeerLensStatistics

/// Children and family social workers by ethnic group against the
/// authority's population by ethnic group (Census 2021, all ages), overall
/// and by seniority of role, as the DfE dashboard compares them.
///
/// Shares are of social workers whose ethnicity is known (headcount). The
/// all-ages census is a fair comparator for a workforce of adults. Ratios
/// use ``DisproportionalityRatio`` (Wilson interval of the workforce share);
/// suppressed counts give nothing. A joint workforce return (two
/// authorities in one row, `E09000021 / E09000027`) is each partner's
/// figure, as DfE's dashboard shows it, and is compared with the two
/// authorities' population together.
public struct WorkforceEthnicity: Sendable {
  public struct Row: Sendable {
    public let role: String
    public let group: String
    public let count: Double?
    public let share: Double?
    /// Whether `share` is a value, and if not, why: the count's own
    /// missing reason (`suppressed` when the cell is absent), the known
    /// total's when it is missing, or `zeroDenominator` when no social
    /// worker's ethnicity is known in the role (0 of 0 is no share, and
    /// must not read as `ok` with an empty value).
    public let status: ValueStatus
    public let populationShare: Double?
    public let ratio: DisproportionalityRatio
  }

  public let areaCode: String
  public let period: TimePeriod
  public let rows: [Row]
  /// The other authorities of a joint return (empty for the authority's own).
  public let jointWith: [String]

  /// Workforce labels and the short labels of ``CareEthnicityDisproportionality/groups``.
  public static let groups: [(csww: String, label: String)] = [
    ("Asian / Asian British", "Asian"),
    ("Black / African / Caribbean / Black British", "Black"),
    ("Mixed / Multiple ethnic groups", "Mixed"),
    ("White", "White"),
    ("Other ethnic group", "Other"),
  ]
  /// Roles from most to least senior, then all roles.
  public static let roles = ["Total", "Senior manager", "Middle manager", "First line manager", "Senior practitioner",
                             "Case holder", "Qualified without cases"]
  public static let fileName = "csww_ethnicity_by_role.csv"

  /// Headcount by area, role and workforce label for the latest period.
  public struct Table: Sendable {
    public let period: TimePeriod
    public let counts: [String: [String: [String: CellValue]]]
    public init(period: TimePeriod, counts: [String: [String: [String: CellValue]]]) {
      self.period = period
      self.counts = counts
    }
  }

  public static func loadTable(mirror: DataMirror, registry: AuthorityRegistry) throws -> Table? {
    let file = try mirror.eesFile(fileName)
    // One pass to find the period and one to read it, over the file's rows
    // in place: the file is large, and copies of its matching rows and of
    // a whole parsed column were a visible part of the national run's peak
    // memory.
    let topic = try file.table.text("breakdown_topic")
    let roles = try file.table.text("role"), cats = try file.table.text("breakdown")
    let headcount = try file.table.text("inpost_headcount")
    func wanted(_ r: EESFile.Row) -> Bool { r.level == .localAuthority && topic[r.index] == "Ethnicity major" }
    guard let period = file.rows.lazy.filter(wanted).map(\.period).max() else { return nil }
    var out: [String: [String: [String: CellValue]]] = [:]
    for r in file.rows where r.period == period && wanted(r) {
      guard let count = CellValue(parsing: headcount[r.index]) else {
        throw CSVError.unparsableNumber(file: file.name, line: file.table.lineNumbers[r.index],
                                        column: "inpost_headcount", text: headcount[r.index])
      }
      out[registry.canonicalCode(r.areaCode), default: [:]][roles[r.index], default: [:]][cats[r.index]] = count
    }
    return Table(period: period, counts: out)
  }

  public static func compute(table: Table, population: CareEthnicityDisproportionality.Population,
                             code: String) -> WorkforceEthnicity? {
    // The authority's own row wins; else the joint row that names it.
    let key = table.counts[code] != nil ? code
      : table.counts.keys.sorted().first { Self.members(of: $0).count > 1 && Self.members(of: $0).contains(code) }
    guard let key, let mine = table.counts[key] else { return nil }
    let members = Self.members(of: key)
    var pop: [String: Double] = [:]
    for m in members { pop.merge(population.counts[m] ?? [:], uniquingKeysWith: +) }
    let popTotal = pop.values.reduce(0, +)
    var rows: [Row] = []
    for role in roles {
      guard let cells = mine[role] else { continue }
      let known = cells["Known"]?.number ?? 0
      for g in groups {
        let count = cells[g.csww]?.number
        let ratio = DisproportionalityRatio.compute(
          count: count, total: known, referenceCount: pop[g.label] ?? 0, referenceTotal: popTotal)
        let share = count.flatMap { known > 0 ? $0 / known * 100 : nil }
        rows.append(Row(role: role, group: g.label, count: count, share: share,
                        status: Self.status(count: cells[g.csww], known: cells["Known"]),
                        populationShare: popTotal > 0 ? (pop[g.label] ?? 0) / popTotal * 100 : nil, ratio: ratio))
      }
    }
    return WorkforceEthnicity(areaCode: code, period: table.period, rows: rows,
                              jointWith: members.count > 1 ? members.filter { $0 != code } : [])
  }

  /// The status of a group's share, count over known: `ok` only when
  /// both are numbers and the known total is above zero.
  static func status(count: CellValue?, known: CellValue?) -> ValueStatus {
    switch (count, known) {
    case (nil, _): return .missing(.suppressed)
    case (.missing(let r)?, _): return .missing(r)
    case (_, nil): return .missing(.notAvailable)
    case (_, .missing(let r)?): return .missing(r)
    case (_, .number(let k)?): return k > 0 ? .ok : .zeroDenominator
    }
  }

  /// The authorities of a row's code: one, or the partners of a joint return.
  public static func members(of key: String) -> [String] {
    key.split(separator: "/").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
  }
}
