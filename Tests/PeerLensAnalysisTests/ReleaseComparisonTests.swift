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

  /// A vintage stored before North Yorkshire's county code was read as the
  /// unitary (here: a lookup without the succession) holds its history
  /// under E10000023; read through today's registry, comparing it with a
  /// vintage that holds it under E06000065 shows no figure withdrawn and
  /// added there. Without the registry the same history showed as
  /// withdrawn under one code and added under the other.
  @Test func aVintageStoredBeforeARecodingShowsNoFalseRevisions() throws {
    let catalogue = try IndicatorCatalogue.load(from: ContextModelTests.models.appendingPathComponent("indicators.toml"))
    let path = temporaryPath(".sqlite")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let store = try ReleaseStore(path: path)
    let lookup = try String(contentsOf: TestData.data.appendingPathComponent("lookups/la_codes.csv"), encoding: .utf8)
    let succession = ",E12000003,Yorkshire and The Humber,2013,2023,E06000065"
    #expect(lookup.contains(succession))
    let before = try TemporaryMirror(replacing: ["lookups/la_codes.csv": lookup.replacingOccurrences(
      of: succession, with: ",E12000003,Yorkshire and The Humber,2013,2023,")])
    defer { before.remove() }
    let v1 = try store.ingest(mirror: DataMirror(root: before.root), catalogue: catalogue, label: "before").vintage
    let name = "dfe/b1_children_in_need_2013_to_2025.csv"
    let text = try String(contentsOf: TestData.data.appendingPathComponent(name), encoding: .utf8)
    // One edit, so the second ingest is a new vintage: Hartlepool's 2025 count + 50.
    var lines = text.components(separatedBy: "\n")
    let row = try #require(lines.firstIndex { $0.hasPrefix("2025,") && $0.contains(",E06000001,") })
    var fields = lines[row].components(separatedBy: ",")
    let column = try #require(lines[0].components(separatedBy: ",").firstIndex(of: "At31_episodes"))
    fields[column] = String(Int(try #require(Double(fields[column]))) + 50)
    lines[row] = fields.joined(separator: ",")
    let after = try TemporaryMirror(replacing: [name: lines.joined(separator: "\n")])
    defer { after.remove() }
    let v2 = try store.ingest(mirror: DataMirror(root: after.root), catalogue: catalogue, label: "after").vintage
    #expect(v1.id != v2.id)
    let raw = try ReleaseComparison.compare(store: store, from: v1, to: v2, catalogue: catalogue)
    #expect(raw.revisions.contains { $0.areaCode == "E10000023" }, "the test needs history stored under the county code")
    let registry = try DataMirror(root: TestData.data).registry()
    let read = try ReleaseComparison.compare(store: store, from: v1, to: v2, catalogue: catalogue, registry: registry)
    #expect(raw.revisions.contains { $0.areaCode == "E10000023" && $0.newStatus == "not_in_release" })
    let northYorkshire = read.revisions.filter { ["E10000023", "E06000065"].contains($0.areaCode) }
    // No figure withdrawn under one code and added under the other. What
    // remains is new: rates whose count and population were filed under
    // different codes, computed only once the codes are read as one
    // (children seeking asylum in care, 2021–2023: not available → a rate).
    #expect(!northYorkshire.contains { $0.oldStatus == "not_in_release" || $0.newStatus == "not_in_release" },
            "\(northYorkshire.prefix(3))")
    #expect(northYorkshire.allSatisfy { $0.old == nil && $0.newStatus == "ok" }, "\(northYorkshire.prefix(3))")
  }
}
