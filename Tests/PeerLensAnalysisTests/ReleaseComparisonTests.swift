import Foundation
import Testing
import PeerLensAnalysis
import PeerLensData
import _PeerLensTestSupport

/// Two vintages from the mirror, the second with one published count
/// edited, report exactly that revision.
@Suite struct ReleaseComparisonTests {
  /// A store holding the mirror as vintage 1 and, as vintage 2, the mirror
  /// with Hartlepool's 2025 row of the children-in-need file (which feeds
  /// cin_rate only) passed through `edit` (its fields; nil drops the row).
  struct EditedStore {
    let catalogue: IndicatorCatalogue, store: ReleaseStore, v1: ReleaseStore.Vintage, v2: ReleaseStore.Vintage
    let remove: () -> Void
  }

  func editedStore(label: String, _ edit: (_ header: [String], _ fields: [String]) throws -> [String]?) throws -> EditedStore {
    let catalogue = try IndicatorCatalogue.load(from: ContextModelTests.models.appendingPathComponent("indicators.toml"))
    let path = temporaryPath(".sqlite")
    let store = try ReleaseStore(path: path)
    let v1 = try store.ingest(mirror: DataMirror(root: TestData.data), catalogue: catalogue, label: "original").vintage
    let name = "b1_children_in_need_2013_to_2025.csv"
    let text = try String(contentsOf: TestData.data.appendingPathComponent("dfe/" + name), encoding: .utf8)
    var lines = text.components(separatedBy: "\n")
    let row = try #require(lines.firstIndex { $0.hasPrefix("2025,") && $0.contains(",E06000001,") })
    if let edited = try edit(lines[0].components(separatedBy: ","), lines[row].components(separatedBy: ",")) {
      lines[row] = edited.joined(separator: ",")
    } else {
      lines.remove(at: row)
    }
    let mirror = try TemporaryMirror(replacing: ["dfe/" + name: lines.joined(separator: "\n")])
    let v2 = try store.ingest(mirror: DataMirror(root: mirror.root), catalogue: catalogue, label: label).vintage
    return EditedStore(catalogue: catalogue, store: store, v1: v1, v2: v2) {
      mirror.remove()
      try? FileManager.default.removeItem(atPath: path)
    }
  }

  @Test func oneEditedValueIsExactlyOneRevision() throws {
    let edited = try editedStore(label: "revised") { header, fields in
      let column = try #require(header.firstIndex(of: "At31_episodes"))
      let old = try #require(Double(fields[column]))
      var fields = fields
      fields[column] = String(Int(old) + 50)
      return fields
    }
    defer { edited.remove() }
    let (catalogue, store, v1, v2) = (edited.catalogue, edited.store, edited.v1, edited.v2)
    #expect(v2.id != v1.id)

    let cmp = try ReleaseComparison.compare(store: store, from: v1, to: v2, catalogue: catalogue)
    #expect(cmp.revisions.count == 1)
    let r = try #require(cmp.revisions.first)
    #expect(r.indicator == "cin_rate" && r.areaCode == "E06000001" && r.period == "2025")
    let population = try #require(try store.values(vintage: v1.id, indicator: "cin_rate", area: "E06000001")
      .first { $0.period.code == "2025" }?.denominator)
    #expect(agrees(try #require(r.change), 50 / population * 10_000, relative: 1e-9))
    #expect(cmp.addedIndicators.isEmpty && cmp.retiredIndicators.isEmpty && cmp.newPeriods.isEmpty)
  }

  /// An authority's row dropped from a file, for a period the release
  /// still holds, is a value withdrawn (and, compared the other way, one
  /// added); both were "Revised values: 0".
  @Test func aDroppedRowIsAValueWithdrawn() throws {
    let edited = try editedStore(label: "dropped") { _, _ in nil }
    defer { edited.remove() }
    let (catalogue, store, v1, v2) = (edited.catalogue, edited.store, edited.v1, edited.v2)
    let forward = try ReleaseComparison.compare(store: store, from: v1, to: v2, catalogue: catalogue)
    let withdrawn = forward.revisions.filter { $0.areaCode == "E06000001" && $0.period == "2025" }
    #expect(!withdrawn.isEmpty, "\(forward.revisions.prefix(5))")
    #expect(withdrawn.count == forward.revisions.count)
    #expect(withdrawn.allSatisfy { $0.newStatus == ReleaseComparison.notInRelease && $0.new == nil })
    #expect(forward.revisions.allSatisfy { $0.areaCode == "E06000001" }, "\(forward.revisions.prefix(5))")
    let backward = try ReleaseComparison.compare(store: store, from: v2, to: v1, catalogue: catalogue)
    #expect(backward.revisions.count == forward.revisions.count)
    #expect(backward.revisions.allSatisfy { $0.oldStatus == ReleaseComparison.notInRelease && $0.newStatus != ReleaseComparison.notInRelease },
            "\(backward.revisions.prefix(5))")
  }
}
