import Foundation
import Testing
import PeerLensData
import _PeerLensTestSupport

/// The release store: ingest is atomic, idempotent and refuses bad files.
@Suite(.serialized) struct StoreTests {
  @Test func ingestIsIdempotentAndCorruptFilesLeaveTheStoreAsItWas() throws {
    let catalogue = try MirrorTests.catalogue()
    let path = temporaryPath(".sqlite")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let store = try ReleaseStore(path: path)
    let first = try store.ingest(mirror: DataMirror(root: TestData.data), catalogue: catalogue, label: "first")
    guard case .created(let v1) = first else { Issue.record("expected a new vintage"); return }
    let stored = try store.values(vintage: v1.id, indicator: "cla_rate")
    #expect(stored.count > 700)
    // Absence rates keep their effective denominators (pupils, not sessions),
    // so a stored vintage's funnels count chance as the folder's do.
    let absence = try #require(try catalogue.indicator(id: "absence_cla_pct"))
    let computed = try IndicatorCalculator(mirror: DataMirror(root: TestData.data)).values(absence)
    let kept = try store.values(vintage: v1.id, indicator: "absence_cla_pct")
    func key(_ v: IndicatorValue) -> String { "\(v.level.rawValue) \(v.areaCode) \(v.period.code)" }
    let byKey = Dictionary(kept.map { (key($0), $0.effectiveDenominator) }, uniquingKeysWith: { a, _ in a })
    #expect(computed.filter { $0.effectiveDenominator != nil }.count > 500)
    for v in computed { #expect(byKey[key(v)] == .some(v.effectiveDenominator), "\(key(v))") }
    #expect(try store.files(vintage: v1.id).count == (try DataMirror(root: TestData.data).eesFileNames().count))

    // Re-ingesting the same files is a no-op.
    let again = try store.ingest(mirror: DataMirror(root: TestData.data), catalogue: catalogue)
    #expect(again == .unchanged(v1))
    #expect(try store.vintages().count == 1)

    let name = "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv"
    let original = try String(contentsOf: TestData.data.appendingPathComponent("dfe/" + name), encoding: .utf8)
    var lines = original.components(separatedBy: "\n")
    let header = lines[0].components(separatedBy: ",")
    let referralColumn = try #require(header.firstIndex(of: "referral_count"))

    // 1. Text in a count column.
    var fields = lines[5].components(separatedBy: ",")
    fields[referralColumn] = "abc"
    lines[5] = fields.joined(separator: ",")
    try expectRejected(store, catalogue, replacing: [("dfe/" + name): lines.joined(separator: "\n")]) { error in
      error == .unparsableNumber(file: name, line: 6, column: "referral_count", text: "abc")
    }

    // 2. Bad quoting.
    lines = original.components(separatedBy: "\n")
    lines[9] = lines[9] + ",\"unterminated"
    try expectRejected(store, catalogue, replacing: [("dfe/" + name): lines.joined(separator: "\n")]) { error in
      switch error {
      case .unterminatedQuote(let f, let l), .unexpectedCharacterAfterQuote(let f, let l, _): return f == name && l == 10
      default: return false
      }
    }

    // 3. A missing column.
    lines = original.components(separatedBy: "\n").map { line in
      var f = line.components(separatedBy: ",")
      if f.count > referralColumn { f.remove(at: referralColumn) }
      return f.joined(separator: ",")
    }
    try expectRejected(store, catalogue, replacing: [("dfe/" + name): lines.joined(separator: "\n")]) { error in
      if case .missingColumn(let f, let n, _) = error { return f == name && n == "referral_count" }
      return false
    }
    #expect(try store.vintages() == [v1])
    #expect(try store.values(vintage: v1.id, indicator: "cla_rate") == stored)
  }

  func expectRejected(_ store: ReleaseStore, _ catalogue: IndicatorCatalogue, replacing: [String: String],
                      _ matches: (CSVError) -> Bool) throws {
    let mirror = try TemporaryMirror(replacing: replacing)
    defer { mirror.remove() }
    do {
      _ = try store.ingest(mirror: DataMirror(root: mirror.root), catalogue: catalogue)
      Issue.record("ingest of a corrupted file succeeded")
    } catch let error as CSVError {
      #expect(matches(error), "unexpected error: \(error.localizedDescription)")
      #expect(error.localizedDescription.contains("c1_children"))
    }
  }
}
