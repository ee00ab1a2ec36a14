import Foundation
import Testing
import PeerLensAnalysis
import PeerLensData
import _PeerLensTestSupport

/// Two vintages from the mirror, the second with one published count
/// edited, report exactly that revision.
@Suite struct ReleaseComparisonTests {
  @Test func oneEditedValueIsExactlyOneRevision() throws {
    let catalogue = try IndicatorCatalogue.load(from: ContextModelTests.models.appendingPathComponent("indicators.toml"))
    let path = temporaryPath(".sqlite")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let store = try ReleaseStore(path: path)
    let v1 = try store.ingest(mirror: DataMirror(root: TestData.data), catalogue: catalogue, label: "original").vintage

    // Edit Hartlepool's children in need on 31 March 2025 (feeds cin_rate only).
    let name = "b1_children_in_need_2013_to_2025.csv"
    let text = try String(contentsOf: TestData.data.appendingPathComponent("dfe/" + name), encoding: .utf8)
    var lines = text.components(separatedBy: "\n")
    let header = lines[0].components(separatedBy: ",")
    let column = try #require(header.firstIndex(of: "At31_episodes"))
    let row = try #require(lines.firstIndex { $0.hasPrefix("2025,") && $0.contains(",E06000001,") })
    var fields = lines[row].components(separatedBy: ",")
    let old = try #require(Double(fields[column]))
    fields[column] = String(Int(old) + 50)
    lines[row] = fields.joined(separator: ",")
    let mirror = try TemporaryMirror(replacing: ["dfe/" + name: lines.joined(separator: "\n")])
    defer { mirror.remove() }
    let v2 = try store.ingest(mirror: DataMirror(root: mirror.root), catalogue: catalogue, label: "revised").vintage
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
    let catalogue = try IndicatorCatalogue.load(from: ContextModelTests.models.appendingPathComponent("indicators.toml"))
    let path = temporaryPath(".sqlite")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let store = try ReleaseStore(path: path)
    let v1 = try store.ingest(mirror: DataMirror(root: TestData.data), catalogue: catalogue, label: "original").vintage
    let name = "b1_children_in_need_2013_to_2025.csv"
    let text = try String(contentsOf: TestData.data.appendingPathComponent("dfe/" + name), encoding: .utf8)
    var lines = text.components(separatedBy: "\n")
    let row = try #require(lines.firstIndex { $0.hasPrefix("2025,") && $0.contains(",E06000001,") })
    lines.remove(at: row)
    let mirror = try TemporaryMirror(replacing: ["dfe/" + name: lines.joined(separator: "\n")])
    defer { mirror.remove() }
    let v2 = try store.ingest(mirror: DataMirror(root: mirror.root), catalogue: catalogue, label: "dropped").vintage
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
