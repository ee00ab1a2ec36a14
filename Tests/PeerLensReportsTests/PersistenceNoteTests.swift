import Foundation
import Testing
import PeerLensAnalysis
import PeerLensData
@testable import PeerLensReports
import _PeerLensTestSupport

/// Issue 17.6: where an indicator has five or more years and a binomial or
/// negative binomial model, the pack says whether the authority's
/// difference from expectation is persistent over the years, as the
/// multi-year model reads it.
@Suite(.serialized) struct PersistenceNoteTests {
  @Test func packsSayWhetherADifferenceIsPersistent() throws {
    let base = try Fixtures.real.get()
    #expect(base.indicators.allSatisfy { $0.multiYear == nil })  // an option, off by default
    let ids: Set<String> = ["cla_rate", "cin_rate", "cpp_rate", "rereferral_pct", "cpp_subsequent_pct", "nfa_pct"]
    let run = base.withMultiYearModels(context: try DataMirror(root: TestData.data).context(), only: ids)
    let withModel = run.indicators.filter { $0.multiYear != nil }
    #expect(withModel.count >= 4 && withModel.allSatisfy { ids.contains($0.indicator.id) }, "\(withModel.map(\.indicator.id))")
    let builder = PackBuilder(run: run, software: "PeerLens test")
    var notes = 0, persistent = 0
    for code in ["E06000017", "E08000025", "E10000016"] {  // Rutland, Birmingham, Kent
      let pack = try builder.authorityPack(code: code)
      for s in pack.indicators {
        let bench = try #require(run.indicators.first { $0.indicator.id == s.id })
        // An authority with one year in the model has nothing to be persistent over.
        // Where context does not predict the indicator, no expectation and so no persistence against it.
        guard bench.model?.showsExpectation == true, let m = bench.multiYear,
              let a = m.authorities.first(where: { $0.code == code }), a.years >= 2 else {
          #expect(s.persistenceNote == nil, "\(s.id)")
          continue
        }
        let note = try #require(s.persistenceNote, "\(s.id) \(code)")
        #expect(note.contains("Over \(m.periods.first!.label) to \(m.periods.last!.label)"))
        switch a.reading {
        case .persistentlyHigher: #expect(note.contains("persistently higher than expected given context")); persistent += 1
        case .persistentlyLower: #expect(note.contains("persistently lower than expected given context")); persistent += 1
        case .noPersistentDifference: #expect(note.contains("no persistent difference"))
        }
        notes += 1
      }
    }
    #expect(notes >= 9 && persistent > 0)
  }
}
