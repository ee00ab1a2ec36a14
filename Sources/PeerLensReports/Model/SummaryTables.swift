import Foundation
import PeerLensAnalysis
import PeerLensData
import PeerLensStatistics

/// The numbers behind a regional pack: every member authority's latest
/// value of every indicator beside England and the region, the funnel
/// position before context and the expectation given context. Written
/// as `regions/<name>.csv`, `.json` and `.xlsx` next to the HTML.
public struct RegionTable: SummaryTable, Sendable, Codable, Equatable {
  public struct Row: Sendable, Codable, Equatable {
    public let indicatorID: String
    public let title: String
    public let timePeriod: String
    public let newLACode: String
    public let oldLACode: String
    public let laName: String
    public let value: Double?
    public let status: String
    public let englandValue: Double?
    public let regionValue: Double?
    public let funnelFlag: String?
    public let expected: Double?
    public let expectedLower: Double?
    public let expectedUpper: Double?
    public let contextPosition: String?
    /// DfE's own published figure beside `value`, where DfE publishes one.
    public var publishedValue: Double? = nil
    /// In the London pack, the part of London DfE codes the authority in
    /// (Inner or Outer London) and DfE's figure for that part; `region_value`
    /// is then London's.
    public var subRegion: String? = nil
    public var subRegionValue: Double? = nil

    enum CodingKeys: String, CodingKey {
      case indicatorID = "indicator_id", title, timePeriod = "time_period", newLACode = "new_la_code",
        oldLACode = "old_la_code", laName = "la_name", value, status, englandValue = "england_value",
        regionValue = "region_value", funnelFlag = "funnel_flag", expected, expectedLower = "expected_lower",
        expectedUpper = "expected_upper", contextPosition = "context_position", publishedValue = "published_value",
        subRegion = "sub_region", subRegionValue = "sub_region_value"
    }
  }

  public let regionCode: String
  public let regionName: String
  public let rows: [Row]
  /// The official neighbour list of the run, named with its year.
  public var officialNeighbours: String? = nil

  public static let header = [
    "indicator_id", "title", "time_period", "new_la_code", "old_la_code", "la_name", "value", "status",
    "england_value", "region_value", "funnel_flag", "expected", "expected_lower", "expected_upper", "context_position",
    "published_value", "sub_region", "sub_region_value",
  ]
  /// The CSV's columns: `header` and the period as readers write it (the
  /// workbook has it beside `time_period`, `PeriodCells`).
  public static let csvHeader = header + ["year_label"]

  /// Members in name order, indicators in catalogue order, each at its
  /// latest period. London holds Inner and Outer London's boroughs, each
  /// with its part's figure beside London's.
  public static func build(run: NationalRun, regionCode: String) -> RegionTable {
    let members = run.authorities.filter { run.registry.isIn($0, region: regionCode) }.sorted { $0.name < $1.name }
    let hasParts = !run.registry.parts(ofRegion: regionCode).isEmpty
    var rows: [Row] = []
    for bench in run.indicators {
      guard let p = bench.latest else { continue }
      // No expected value where context has no out-of-sample skill.
      let shown = bench.model?.showsExpectation == true ? bench.model?.authorities ?? [] : []
      let model = Dictionary(shown.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
      for a in members {
        let v = bench.value(a.code, p)
        let m = model[a.code]
        var row = Row(
          indicatorID: bench.indicator.id, title: bench.indicator.title, timePeriod: p.code, newLACode: a.code,
          oldLACode: v?.oldCode ?? "", laName: a.name, value: v?.status == .ok ? v?.value : nil,
          status: v?.status.code ?? "not_published", englandValue: bench.england[p]?.value,
          regionValue: bench.regions[regionCode]?[p]?.value, funnelFlag: bench.funnel[p]?[a.code]?.flag.rawValue,
          expected: m?.expected, expectedLower: m?.predictionLower95, expectedUpper: m?.predictionUpper95,
          contextPosition: m.flatMap { $0.expected == nil ? nil : $0.position })
        if bench.indicator.isPublishedByDfE, v?.status == .ok { row.publishedValue = v?.published }
        if hasParts, a.regionCode != regionCode {
          row.subRegion = run.registry.regionName(code: a.regionCode)
          row.subRegionValue = bench.regions[a.regionCode]?[p]?.value
        }
        rows.append(row)
      }
    }
    return RegionTable(regionCode: regionCode, regionName: run.registry.regionName(code: regionCode) ?? regionCode,
                       rows: rows, officialNeighbours: run.officialNeighboursDescription)
  }

  public func csv() -> String {
    let n = CSVWriter.number
    return CSVWriter.render(header: Self.csvHeader, rows: rows.map { r in
      [r.indicatorID, r.title, r.timePeriod, r.newLACode, r.oldLACode, r.laName, n(r.value), r.status,
       n(r.englandValue), n(r.regionValue), r.funnelFlag ?? "", n(r.expected), n(r.expectedLower), n(r.expectedUpper),
       r.contextPosition ?? "", n(r.publishedValue), r.subRegion ?? "", n(r.subRegionValue), ValuesTable.yearLabel(r.timePeriod)]
    })
  }

  public func json() throws -> Data { try PackJSON.encode(self) }

  public func workbook() -> XLSXWorkbook {
    let v = XLSXWorkbook.Cell.value, t = XLSXWorkbook.Cell.string
    return XLSXWorkbook(title: "PeerLens regional pack: \(regionName)", sheets: [
      .init(name: "Authorities", header: PeriodCells.workbookHeader(Self.header), rows: rows.map { r in
        [.text(r.indicatorID), .text(r.title)] + PeriodCells.code(r.timePeriod) + [.text(r.newLACode), t(r.oldLACode), .text(r.laName),
         v(r.value), .text(r.status), v(r.englandValue), v(r.regionValue), t(r.funnelFlag), v(r.expected),
         v(r.expectedLower), v(r.expectedUpper), t(r.contextPosition), v(r.publishedValue), t(r.subRegion),
         v(r.subRegionValue)]
      }),
      .init(name: "About", header: ["item", "value"], rows: [[.text("Statistical neighbours"), t(officialNeighbours)]]),
    ])
  }
}

/// The numbers behind the England pack: per indicator, the national value,
/// the spread over authorities, the contextual model's fit and how many
/// authorities lie outside the 99.8% limits before and after context.
public struct EnglandTable: SummaryTable, Sendable, Codable, Equatable {
  public struct Row: Sendable, Codable, Equatable {
    public let indicatorID: String
    public let title: String
    public let timePeriod: String
    public let englandValue: Double?
    public let authoritiesReported: Int
    public let minimum: Double?
    public let median: Double?
    public let maximum: Double?
    public let modelFamily: String?
    public let devianceExplained: Double?
    public let outside998BeforeContext: [String]
    public let outside998AfterContext: [String]?

    enum CodingKeys: String, CodingKey {
      case indicatorID = "indicator_id", title, timePeriod = "time_period", englandValue = "england_value",
        authoritiesReported = "authorities_reported", minimum, median, maximum, modelFamily = "model_family",
        devianceExplained = "deviance_explained", outside998BeforeContext = "outside_99_8_before_context",
        outside998AfterContext = "outside_99_8_after_context"
    }
  }

  public let rows: [Row]
  /// The official neighbour list of the run, named with its year.
  public var officialNeighbours: String? = nil

  public static let header = [
    "indicator_id", "title", "time_period", "england_value", "authorities_reported", "minimum", "median", "maximum",
    "model_family", "deviance_explained", "outside_99_8_before_context", "outside_99_8_after_context",
  ]
  /// The CSV's columns: `header` and the period as readers write it (the
  /// workbook has it beside `time_period`, `PeriodCells`).
  public static let csvHeader = header + ["year_label"]

  public static func build(run: NationalRun) -> EnglandTable {
    let names = Dictionary(run.authorities.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
    var rows: [Row] = []
    for bench in run.indicators {
      guard let p = bench.latest else { continue }
      // A joint return counts once in the distribution.
      let values = bench.countedOnce(run.authorities.map(\.code), p).compactMap { code -> Double? in
        guard let v = bench.value(code, p), v.status == .ok else { return nil }
        return v.value
      }.sorted()
      let median: Double? = values.isEmpty ? nil : Quantiles.median(values)
      let outside = (bench.funnel[p] ?? [:]).filter { $0.value.flag.isOutside998 }.map(\.key).sorted()
      let before = bench.countedOnce(outside, p).map { code -> String in
        ([code] + bench.jointPartners(code, p)).map { names[$0] ?? $0 }.joined(separator: " / ")
      }.sorted()
      let after = bench.model.flatMap { $0.showsExpectation ? $0 : nil }.map { m in
        m.authorities.filter { $0.expected != nil && ($0.position == "above_99.8" || $0.position == "below_99.8") }
          .map(\.name).sorted()
      }
      rows.append(Row(
        indicatorID: bench.indicator.id, title: bench.indicator.title, timePeriod: p.code,
        englandValue: bench.england[p]?.value, authoritiesReported: values.count, minimum: values.first,
        median: median, maximum: values.last, modelFamily: bench.model?.spec.family.rawValue,
        devianceExplained: bench.model?.model.pseudoRSquared, outside998BeforeContext: before,
        outside998AfterContext: after))
    }
    return EnglandTable(rows: rows, officialNeighbours: run.officialNeighboursDescription)
  }

  public func csv() -> String {
    let n = CSVWriter.number
    return CSVWriter.render(header: Self.csvHeader, rows: rows.map { r in
      [r.indicatorID, r.title, r.timePeriod, n(r.englandValue), String(r.authoritiesReported), n(r.minimum), n(r.median),
       n(r.maximum), r.modelFamily ?? "", n(r.devianceExplained), r.outside998BeforeContext.joined(separator: "; "),
       r.outside998AfterContext?.joined(separator: "; ") ?? "", ValuesTable.yearLabel(r.timePeriod)]
    })
  }

  public func json() throws -> Data { try PackJSON.encode(self) }

  public func workbook() -> XLSXWorkbook {
    let v = XLSXWorkbook.Cell.value, t = XLSXWorkbook.Cell.string
    return XLSXWorkbook(title: "PeerLens England pack", sheets: [
      .init(name: "Indicators", header: PeriodCells.workbookHeader(Self.header), rows: rows.map { r in
        [.text(r.indicatorID), .text(r.title)] + PeriodCells.code(r.timePeriod) + [v(r.englandValue),
         .number(Double(r.authoritiesReported)), v(r.minimum), v(r.median), v(r.maximum), t(r.modelFamily),
         v(r.devianceExplained), t(r.outside998BeforeContext.joined(separator: "; ")),
         t(r.outside998AfterContext?.joined(separator: "; "))]
      }),
      .init(name: "About", header: ["item", "value"], rows: [[.text("Statistical neighbours"), t(officialNeighbours)]]),
    ])
  }
}

extension NationalRun {
  /// The official neighbour list as every pack names it
  /// ("DfE statistical neighbours, 2025 model (dfe_statistical_neighbours_2025.csv)").
  public var officialNeighboursDescription: String { "\(officialLabel) (\(officialSource))" }
}

/// A region's or England's numbers in the three tabular formats.
public protocol SummaryTable {
  func csv() -> String
  func json() throws -> Data
  func workbook() -> XLSXWorkbook
}

/// Pretty, key-sorted JSON: every JSON file a pack writes, so the bytes
/// are reproducible.
/// The packs' JSON: pretty-printed with sorted keys, the bytes Foundation's
/// `JSONEncoder` writes with those options, written faster (`PrettyJSONEncoder`).
enum PackJSON {
  static func encode<T: Encodable>(_ value: T) throws -> Data {
    try PrettyJSONEncoder().encode(value)
  }
}
