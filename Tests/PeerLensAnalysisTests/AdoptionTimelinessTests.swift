import Foundation
import Testing
import PeerLensAnalysis
import PeerLensData
import _PeerLensTestSupport

/// England-only adoption timeliness, read from the published file.
@Suite struct AdoptionTimelinessTests {
  /// The file publishes, for the year ending March 2025, 10 months for all
  /// ages ("00:10") and 9 months for children who started care under 1.
  @Test func readsEnglandSeriesAndLatestByAge() throws {
    let a = try AdoptionTimeliness.load(mirror: DataMirror(root: TestData.data))
    #expect(a.series.map(\.period) == ["2021", "2022", "2023", "2024", "2025"])
    #expect(a.series.last?.months == 10)
    #expect(a.latestByAge.first { $0.age == "Aged under 1" }?.months == 9)
    #expect(!a.latestByAge.contains { $0.age == AdoptionTimeliness.totalLabel })
  }
}
