import Foundation
import Testing
import PeerLensData
import _PeerLensTestSupport

/// An indicator whose filters select two rows with different figures for
/// one area and period is refused, naming the rows and the column to
/// filter on; before, it read whichever row came first.
@Suite struct AmbiguousRowsTests {
  static let header = "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,"
    + "old_la_code,new_la_code,la_name"

  /// A catalogue of one indicator reading `n` over `d` from `t.csv`,
  /// with `filters` (TOML inline table body) on its source.
  static func indicator(filters: String) throws -> Indicator {
    let text = """
      [[framework]]
      id = "outcome_1"
      title = "Outcome 1"

      [[indicator]]
      id = "share"
      title = "A share"
      framework = "outcome_1"
      unit = "percentage"
      decimals = 0
      rounding = "half_up"
      polarity = "no_judgement"
      description = "Test"
      source = "t.csv"
      filters = { \(filters) }
      numerator = { columns = ["n"] }
      denominator = { columns = ["d"] }
      """
    return try #require(try IndicatorCatalogue.parse(text, source: "t.toml").indicator(id: "share"))
  }

  /// A mirror holding `t.csv` with `columns` after the standard ones.
  static func mirror(columns: String, rows: [String]) throws -> DataMirror {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("ambiguous-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root.appendingPathComponent("dfe"), withIntermediateDirectories: true)
    let lines = [header + "," + columns] + rows.map { "2025,Academic year,Local authority,E92000001,England,E12000001,North East,805,E06000001,Hartlepool," + $0 }
    try lines.joined(separator: "\n").write(to: root.appendingPathComponent("dfe/t.csv"), atomically: true, encoding: .utf8)
    return DataMirror(root: root)
  }

  @Test func aMissingTextFilterIsNamedWithBothRowsValues() throws {
    let mirror = try Self.mirror(columns: "characteristic,n,d", rows: ["Total,30,100", "Male,12,50"])
    let error = try #require(throws: AmbiguousRows.self) { try IndicatorCalculator(mirror: mirror).values(Self.indicator(filters: "")) }
    #expect(error.firstLine == 2 && error.line == 3)
    #expect(error.figure.column == "n" && error.figure.first == "30" && error.figure.second == "12")
    #expect(error.filters.map(\.column) == ["characteristic"])
    let text = try #require(error.errorDescription)
    #expect(text.contains("t.csv, lines 2 and 3"))
    #expect(text.contains("Hartlepool (E06000001) in 2025"))
    #expect(text.contains("add a filter on characteristic"))
    #expect(text.contains("characteristic = \"Total\""))
    // With the filter, the Total row is read.
    let values = try IndicatorCalculator(mirror: mirror).values(Self.indicator(filters: "characteristic = \"Total\""))
    #expect(values.map(\.numerator) == [30])
  }

  /// Other figures on the rows differ too; they are not offered as the
  /// filter while a text column differs.
  @Test func figuresAreNotOfferedAsTheFilterWhenALabelDiffers() throws {
    let mirror = try Self.mirror(columns: "pupils,phase,n,d", rows: ["900,Total,30,100", "400,Secondary,12,50"])
    let error = try #require(throws: AmbiguousRows.self) { try IndicatorCalculator(mirror: mirror).values(Self.indicator(filters: "")) }
    #expect(error.filters.map(\.column) == ["phase"])
  }

  /// Rows told apart only by a number (an age) name that column.
  @Test func aNumericColumnIsNamedWhenNoLabelDiffers() throws {
    let mirror = try Self.mirror(columns: "age,n,d", rows: ["16,30,100", "17,12,50"])
    let error = try #require(throws: AmbiguousRows.self) { try IndicatorCalculator(mirror: mirror).values(Self.indicator(filters: "")) }
    #expect(error.filters.map(\.column) == ["age"])
  }

  /// Two rows under one code that name two authorities (a code typed on
  /// the wrong row): no filter is offered; the names are.
  @Test func rowsNamingTwoAuthoritiesUnderOneCodeAreNamed() throws {
    let mirror = try Self.mirror(columns: "n,d", rows: ["30,100"])
    let file = mirror.root.appendingPathComponent("dfe/t.csv")
    let wrong = "2025,Academic year,Local authority,E92000001,England,E12000001,North East,806,E06000001,Middlesbrough,12,50"
    try (try String(contentsOf: file, encoding: .utf8) + "\n" + wrong).write(to: file, atomically: true, encoding: .utf8)
    let error = try #require(throws: AmbiguousRows.self) {
      try IndicatorCalculator(mirror: DataMirror(root: mirror.root)).values(Self.indicator(filters: ""))
    }
    #expect(error.filters.isEmpty)
    #expect(error.identities.map(\.column) == ["old_la_code", "la_name"])
    let text = try #require(error.errorDescription)
    #expect(text.contains("name two") && text.contains("'Hartlepool' and 'Middlesbrough'") && !text.contains("add a filter"))
  }

  /// Rows alike in everything but the figure: nothing to filter on.
  @Test func aContradictoryRepeatIsToldToBeRemoved() throws {
    let mirror = try Self.mirror(columns: "n,d", rows: ["30,100", "31,100"])
    let error = try #require(throws: AmbiguousRows.self) { try IndicatorCalculator(mirror: mirror).values(Self.indicator(filters: "")) }
    #expect(error.filters.isEmpty)
    #expect(try #require(error.errorDescription).contains("remove one of them"))
  }

  /// A repeat with the same figures (12 and 12.0 are the same figure) is
  /// read once.
  @Test func aRepeatWithTheSameFiguresIsReadOnce() throws {
    let mirror = try Self.mirror(columns: "note,n,d", rows: ["a,12,100", "b,12.0,100"])
    let values = try IndicatorCalculator(mirror: mirror).values(Self.indicator(filters: ""))
    #expect(values.count == 1)
    #expect(values.first?.numerator == 12)
  }

  /// The shipped catalogue reads the real absence file with its phase
  /// filter; without it, the file's Total and phase rows are named.
  @Test func theRealAbsenceFileNeedsItsPhaseFilter() throws {
    let mirror = DataMirror(root: TestData.data)
    let shipped = try #require(try MirrorTests.catalogue().indicator(id: "absence_cin_pct"))
    #expect(shipped.filters["phase_type_grouping"] == "Total")
    #expect(try !IndicatorCalculator(mirror: mirror).values(shipped).isEmpty)
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Models/indicators.toml")
    let text = try String(contentsOf: url, encoding: .utf8)
    let filter = "filters = { social_care_group = \"CINO at 31 March\", phase_type_grouping = \"Total\" }"
    #expect(text.contains(filter))
    let edited = text.replacingOccurrences(of: filter, with: "filters = { social_care_group = \"CINO at 31 March\" }")
    let ind = try #require(try IndicatorCatalogue.parse(edited, source: "edited.toml").indicator(id: "absence_cin_pct"))
    let error = try #require(throws: AmbiguousRows.self) { try IndicatorCalculator(mirror: mirror).values(ind) }
    #expect(error.filters.first?.column == "phase_type_grouping")
  }
}
