import Foundation
import Testing
import PeerLensAnalysis
import PeerLensData
import _PeerLensTestSupport

/// Breakdown categories in DfE's order, not text order (issue 22.5).
@Suite struct NaturalOrderTests {
  static let models = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Models")

  /// DfE's age bands, youngest first, whatever order they arrive in.
  @Test func ageBandsGoYoungestFirstWithTheTotalLast() {
    let dfe = ["Under 1 year", "1 to 4 years", "5 to 9 years", "10 to 15 years", "16 years and over", "Total"]
    #expect(NaturalOrder.sorted(dfe.sorted()) == dfe)
    #expect(NaturalOrder.sorted(dfe.reversed()) == dfe)
    let adoption = ["Aged under 1", "Aged 1", "Aged 2", "Aged 6", "Aged 7 and over"]
    #expect(NaturalOrder.sorted(adoption.sorted()) == adoption)
  }

  @Test func distanceBandsAndUnknownsAndTotals() {
    let distance = ["Placed 20 miles or less from home", "Placed more than 20 miles from home",
                    "Distance not known or not recorded"]
    #expect(NaturalOrder.sorted(distance.sorted()) == distance)
    // No number in every name: text order with digits by value; unknowns, then totals, last.
    let activity = ["In an apprenticeship", "In training or employment", "Not in education, training or employment",
                    "Total in education, employment or training", "Total not in education, employment or training"]
    #expect(NaturalOrder.sorted(activity.reversed()) == activity)
    let groups = ["Group 2", "Group 10", "Unknown", "Total"]
    #expect(NaturalOrder.sorted(["Total", "Group 10", "Unknown", "Group 2"]) == groups)
    let ethnicity = ["Asian or Asian British", "White", "Refused or information not yet available"]
    #expect(NaturalOrder.sorted(ethnicity.reversed()) == ethnicity)
  }

  /// The pack's age breakdown, read from DfE's file (which lists the bands
  /// in text order), comes out youngest first.
  @Test func theAgeBreakdownReadFromTheDataIsYoungestFirst() throws {
    let mirror = DataMirror(root: TestData.data)
    let specs = try BreakdownSpec.loadAll(from: Self.models.appendingPathComponent("breakdowns.toml"))
    let spec = try #require(specs.first { $0.title.hasSuffix("by age") })
    let table = try #require(try BreakdownTable(spec, mirror: mirror, registry: try mirror.registry()))
    #expect(table.categories == ["Under 1 year", "1 to 4 years", "5 to 9 years", "10 to 15 years", "16 years and over"])
    let rows = try #require(BreakdownResult.compute(table, code: "E06000017", neighbours: []))
    #expect(rows.rows.map(\.category) == table.categories)
  }

  @Test func adoptionAgesAreYoungestFirst() throws {
    let a = try AdoptionTimeliness.load(mirror: DataMirror(root: TestData.data))
    #expect(a.latestByAge.first?.age == "Aged under 1")
    #expect(a.latestByAge.last?.age == "Aged 7 and over")
  }
}
