import Foundation
import Testing
import PeerLensAnalysis
import PeerLensData
@testable import PeerLensReports
import _PeerLensTestSupport

/// Issue 17.4: the pack gives each rank its 95% interval in words, the
/// same interval as values.csv, and says when it spans most of the table.
@Suite(.serialized) struct RankIntervalPackTests {
  @Test func packsGiveEachRankItsIntervalInWords() throws {
    let run = try Fixtures.real.get()
    let builder = PackBuilder(run: run, software: "PeerLens test")
    let csv = try CSVReader.parse(ValuesTable.render(run, rankIntervals: builder.rankIntervals), source: "values.csv")
    let ids = try csv.text("indicator_id"), codes = try csv.text("new_la_code"), periods = try csv.text("time_period")
    let lower = try csv.text("rank_lower"), upper = try csv.text("rank_upper")
    var fromCSV: [String: (String, String)] = [:]
    for k in 0..<csv.rowCount where !lower[k].isEmpty { fromCSV["\(ids[k])|\(codes[k])|\(periods[k])"] = (lower[k], upper[k]) }
    var withNote = 0, wide = 0
    for code in ["E06000017", "E08000025", "E10000016"] {  // Rutland, Birmingham, Kent
      let pack = try builder.authorityPack(code: code)
      for s in pack.indicators {
        let bench = try #require(run.indicators.first { $0.indicator.id == s.id })
        guard let rank = s.rank, let l = s.rankLower, let u = s.rankUpper, let note = s.rankNote else {
          #expect(s.rankNote == nil)
          continue
        }
        #expect(l <= rank && rank <= u, "\(s.id) \(code): \(l) ≤ \(rank) ≤ \(u)")
        #expect(note.hasPrefix("Rank \(rank) of ") && note.contains("from \(l) to \(u)"), "\(note)")
        let ranked = try #require(Int(note.dropFirst("Rank \(rank) of ".count).prefix { $0.isNumber }))
        #expect(note.contains("most of the table") == (u - l + 1 >= (ranked + 1) / 2), "\(note)")
        if note.contains("most of the table") { wide += 1 }
        let key = "\(s.id)|\(code)|\(try #require(bench.latest).code)"
        #expect(fromCSV[key]?.0 == String(l) && fromCSV[key]?.1 == String(u), "\(key)")
        withNote += 1
      }
    }
    #expect(withNote > 60)
    // Rutland's small numbers give some intervals across most of the table.
    #expect(wide > 0)
  }
}
