import Foundation
import Testing
import PeerLensAnalysis
import PeerLensData
import _PeerLensTestSupport

/// Ofsted ILACS leadership judgements: reading and counting, on a fixture
/// with known judgements (Tests/Fixtures/indicators/ofsted_leadership_fixture.csv).
@Suite struct LeadershipJudgementsTests {
  static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/indicators/ofsted_leadership_fixture.csv")

  func loadFixture() throws -> LeadershipJudgements {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("peerlens-ofsted-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root.appendingPathComponent("dfe"), withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: root) }
    try FileManager.default.copyItem(at: Self.fixture, to: root.appendingPathComponent(LeadershipJudgements.fileName))
    let registry = try DataMirror(root: TestData.data).registry()
    return try LeadershipJudgements.load(mirror: DataMirror(root: root), registry: registry)
  }

  @Test func readsJudgementAndDateIncludingAQuotedName() throws {
    let j = try loadFixture()
    #expect(j.byCode.count == 6)
    #expect(j.byCode["E06000002"] == .init(judgement: "Inadequate", date: "2023-05-02"))
    #expect(j.byCode["E06000006"]?.judgement == "Good")
    #expect(j.period == "2025")
  }

  /// Neighbours E06000001..E06000004 plus one authority absent from the
  /// fixture: Good 2, Inadequate 1, Outstanding 1, RI 0, not inspected 1.
  @Test func countsAmongNeighboursWithKnownJudgements() throws {
    let j = try loadFixture()
    let counts = j.counts(among: ["E06000001", "E06000002", "E06000003", "E06000004", "E09000001"])
    let byGrade = Dictionary(uniqueKeysWithValues: counts.map { ($0.grade, $0.count) })
    #expect(byGrade == ["Outstanding": 1, "Good": 2, "Requires improvement to be good": 0, "Inadequate": 1,
                        "Not inspected": 1])
    #expect(counts.prefix(4).map(\.grade) == LeadershipJudgements.grades)
    // The whole fixture as "England": 6 authorities, grades summing to 6.
    let all = j.counts(among: Array(j.byCode.keys))
    #expect(all.map(\.count).reduce(0, +) == 6 && !all.contains { $0.grade == "Not inspected" })
  }

  /// The real file: every current authority has a judgement; the counts
  /// equal a direct count of the file with a CSV parser (Python csv module).
  @Test func realFileCoversEveryAuthority() throws {
    let mirror = DataMirror(root: TestData.data)
    let j = try LeadershipJudgements.load(mirror: mirror, registry: try mirror.registry())
    #expect(j.byCode.count == 153)
    let counts = j.counts(among: Array(j.byCode.keys))
    #expect(Dictionary(uniqueKeysWithValues: counts.map { ($0.grade, $0.count) })
              == ["Outstanding": 45, "Good": 60, "Requires improvement to be good": 33, "Inadequate": 15])
  }
}
