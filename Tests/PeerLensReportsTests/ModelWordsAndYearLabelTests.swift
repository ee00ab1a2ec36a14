import Foundation
import Testing
@testable import PeerLensReports
import PeerLensData
import _PeerLensTestSupport

/// Fixes from the reader's review of a national run: words a director
/// reads in place of raw column names, "-0.00", p-values such as 9.6e-67,
/// and DfE's period codes alone in the CSV files.
@Suite struct ModelWordsAndYearLabelTests {
  @Test func aNumberThatRoundsToZeroHasNoSign() {
    #expect(NumberFormat.plain(-0.001, decimals: 2) == "0.00")
    #expect(NumberFormat.plain(-0.0049, decimals: 2) == "0.00")
    #expect(NumberFormat.plain(-0.4, decimals: 0) == "0")
    // Half away from zero, as DfE rounds: still negative.
    #expect(NumberFormat.plain(-0.005, decimals: 2) == "-0.01")
    #expect(NumberFormat.plain(-1234.5, decimals: 0) == "-1,235")
  }

  @Test func aModelIsDescribedInWords() {
    let formula = "cbind(numerator, denominator - numerator) ~ imd19_avg_score + log(pop_0_17_mid2024) + pct_hh_in_rural_lsoa_ruc21"
    let note = Phrases.modelNote(family: .quasibinomial, context: ContextWords.context(of: formula),
                                 explained: 0.3, skill: -0.001)
    #expect(note == "How much of the difference between authorities the area's context accounts for: 30% in the authorities "
      + "the model was fitted to; 0% for an authority the model has not seen (context skill 0.00). Model: a logistic "
      + "(quasi-binomial) regression of the proportion on deprivation (IMD 2019 average score), the logarithm of the "
      + "number of children aged 0 to 17 and the share of households in rural neighbourhoods.", "\(note)")
    #expect(ContextWords.context(of: "value ~ 1") == nil)
    let plain = Phrases.modelNote(family: .gaussian, context: ContextWords.context(of: "value ~ 1"), explained: 0, skill: nil)
    #expect(plain.hasSuffix("Model: a linear regression of the figure of the average alone."), "\(plain)")
    // A column PeerLens has no words for is named as written.
    #expect(ContextWords.term("my_column") == "my_column")
  }

  @Test func pValuesBelowATenthOfAPercentAreSaidSo() {
    #expect(PackWriter.pValue(9.6e-67) == "p < 0.001")
    #expect(PackWriter.pValue(0.00099) == "p < 0.001")
    #expect(PackWriter.pValue(0.11) == "p 0.11")
    #expect(PackWriter.pValue(nil) == "p not known")
  }

  /// On the real run: no shipped context column's raw name, no "-0.00" and
  /// no p-value in e-notation on the pages; every CSV row's `year_label`
  /// is its period's label.
  @Test func theRealPagesAndFilesUseWords() throws {
    let run = try Fixtures.real.get()
    let (writer, out) = try Fixtures.htmlWriter(run)
    defer { try? FileManager.default.removeItem(at: out) }
    _ = try writer.write(authorities: ["E06000017"], regions: ["E12000004"], everything: true)
    for page in ["authorities/E06000017.html", "regions/east-midlands.html", "england.html"] {
      let html = try String(contentsOf: out.appendingPathComponent(page), encoding: .utf8)
      for column in ContextWords.phrases.keys { #expect(!html.contains(column), "\(page) names \(column)") }
      // A negative zero: "-0.00" not followed by a further digit (-0.00449 is a coefficient).
      #expect(html.range(of: #"-0\.0+(?![0-9])"#, options: .regularExpression) == nil, "\(page)")
      #expect(html.range(of: #"\(p [0-9.]+e-"#, options: .regularExpression) == nil, "\(page)")
    }
    let values = ValuesTable.render(run)
    let lines = values.split(separator: "\n")
    #expect(lines.first?.hasSuffix(",ratio_upper,year_label,chance_tail") == true)
    let table = try CSVReader.parse(values, source: "values.csv")
    let codes = try table.text("time_period"), labels = try table.text("year_label")
    #expect(codes.count > 10_000)
    for (c, l) in zip(codes, labels) { #expect(l == (TimePeriod(code: c)?.label ?? c), "\(c): \(l)") }
    #expect(codes.contains("202425") && labels.contains("2024/25"))
    // `chance_tail` only where the exact chance lowered an additive flag:
    // short of 0.1% where the flag is 95%, of 2.5% where it is within.
    let tails = try table.text("chance_tail"), flags = try table.text("funnel_flag")
    let ids = try table.text("indicator_id"), areas = try table.text("new_la_code")
    var lowered = 0
    for k in tails.indices where !tails[k].isEmpty {
      lowered += 1
      let tail = try #require(Double(tails[k]))
      #expect(flags[k] == "within" ? tail > 0.025 : tail > 0.001 && !flags[k].contains("99.8"), "\(ids[k]) \(areas[k])")
    }
    #expect((1...200).contains(lowered), "\(lowered) rows with chance_tail")
    let scilly = try #require(ids.indices.first { ids[$0] == "sw_agency_rate_pct" && areas[$0] == "E06000053" && codes[$0] == "2025" })
    #expect(flags[scilly] == "above_95" && abs((Double(tails[scilly]) ?? 0) - 0.0169) < 0.001, "\(tails[scilly])")
    let england = EnglandTable.build(run: run).csv()
    let englandTable = try CSVReader.parse(england, source: "england.csv")
    for (c, l) in zip(try englandTable.text("time_period"), try englandTable.text("year_label")) {
      #expect(l == (TimePeriod(code: c)?.label ?? c))
    }
  }
}
