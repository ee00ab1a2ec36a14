import Foundation
import Testing
import PeerLensAnalysis
import PeerLensData
@testable import PeerLensReports
import _PeerLensTestSupport

/// Issue 23: the figures the dashboard shows sit under the outcome or
/// enabler where the dashboard puts them, the assessment factors are read
/// together in a grouped chart, and the figures beside the indicators
/// reach values.csv and the workbook.
@Suite(.serialized) struct FrameworkPlacementTests {
  /// The slice of section 2 under one framework heading.
  static func part(_ html: String, framework: String) throws -> String {
    let start = try #require(html.range(of: "<h3 class=\"framework\" id=\"framework-\(framework)\">"))
    let end = html.range(of: "<h3 class=\"framework\"", range: start.upperBound..<html.endIndex)?.lowerBound
      ?? html.range(of: "<h2 id=\"breakdowns\">", range: start.upperBound..<html.endIndex)!.lowerBound
    return String(html[start.upperBound..<end])
  }

  @Test func extrasSitUnderTheirOutcomeOrEnabler() throws {
    let run = try Fixtures.real.get()
    let html = try HTMLRendererProbe.render(run: run, code: "E09000007")  // Camden
    #expect(HTMLCheck.problems(html).isEmpty, "\(HTMLCheck.problems(html).prefix(3))")
    // Every framework with an indicator has its heading, in catalogue order.
    var last = html.startIndex
    for fw in run.catalogue.frameworks where run.indicators.contains(where: { $0.indicator.framework == fw.id }) {
      let r = try #require(html.range(of: "id=\"framework-\(fw.id)\"", range: last..<html.endIndex), "\(fw.id) out of order")
      last = r.upperBound
    }
    let leaders = try Self.part(html, framework: "enabler_2")
    #expect(leaders.contains("id=\"ofsted-leadership\"") && leaders.contains("id=\"\(PackBuilder.anchor("cs_spend_per_child"))\""))
    #expect(leaders.contains("<b>Outstanding</b> (inspection 2025-03-03)"))
    #expect(try Self.part(html, framework: "enabler_1").contains("id=\"workforce-ethnicity\""))
    #expect(try Self.part(html, framework: "outcome_4").contains("id=\"adoption-timeliness\""))
    // Each appears once, and not under "3. Breakdowns".
    for id in ["ofsted-leadership", "workforce-ethnicity", "adoption-timeliness"] {
      #expect(html.components(separatedBy: "id=\"\(id)\"").count == 2, "\(id) appears more than once")
    }
    let breakdowns = try #require(html.range(of: "<h2 id=\"breakdowns\">"))
    #expect(!html[breakdowns.upperBound...].contains("id=\"ofsted-leadership\""))
    // Every indicator section sits under its own framework.
    for bench in run.indicators {
      let anchor = PackBuilder.anchor(bench.indicator.id)
      #expect(try Self.part(html, framework: bench.indicator.framework).contains("<section class=\"indicator\" id=\"\(anchor)\""),
              "\(bench.indicator.id) not under \(bench.indicator.framework)")
    }
  }

  /// One chart per group, before the group's first indicator, with a row
  /// for every indicator of the group showing the authority's value.
  @Test func assessmentFactorsAreChartedByGroup() throws {
    let run = try Fixtures.real.get()
    let pack = try PackBuilder(run: run, software: "PeerLens test").authorityPack(code: "E08000025")  // Birmingham
    let html = try HTMLRendererProbe.render(run: run, code: "E08000025")
    let groups = Dictionary(grouping: run.catalogue.indicators.filter { $0.group != nil }, by: { $0.group! })
    #expect(groups.count == 2, "\(groups.keys.sorted())")
    #expect(groups.values.map(\.count).reduce(0, +) == 11)
    for (group, members) in groups {
      let slug = HTMLRenderer.slug(group)
      let start = try #require(html.range(of: "<section class=\"group-chart\" id=\"group-\(slug)\">"), "\(group)")
      let end = try #require(html.range(of: "</section>", range: start.upperBound..<html.endIndex))
      let chart = String(html[start.upperBound..<end.lowerBound])
      // Before the first member's section.
      let first = try #require(html.range(of: "id=\"\(PackBuilder.anchor(members[0].id))\""))
      #expect(start.lowerBound < first.lowerBound)
      for ind in members {
        let label = HTMLRenderer.groupLabel(ind.shortTitle ?? ind.title)
        #expect(chart.contains(">\(XMLText.escape(label))</text>"), "\(ind.id) missing from \(group)")
        let s = try #require(pack.indicators.first { $0.id == ind.id })
        if let v = s.value {
          // The bar's label is the section's value at the published precision.
          #expect(chart.contains(">\(NumberFormat.plain(v, decimals: ind.decimals))</text>"), "\(ind.id) \(v)")
        }
      }
      // Neutral: one colour for every bar, no judging class.
      #expect(!chart.contains(Palette.towardsWorse) && !chart.contains(Palette.towardsBetter))
    }
  }

  @Test func valuesCsvCarriesTheFiguresBesideTheIndicators() throws {
    let run = try Fixtures.real.get()
    let builder = PackBuilder(run: run, software: "PeerLens test")
    let table = try CSVReader.parse(ValuesTable.render(run, extras: builder.valuesExtraRows()), source: "values.csv")
    #expect(table.columnNames == ValuesTable.header)
    let ids = try table.text("indicator_id"), codes = try table.text("new_la_code"), text = try table.text("value_text")
    let dates = try table.text("date"), category = try table.text("category"), values = try table.text("value")
    let ratio = try table.text("ratio"), population = try table.text("population_share")
    let current = run.registry.authorities.filter(\.isCurrent).count
    let ofsted = (0..<table.rowCount).filter { ids[$0] == "ofsted_ilacs_leadership" }
    #expect(ofsted.count == current)
    let camden = try #require(ofsted.first { codes[$0] == "E09000007" })
    #expect(text[camden] == "Outstanding" && dates[camden] == "2025-03-03")
    // The file's judgements, counted from values.csv, match the pack's England counts.
    let pack = try builder.authorityPack(code: "E09000007")
    for c in try #require(pack.leadership).counts where c.grade != "Not inspected" {
      #expect(ofsted.filter { text[$0] == c.grade }.count == c.england, "\(c.grade)")
    }
    // Social workers: the pack's rows, number for number.
    let w = try #require(pack.workforceEthnicity)
    let mine = (0..<table.rowCount).filter { ids[$0] == "sw_ethnicity_pct" && codes[$0] == "E09000007" }
    #expect(mine.count == w.rows.count)
    for (k, r) in zip(mine, w.rows) {
      #expect(category[k] == "\(r.role): \(r.group)")
      #expect(values[k] == CSVWriter.number(r.share) && ratio[k] == CSVWriter.number(r.ratio))
      #expect(population[k] == CSVWriter.number(r.populationShare))
    }
    let adoption = (0..<table.rowCount).filter { ids[$0] == "adoption_order_to_match_months" }
    #expect(adoption.count >= 5 && adoption.allSatisfy { codes[$0] == "E92000001" })
    #expect(adoption.contains { values[$0] == "10" })  // 2025: 10 months for all ages
  }

  /// A share of social workers that is 0 of 0 (no one of known ethnicity
  /// in the role) is not a value: values.csv gives it a status saying why,
  /// so nothing reads an `ok` row with an empty value.
  @Test func valuesCsvMarksZeroOfZeroSocialWorkerSharesAsNotOk() throws {
    let run = try Fixtures.real.get()
    let rows = PackBuilder(run: run, software: "PeerLens test").valuesExtraRows()
      .filter { $0["indicator_id"] == "sw_ethnicity_pct" }
    #expect(!rows.isEmpty)
    for row in rows {
      #expect((row["status"] == "ok") == !(row["value"] ?? "").isEmpty, "\(row)")
    }
    // The City of London's first line managers, 2025: none of known ethnicity.
    let city = rows.filter { $0["new_la_code"] == "E09000001" && $0["category"]?.hasPrefix("First line manager:") == true }
    #expect(city.count == 5 && city.allSatisfy { $0["status"] == "zero_denominator" && $0["numerator"] == "0" }, "\(city)")
  }

  @Test func workbookHasASheetForEachFigureBesideTheIndicators() throws {
    let run = try Fixtures.real.get()
    let pack = try PackBuilder(run: run, software: "PeerLens test").authorityPack(code: "E09000007")
    let book = PackWorkbook.build(pack)
    let ofsted = try #require(book.sheets.first { $0.name == "Ofsted leadership" })
    #expect(ofsted.rows.count == pack.leadership?.counts.count)
    #expect(ofsted.rows.first?[2] == .text("Outstanding"))
    let workforce = try #require(book.sheets.first { $0.name == "Workforce ethnicity" })
    #expect(workforce.rows.count == pack.workforceEthnicity?.rows.count)
    let care = try #require(book.sheets.first { $0.name == "Care ethnicity" })
    #expect(care.rows.count == pack.careEthnicity?.rows.count)
    for sheet in [ofsted, workforce, care] { for row in sheet.rows { #expect(row.count == sheet.header.count, "\(sheet.name)") } }
  }

  /// Pounds have no funnel and no interval, and every spending section
  /// with a value says why, whether or not it has a contextual model.
  @Test func spendingSaysWhyItHasNoFunnel() throws {
    let run = try Fixtures.real.get()
    let pack = try PackBuilder(run: run, software: "PeerLens test").authorityPack(code: "E09000007")  // Camden
    for id in ["cs_share_of_spend_pct", "cs_spend_per_child", "cs_spend_not_cla_pct"] {
      let s = try #require(pack.indicators.first { $0.id == id })
      #expect(s.value != nil && s.funnelFlag == nil && s.intervalLower == nil, "\(id)")
      #expect(s.sentence.contains("No funnel limits") && s.sentence.contains("Pounds are not counts of children"), "\(id): \(s.sentence)")
      let bench = try #require(run.indicators.first { $0.indicator.id == id })
      #expect(bench.funnel.isEmpty, "\(id) has a funnel")
    }
    // Spend per child has a model; the share of total spend says why not.
    #expect(pack.indicators.first { $0.id == "cs_spend_per_child" }?.modelNote?.contains("Model: a linear regression of the figure on deprivation") == true)
    #expect(pack.indicators.first { $0.id == "cs_share_of_spend_pct" }?.modelNote?.hasPrefix("No contextual model.") == true)
  }
}
