import Foundation
import PeerLensData

/// England's average months from placement order to match with adopters
/// (`dfe/national_adoption_placement_order_to_match.csv`). DfE publishes it
/// for England only, so it is shown on the England pack, and authority
/// packs say that no authority figure is published rather than leave a gap.
public struct AdoptionTimeliness: Sendable, Equatable {
  public struct Point: Sendable, Equatable {
    public let period: String
    public let months: Double
  }

  /// Total (all ages) by year, oldest first.
  public let series: [Point]
  /// The latest year by age at the start of care, youngest first (`NaturalOrder`).
  public let latestByAge: [(age: String, months: Double)]

  public static func == (a: Self, b: Self) -> Bool {
    a.series == b.series && a.latestByAge.map(\.age) == b.latestByAge.map(\.age)
      && a.latestByAge.map(\.months) == b.latestByAge.map(\.months)
  }

  public static let fileName = "dfe/national_adoption_placement_order_to_match.csv"
  public static let totalLabel = "Total (all ages)"

  public static func load(mirror: DataMirror) throws -> AdoptionTimeliness {
    let table = try CSVReader.read(contentsOf: mirror.url(fileName), source: fileName)
    let periods = try table.text("time_period"), ages = try table.text("age_start_poc")
    let months = try table.values("months")
    var total: [String: Double] = [:]
    for i in periods.indices where ages[i] == totalLabel { if let m = months[i].number { total[periods[i]] = m } }
    let series = total.keys.sorted().map { Point(period: $0, months: total[$0]!) }
    let latest = series.last?.period
    var byAge: [(String, Double)] = []
    for i in periods.indices where periods[i] == latest && ages[i] != totalLabel {
      if let m = months[i].number { byAge.append((ages[i], m)) }
    }
    // Youngest first ("Aged under 1" … "Aged 7 and over"), not as text sorts.
    let order = Dictionary(NaturalOrder.sorted(byAge.map(\.0)).enumerated().map { ($1, $0) },
                           uniquingKeysWith: { a, _ in a })
    byAge.sort { order[$0.0, default: 0] < order[$1.0, default: 0] }
    return AdoptionTimeliness(series: series, latestByAge: byAge)
  }
}
