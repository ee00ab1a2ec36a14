import Foundation
import PeerLensData
import PeerLensStatistics
import TOMLKit

/// A breakdown of a group by characteristic (from `Models/breakdowns.toml`).
public struct BreakdownSpec: Sendable, Codable, Equatable {
  /// A matching local population for disproportionality ratios.
  public struct Population: Sendable, Codable, Equatable {
    public let file: String
    public let filters: [String: String]?
    public let category_column: String
    public let count_column: String
    public let total: String
  }

  public let title: String
  public let file: String
  public let filters: [String: String]
  public let category_column: String
  public let count_column: String
  public let total: String
  public let population: Population?

  struct File: Codable { let breakdown: [BreakdownSpec] }

  public static func loadAll(from url: URL) throws -> [BreakdownSpec] {
    guard FileManager.default.fileExists(atPath: url.path) else { return [] }
    let text = try String(contentsOf: url, encoding: .utf8)
    return try TOMLFile.decode(File.self, from: text, source: url.lastPathComponent).breakdown
  }
}

/// A breakdown's counts for every area in its latest period, read once
/// and shared by every authority's pack.
public struct BreakdownTable: Sendable {
  public let spec: BreakdownSpec
  public let period: TimePeriod
  /// Area code ("england" for the national row) → category → count.
  public let byArea: [String: [String: CellValue]]
  /// Categories in natural order (`NaturalOrder`), the total excluded.
  public let categories: [String]

  public init?(_ spec: BreakdownSpec, mirror: DataMirror, registry: AuthorityRegistry) throws {
    let file = try mirror.eesFile(spec.file)
    let rows = try file.rows(matching: spec.filters)
    guard let period = rows.filter({ $0.level == .localAuthority }).map(\.period).max() else { return nil }
    let categories = try file.table.text(spec.category_column)
    let counts = try file.table.values(spec.count_column)
    var byArea: [String: [String: CellValue]] = [:]
    var order: [String] = []
    for r in rows where r.period == period && (r.level == .localAuthority || r.level == .national) {
      let area = r.level == .national ? "england" : registry.canonicalCode(r.areaCode)
      let cat = categories[r.index]
      byArea[area, default: [:]][cat] = counts[r.index]
      if cat != spec.total && !order.contains(cat) { order.append(cat) }
    }
    self.spec = spec
    self.period = period
    self.byArea = byArea
    // DfE's order (youngest first, unknowns and totals last), not the file's.
    self.categories = NaturalOrder.sorted(order)
  }

  /// A table built from given counts (tests, and callers holding counts already).
  public init(spec: BreakdownSpec, period: TimePeriod, byArea: [String: [String: CellValue]], categories: [String]) {
    self.spec = spec
    self.period = period
    self.byArea = byArea
    self.categories = categories
  }
}

/// One breakdown's shares for an authority in the latest period.
public struct BreakdownResult: Sendable {
  public struct Row: Sendable {
    public let category: String
    public let count: Double?
    public let status: ValueStatus
    public let share: Double?
    public let lower: Double?
    public let upper: Double?
    public let england: Double?
    public let neighbourMedian: Double?
    public let disproportionality: Double?
  }

  public let title: String
  public let period: TimePeriod
  public let rows: [Row]
  public let note: String

  /// Computes the breakdown for `code` with its official neighbours.
  public static func compute(_ table: BreakdownTable, code: String, neighbours: [String]) -> BreakdownResult? {
    let spec = table.spec
    let byArea = table.byArea
    guard let mine = byArea[code] else { return nil }
    func share(_ area: String, _ cat: String) -> Double? {
      guard let t = byArea[area]?[spec.total]?.number, t > 0, let c = byArea[area]?[cat]?.number else { return nil }
      return c / t * 100
    }
    let total = mine[spec.total]?.number
    let withheld = secondarySuppression(mine, categories: table.categories, total: spec.total)
    let out = table.categories.map { cat -> Row in
      let cell = withheld.contains(cat) ? .missing(.suppressed) : (mine[cat] ?? .missing(.notAvailable))
      var lower: Double? = nil, upper: Double? = nil, s: Double? = nil
      var status = ValueStatus.ok
      switch cell {
      case .number(let c):
        if let total, total > 0, c <= total {
          s = c / total * 100
          if let r = try? SmallNumberInterval.compute(.wilson, count: c, denominator: total, multiplier: 100) {
            lower = r.lower; upper = r.upper
          }
        }
      case .missing(let reason): status = .missing(reason)
      }
      let nb = neighbours.compactMap { share($0, cat) }
      return Row(category: cat, count: cell.number, status: status, share: s, lower: lower, upper: upper,
                 england: share("england", cat), neighbourMedian: nb.isEmpty ? nil : Quantiles.median(nb),
                 disproportionality: nil)
    }
    var note = spec.population == nil
      ? "No matching local population is in the data for this breakdown, so no disproportionality ratio is shown. Shares are of the authority's total; suppressed counts are shown as suppressed and not estimated."
      : "Disproportionality is the share among children supported divided by the share in the local child population."
    if let cat = withheld.first {
      note += " The count for \(cat) is withheld too, so that the suppressed count cannot be worked out by subtracting the others from the total."
    }
    return BreakdownResult(title: spec.title, period: table.period, rows: out, note: note)
  }

  /// The categories to withhold besides those DfE suppressed, so that no
  /// suppressed count can be recovered by subtraction.
  ///
  /// A breakdown prints each category's count and its share of the total,
  /// which together give the total. With exactly one category suppressed,
  /// the total minus the others would reveal it, so the smallest other
  /// count is withheld as well (secondary suppression, as statistical
  /// producers do). With two or more suppressed, only their sum can be
  /// recovered, which discloses no single count.
  static func secondarySuppression(_ cells: [String: CellValue], categories: [String], total: String) -> Set<String> {
    guard cells[total]?.number != nil else { return [] }
    let suppressed = categories.filter { if case .missing(.suppressed)? = cells[$0] { return true } else { return false } }
    guard suppressed.count == 1 else { return [] }
    let shown = categories.compactMap { cat in cells[cat]?.number.map { (cat, $0) } }
    guard let smallest = shown.min(by: { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }) else { return [] }
    return [smallest.0]
  }
}
