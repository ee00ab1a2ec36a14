import Foundation

/// An authority pack as an Excel workbook: the same numbers as the pack's
/// CSV and JSON, laid out one table per sheet for analysts who work in
/// Excel. Column names follow `values.csv` where the two overlap; each
/// period is a numeric `time_period` and a text `year_label` (`PeriodCells`).
public enum PackWorkbook {
  public static func build(_ pack: AuthorityPack) -> XLSXWorkbook {
    typealias C = XLSXWorkbook.Cell
    let v = C.value, t = C.string

    var about: [[C]] = [
      [.text("Authority"), .text(pack.name)],
      [.text("new_la_code"), .text(pack.code)],
      [.text("old_la_code"), t(pack.oldCode)],
      [.text("Region"), .text(pack.region)],
      [.text("How to read"), .text(
        "Each figure is set beside England, the region, statistical neighbours and the value expected given the area's context. "
          + "Differences are prompts for questions, not judgements of performance; read the indicators together and with local knowledge.")],
      [.text("Software"), .text(pack.provenance.software)],
      [.text("Statistical neighbours"), .text(pack.provenance.officialNeighbours)],
    ]
    about += pack.provenance.models.map { [.text("Model"), .text($0)] }
    about += pack.provenance.caveats.map { [.text("Caveat"), .text($0)] }
    about += pack.provenance.suppressionNotes.map { [.text("Suppression"), .text($0)] }
    about.append([.text("Adoption timeliness"), .text(
      "Average time from placement order to match with adopters: DfE publishes this for England only, so no figure for this authority is published; see the England pack.")])
    about += pack.provenance.files.map { [.text("Source file"), .text($0.name), .text($0.sha256)] }

    // Indicator figures are shown at the indicator's published precision
    // (the cells keep full precision).
    let indicators: [[C]] = pack.indicators.map { s in
      let f = { (x: Double?) in C.fixed(x, decimals: s.decimals) }
      return [
        .text(s.id), .text(s.title), .text(s.framework), .text(s.unit), .text(s.polarity),
      ] + PeriodCells.label(s.period) + [
        f(s.value), .text(s.status), v(s.numerator), v(s.denominator), f(s.intervalLower), f(s.intervalUpper),
        t(s.intervalMethod), f(s.england), f(s.region), f(s.neighbourMedian), f(s.expected), f(s.predictionLower),
        f(s.predictionUpper), f(s.predictionLower998), f(s.predictionUpper998), v(s.ratio), t(s.contextPosition),
        t(s.funnelFlag), v(s.zScore), .text(s.sentence), t(s.spcNote), t(s.modelNote),
        s.neighbourCount.map { .number(Double($0)) } ?? .empty, f(s.neighbourMean), s.rank.map { .number(Double($0)) } ?? .empty,
        t(s.quartileBand), f(s.publishedValue),
        s.rankLower.map { .number(Double($0)) } ?? .empty, s.rankUpper.map { .number(Double($0)) } ?? .empty,
      ]
    }

    var trends: [[C]] = []
    for s in pack.indicators {
      let f = { (x: Double?) in C.fixed(x, decimals: s.decimals) }
      for p in s.trend {
        trends.append([.text(s.id)] + PeriodCells.label(p.period) + [
          f(p.value), .text(p.status), f(p.england), f(p.region), f(p.neighbourMedian),
          f(p.spcMean), f(p.spcLower), f(p.spcUpper), t(p.spcFlags.joined(separator: ";")), t(p.variation),
        ])
      }
    }

    var breakdowns: [[C]] = []
    for b in pack.breakdowns {
      for r in b.rows {
        breakdowns.append([.text(b.title)] + PeriodCells.label(b.period) + [
          .text(r.category), v(r.count), .text(r.status), v(r.share), v(r.lower),
          v(r.upper), v(r.england), v(r.neighbourMedian), v(r.disproportionality),
        ])
      }
    }

    // The figures the pack shows beside the indicators (issue 23): each on
    // its own sheet, as they are categories or breakdowns, not one value.
    var leadership: [[C]] = []
    if let l = pack.leadership {
      leadership = l.counts.map { c in
        PeriodCells.label(l.asAt) + [t(l.judgement), t(l.date), .text(c.grade), .number(Double(c.neighbours)),
         .number(Double(c.region)), .number(Double(c.england))]
      }
    }
    let workforce: [[C]] = pack.workforceEthnicity.map { w in
      w.rows.map { r in
        PeriodCells.label(w.period) + [.text(r.role), .text(r.group), v(r.count), v(r.share), v(r.populationShare),
                                       v(r.ratio), v(r.lower), v(r.upper)]
      }
    } ?? []
    let careEthnicity: [[C]] = pack.careEthnicity.map { e in
      e.rows.map { r in
        PeriodCells.label(e.period) + [.text(r.group), v(r.count), .text(r.status), v(r.versusPopulation),
                                       v(r.populationLower), v(r.populationUpper), v(r.versusEnglandCare),
                                       v(r.englandLower), v(r.englandUpper)]
      }
    } ?? []

    let context: [[C]] = pack.context.map { [.text($0.variable), .text($0.label), v($0.value), v($0.median), v($0.percentile)] }

    let neighbours: [[C]] =
      pack.officialNeighbours.map { [.text("official (DfE \(pack.provenance.officialNeighboursRelease ?? "list"))"), .number(Double($0.rank)), .text($0.code), .text($0.name), t($0.band)] }
      + pack.modelNeighbours.map { [.text("context model"), .number(Double($0.rank)), .text($0.code), .text($0.name), t($0.band)] }

    let notes: [[C]] = pack.prompts.map { [.text("learning prompt"), .text($0)] }
      + pack.changes.map { [.text("since the last release"), .text($0)] }

    // The meeting summary first (issue 19): what stands out with its kind
    // and indicator, then the context facts and what the pack cannot say.
    var summaryRows: [[C]] = []
    if let m = pack.summary {
      summaryRows.append([.text("title"), .text(m.titleLine), .text(""), .text("")])
      summaryRows += m.standsOut.map { [.text("stands out"), .text($0.statement), .text($0.indicatorID), .text($0.kind.rawValue)] }
      if m.moreStandOut > 0 {
        summaryRows.append([.text("stands out"), .text("\(m.moreStandOut) more in the Prompts sheet"), .text(""), .text("")])
      }
      summaryRows += m.contextFacts.map { [.text("context"), .text($0), .text(""), .text("")] }
      summaryRows.append([.text("cannot say"), .text(m.cannotSay), .text(""), .text("")])
    }

    return XLSXWorkbook(title: "PeerLens pack: \(pack.name)", sheets: [
      .init(name: "Summary", header: ["kind", "text", "indicator_id", "evidence"], rows: summaryRows),
      .init(name: "About", header: ["item", "value", "sha256"], rows: about),
      .init(name: "Indicators", header: [
        "indicator_id", "title", "framework", "unit", "polarity", "time_period", "year_label", "value", "status", "numerator",
        "denominator", "interval_lower", "interval_upper", "interval_method", "england_value", "region_value",
        "sn_median", "expected", "expected_lower", "expected_upper", "expected_lower_99_8", "expected_upper_99_8",
        "observed_expected_ratio", "context_position", "funnel_flag", "z_score", "sentence", "spc_note", "model_note",
        "sn_n", "sn_mean", "rank", "quartile_band", "published_value", "rank_lower", "rank_upper",
      ], rows: indicators),
      .init(name: "Trends", header: [
        "indicator_id", "time_period", "year_label", "value", "status", "england_value", "region_value", "sn_median", "spc_mean",
        "spc_lower", "spc_upper", "spc_flag", "variation",
      ], rows: trends),
      .init(name: "Breakdowns", header: [
        "breakdown", "time_period", "year_label", "category", "count", "status", "share", "share_lower", "share_upper",
        "england_share", "sn_median_share", "disproportionality",
      ], rows: breakdowns),
      .init(name: "Ofsted leadership", header: [
        "time_period", "year_label", "judgement", "inspection_date", "grade", "sn_count", "region_count", "england_count",
      ], rows: leadership),
      .init(name: "Workforce ethnicity", header: [
        "time_period", "year_label", "role", "ethnic_group", "count", "share", "population_share", "ratio", "ratio_lower",
        "ratio_upper",
      ], rows: workforce),
      .init(name: "Care ethnicity", header: [
        "time_period", "year_label", "ethnic_group", "count", "status", "ratio_to_population", "ratio_to_population_lower",
        "ratio_to_population_upper", "ratio_to_england_care", "ratio_to_england_care_lower", "ratio_to_england_care_upper",
      ], rows: careEthnicity),
      .init(name: "Context", header: ["variable", "label", "value", "median_of_authorities", "percentile"], rows: context),
      .init(name: "Neighbours", header: ["list", "rank", "new_la_code", "la_name", "closeness"], rows: neighbours),
      .init(name: "Prompts", header: ["kind", "text"], rows: notes),
    ])
  }
}
