import Foundation
import Testing
@testable import PeerLensData
import _PeerLensTestSupport

/// `data import` recognises files by their columns, not their names.
@Suite struct LayoutMatcherTests {
  /// Every DfE file of the snapshot is recognised as itself, including the
  /// pairs whose columns are identical (care leavers' accommodation and
  /// activity; new placements and health outcomes), which only their filter
  /// values tell apart.
  @Test func everySnapshotFileIsRecognisedAsItself() throws {
    let mirror = DataMirror(root: TestData.data)
    let matcher = try LayoutMatcher(mirror: mirror)
    #expect(matcher.layouts.count >= 25)
    for layout in matcher.layouts {
      let table = try CSVReader.read(contentsOf: mirror.url("dfe/" + layout.name), source: layout.name)
      #expect(matcher.recognise(table) == .layout(layout.name), "\(layout.name)")
    }
  }

  @Test func columnOrderAndExtraColumnsDoNotMatter() throws {
    let mirror = DataMirror(root: TestData.data)
    let matcher = try LayoutMatcher(mirror: mirror)
    let t = try CSVReader.read(contentsOf: mirror.url("dfe/csww_indicators_2017_to_2025.csv"), source: "x")
    let order = Array(t.columnNames.indices.reversed())
    let shuffled = CSVTable(source: "x", columnNames: order.map { t.columnNames[$0] } + ["new_in_2026"],
                            cells: order.map { t.cells[$0] } + [Array(repeating: "1", count: t.rowCount)],
                            quoted: order.map { t.quoted[$0] } + [Array(repeating: false, count: t.rowCount)],
                            lineNumbers: t.lineNumbers)
    #expect(matcher.recognise(shuffled) == .layout("csww_indicators_2017_to_2025.csv"))
  }

  @Test func tiedColumnsWithNoSharedFilterValuesAreAmbiguous() throws {
    let mirror = DataMirror(root: TestData.data)
    let matcher = try LayoutMatcher(mirror: mirror)
    let t = try CSVReader.read(contentsOf: mirror.url("dfe/la_care_leavers_activity.csv"), source: "x")
    let j = t.columnNames.firstIndex(of: "breakdown")!
    var cells = t.cells
    cells[j] = cells[j].map { _ in "Something new" }
    let renamed = CSVTable(source: "x", columnNames: t.columnNames, cells: cells, quoted: t.quoted, lineNumbers: t.lineNumbers)
    // Only care_leaver_age's values still match, and both files share them.
    #expect(matcher.recognise(renamed) == .ambiguous(["la_care_leavers_accommodation_suitability.csv", "la_care_leavers_activity.csv"]))
  }
}
