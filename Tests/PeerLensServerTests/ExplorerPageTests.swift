import Foundation
import Hummingbird
import HummingbirdTesting
import PeerLensAnalysis
import PeerLensData
import PeerLensReports
import PeerLensServer
import Testing

/// Every page and API route answers with the engine's numbers, and the
/// comparator group changes both the numbers and their labels.
@Suite struct ExplorerPageTests {
  static let hartlepool = "E06000001"

  @Test func homeListsAuthoritiesAndSearchFindsByNameAndCode() async throws {
    let home = try await Fixtures.get("/")
    #expect(home.status == .ok)
    #expect(Fixtures.text(home).contains("href=\"/authority/E06000001\""))
    for q in ["Hartlepool", "hartlepool", "805", "E06000001"] {
      let r = try await Fixtures.get("/?q=\(q)")
      #expect(r.status == .seeOther || r.status == .found || r.status == .temporaryRedirect, "q=\(q)")
      #expect(r.headers[.location] == "/authority/E06000001", "q=\(q)")
    }
    let partial = try await Fixtures.get("/?q=shire")
    #expect(partial.status == .ok)
    #expect(Fixtures.text(partial).contains("North Yorkshire"))
    let none = try await Fixtures.get("/?q=Atlantis")
    #expect(none.status == .notFound)
  }

  @Test func oldCodeRedirectsToTheAuthorityPage() async throws {
    let r = try await Fixtures.get("/authority/805?group=region")
    #expect(r.headers[.location] == "/authority/E06000001?group=region")
  }

  @Test func authorityPageLabelsEveryFigureWithTheGroup() async throws {
    let run = try Fixtures.run.get()
    let official = Fixtures.text(try await Fixtures.get("/authority/\(Self.hartlepool)"))
    #expect(official.contains("Comparator group: <strong>official neighbours (\(run.officialLabel))"))
    #expect(official.contains("Median: official neighbours"))
    #expect(official.contains("href=\"/pack/E06000001.html\""))
    let region = Fixtures.text(try await Fixtures.get("/authority/\(Self.hartlepool)?group=region"))
    #expect(region.contains("Median: other authorities in North East"))
    #expect(!region.contains("Median: official neighbours"))
    let model = Fixtures.text(try await Fixtures.get("/authority/\(Self.hartlepool)?group=model"))
    #expect(model.contains("Median: model neighbours"))
    let custom = Fixtures.text(try await Fixtures.get("/authority/\(Self.hartlepool)?group=custom&members=E06000002,E06000003,E06000004"))
    #expect(custom.contains("Median: custom group of 3"))
    #expect(custom.contains("value=\"E06000003\" checked"))
  }

  /// `group=official` is the run's official neighbour median (the DfE
  /// dashboard's figure), for every indicator.
  @Test func officialGroupMedianIsTheRunsNeighbourMedian() async throws {
    let run = try Fixtures.run.get()
    let json = try Fixtures.json(try await Fixtures.get("/api/authority/\(Self.hartlepool)?group=official"))
    let rows = try require(json["rows"] as? [[String: Any]], "rows")
    #expect(rows.count == run.indicators.filter { $0.latest != nil }.count)
    var compared = 0
    for row in rows {
      let id = try require(row["indicator_id"] as? String)
      let bench = try require(run.indicators.first { $0.indicator.id == id })
      let p = try require(bench.latest)
      let expected = bench.neighbourMedian(Self.hartlepool, p)
      #expect(row["group_median"] as? Double == expected, "\(id)")
      #expect(row["sn_median"] as? Double == expected, "\(id)")
      if expected != nil { compared += 1 }
    }
    #expect(compared > 40)
  }

  /// A custom group's median by hand: the median of the members'
  /// published figures, rounded half-up at the published precision.
  @Test func customGroupMedianIsComputedFromTheMembersFigures() async throws {
    let run = try Fixtures.run.get()
    let members = ["E06000002", "E06000003", "E06000004", "E06000005", "E08000021"]
    let json = try Fixtures.json(try await Fixtures.get("/api/authority/\(Self.hartlepool)?group=custom&members=\(members.joined(separator: ","))"))
    #expect(json["group_label"] as? String == "custom group of 5")
    let rows = try require(json["rows"] as? [[String: Any]], "rows")
    var compared = 0
    for row in rows {
      let id = try require(row["indicator_id"] as? String)
      let bench = try require(run.indicators.first { $0.indicator.id == id })
      let p = try require(bench.latest)
      let figures = members.compactMap { bench.publishedFigure($0, p) }.sorted()
      guard !figures.isEmpty, bench.jointReturns.isEmpty else { continue }
      let k = figures.count / 2
      let middle = figures.count % 2 == 1 ? figures[k] : (figures[k - 1] + figures[k]) / 2
      let scale = pow(10.0, Double(bench.indicator.decimals))
      let byHand = NSDecimalNumber(value: middle).multiplying(by: NSDecimalNumber(value: scale))
        .rounding(accordingToBehavior: NSDecimalNumberHandler(roundingMode: .plain, scale: 0, raiseOnExactness: false,
                                                              raiseOnOverflow: false, raiseOnUnderflow: false, raiseOnDivideByZero: false))
        .doubleValue / scale
      let served = try require(row["group_median"] as? Double, "group_median of \(id)")
      #expect(abs(served - byHand) < 1e-9, "\(id): \(served) vs \(byHand)")
      #expect(row["group_n"] as? Int == figures.count, "\(id)")
      let mean = figures.reduce(0, +) / Double(figures.count)
      #expect(abs((row["group_mean"] as? Double ?? .nan) - mean) < 1e-9, "\(id)")
      compared += 1
    }
    #expect(compared > 40)
  }

  /// `group=all` ranks and bands as LAIT does among all authorities: the run's own rank and band.
  @Test func allGroupRankAndBandAreTheRuns() async throws {
    let run = try Fixtures.run.get()
    let json = try Fixtures.json(try await Fixtures.get("/api/authority/\(Self.hartlepool)?group=all"))
    let rows = try require(json["rows"] as? [[String: Any]], "rows")
    var compared = 0
    for row in rows {
      let id = try require(row["indicator_id"] as? String)
      let bench = try require(run.indicators.first { $0.indicator.id == id })
      let p = try require(bench.latest)
      #expect(row["group_rank"] as? Int == bench.rank[p]?[Self.hartlepool], "\(id)")
      #expect(row["group_quartile_band"] as? String == bench.quartileBand[p]?[Self.hartlepool]?.rawValue, "\(id)")
      if bench.indicator.polarity == .noJudgement {
        #expect(row["group_rank"] is NSNull, "\(id): no rank without polarity")
        #expect(row["group_quartile_band"] is NSNull, "\(id): no band without polarity")
      }
      if bench.rank[p]?[Self.hartlepool] != nil { compared += 1 }
    }
    #expect(compared > 20)
  }

  /// The API's field names are `values.csv`'s, and its values are the run's.
  @Test func apiFieldsAreValuesCSVFields() async throws {
    let run = try Fixtures.run.get()
    let json = try Fixtures.json(try await Fixtures.get("/api/indicator/cla_rate?la=\(Self.hartlepool)&group=region"))
    let rows = try require(json["rows"] as? [[String: Any]], "rows")
    let allowed = Set(ValuesTable.header + ["group_median", "group_mean", "group_n", "group_rank", "group_ranked", "group_quartile_band"])
    for row in rows { #expect(Set(row.keys).isSubset(of: allowed)) }
    let bench = try require(run.indicators.first { $0.indicator.id == "cla_rate" })
    let p = try require(bench.latest)
    let me = try require(rows.first { $0["new_la_code"] as? String == Self.hartlepool })
    #expect(me["value"] as? Double == bench.value(Self.hartlepool, p)?.value)
    #expect(me["england_value"] as? Double == bench.england[p]?.value)
    let region = run.authorities.filter { run.registry.isIn($0, region: "E12000001") }
    #expect(rows.count == region.count)
  }

  /// Issue 17.4: the explorer gives each national rank the packs' 95%
  /// interval, in the API (values.csv's `rank_lower`, `rank_upper`) and on
  /// the authority page.
  @Test func ranksCarryThePacksIntervals() async throws {
    let run = try Fixtures.run.get()
    let json = try Fixtures.json(try await Fixtures.get("/api/authority/\(Self.hartlepool)"))
    let rows = try require(json["rows"] as? [[String: Any]], "rows")
    var withInterval = 0
    for row in rows {
      let id = try require(row["indicator_id"] as? String, "indicator_id")
      let bench = try require(run.indicators.first { $0.indicator.id == id })
      let expected = RankUncertainty.intervals(bench)[Self.hartlepool]
      #expect(row["rank_lower"] as? Int == expected?.lower && row["rank_upper"] as? Int == expected?.upper, "\(id)")
      if let l = row["rank_lower"] as? Int, let u = row["rank_upper"] as? Int, let rank = row["rank"] as? Int {
        #expect(l <= rank && rank <= u, "\(id)")
        withInterval += 1
      }
    }
    #expect(withInterval > 20)
    let page = Fixtures.text(try await Fixtures.get("/authority/\(Self.hartlepool)"))
    #expect(page.components(separatedBy: "class=\"rank-interval\">in England: ").count - 1 == withInterval)
  }

  @Test func indicatorPageHighlightsTheAuthorityAndDrawsCharts() async throws {
    let r = try await Fixtures.get("/indicator/cla_rate?la=\(Self.hartlepool)&group=region")
    #expect(r.status == .ok)
    let page = Fixtures.text(r)
    #expect(page.contains("class=\"focus\" data-code=\"E06000001\""))
    #expect(page.contains("id=\"funnel-cla_rate-title\""))
    #expect(page.contains("id=\"trend-cla_rate-title\""))
    #expect(page.contains("median of other authorities in North East"))
    #expect(page.contains("id=\"expected\""))
    #expect(page.contains("<title>"))
    let noLA = try await Fixtures.get("/indicator/cla_rate")
    #expect(noLA.status == .ok)
    let year = try await Fixtures.get("/indicator/cla_rate?la=\(Self.hartlepool)&year=2024")
    #expect(year.status == .ok)
  }

  /// An indicator without polarity is neither ranked nor banded on its page.
  @Test func noJudgementIndicatorIsNeverRankedOrBanded() async throws {
    let run = try Fixtures.run.get()
    let bench = try require(run.indicators.first { $0.indicator.polarity == .noJudgement && $0.latest != nil })
    let page = Fixtures.text(try await Fixtures.get("/indicator/\(bench.indicator.id)?la=\(Self.hartlepool)&group=all"))
    #expect(!page.contains("Quartile band in group"))
    #expect(page.contains("no judgement"))
  }

  @Test func tableDownloadsCSVAndXLSX() async throws {
    let q = "la=E06000001,E06000002&indicator=cla_rate,cin_rate&year=2024,2025"
    let csv = try await Fixtures.get("/table?\(q)&format=csv")
    #expect(csv.status == .ok)
    #expect(csv.headers[.contentDisposition]?.contains("peerlens-table.csv") == true)
    let lines = Fixtures.text(csv).split(separator: "\n")
    #expect(lines.first.map(String.init) == ["new_la_code", "old_la_code", "la_name", "indicator_id", "time_period", "value", "status", "numerator", "denominator", "england_value", "region_value", "sn_median", "expected", "expected_lower", "expected_upper", "z_score", "funnel_flag", "rank_lower", "rank_upper", "sn_n", "sn_mean", "rank", "quartile_band", "published_value", "joint_return"].joined(separator: ","))
    #expect(lines.count == 1 + 2 * 2 * 2)
    let xlsx = try await Fixtures.get("/table?\(q)&format=xlsx")
    #expect(xlsx.status == .ok)
    #expect(xlsx.body.getString(at: 0, length: 2) == "PK")
    let html = try await Fixtures.get("/table?\(q)")
    #expect(Fixtures.text(html).contains("8 rows"))
    let form = try await Fixtures.get("/table")
    #expect(form.status == .ok)
  }

  /// A refit with the shipped variables reproduces the shipped model.
  @Test func workbenchWithShippedVariablesReproducesTheShippedModel() async throws {
    let run = try Fixtures.run.get()
    let bench = try require(run.indicators.first { $0.indicator.id == "cla_rate" })
    let shipped = try require(bench.model)
    let response = try await Fixtures.get("/api/workbench/cla_rate")
    let json = try Fixtures.json(response)
    #expect(json["formula"] as? String == shipped.spec.formula)
    // `peerlens model fit` of the shipped file, in this process.
    let fit = try ContextEngine(mirror: run.mirror, catalogue: run.catalogue).run(spec: shipped.spec, period: shipped.period.code)
    let coefficients = try require(json["coefficients"] as? [[String: Any]])
    #expect(coefficients.map { $0["term"] as? String } == fit.model.coefficientNames.map { Optional($0) })
    // Compared as the served digits (shortest round-trip text of each
    // double): Foundation's JSON reader on Linux can be a bit off in the last place.
    let body = Fixtures.text(response)
    for c in fit.model.coefficients + [fit.contextSkill, fit.model.pseudoRSquared] {
      let x = try require(c)
      #expect(body.contains(JSONValue.format(x)), "\(x)")
    }
    #expect(fit.model.coefficients == shipped.model.coefficients)
  }

  @Test func workbenchRefitsWithOtherVariablesAndOffersTheirTOML() async throws {
    let page = try await Fixtures.get("/workbench/cla_rate?vars=imd19_avg_score")
    #expect(page.status == .ok)
    #expect(Fixtures.text(page).contains("numerator ~ imd19_avg_score + offset(log(denominator))"))
    let toml = try await Fixtures.get("/workbench/cla_rate?vars=imd19_avg_score&format=toml")
    #expect(toml.status == .ok)
    let text = Fixtures.text(toml)
    #expect(text.contains("indicator = \"cla_rate\""))
    #expect(text.contains("formula = \"numerator ~ imd19_avg_score + offset(log(denominator))\""))
    let spec = try TOMLFile.decode(ContextModelSpec.self, from: text, source: "cla_rate.toml")
    #expect(spec.family == .negativeBinomial)
  }

  /// A mean score's refit keeps the shipped weighting by pupils: the
  /// downloaded TOML names it, and the refit with the shipped variables
  /// gives the shipped coefficients (an unweighted refit would not).
  @Test func workbenchKeepsAMeanScoresWeighting() async throws {
    let run = try Fixtures.run.get()
    let shipped = try require(run.indicators.first { $0.indicator.id == "ks4_att8_cla" }?.model)
    #expect(shipped.randomEffects != nil)
    let toml = Fixtures.text(try await Fixtures.get("/workbench/ks4_att8_cla?vars=imd19_avg_score&format=toml"))
    let spec = try TOMLFile.decode(ContextModelSpec.self, from: toml, source: "ks4_att8_cla.toml")
    #expect(spec.samplingVariance == .pupilSD)
    let body = Fixtures.text(try await Fixtures.get("/api/workbench/ks4_att8_cla"))
    for c in shipped.model.coefficients { #expect(body.contains(JSONValue.format(try require(c))), "\(String(describing: c))") }
  }

  /// Shares that add up to 100% are named as collinear (they refitted
  /// with coefficients of 2 ± 4 and no word on why); one variable is not.
  @Test func workbenchNamesCollinearShares() async throws {
    let shares = "pct_white_all,pct_asian,pct_black,pct_mixed,pct_other_ethnic"
    let json = try Fixtures.json(try await Fixtures.get("/api/workbench/cla_rate?vars=\(shares)"))
    let warnings = try require(json["warnings"] as? [String])
    #expect(warnings.contains { $0.contains("are strongly collinear") && $0.contains("pct_other_ethnic") }, "\(warnings)")
    let page = Fixtures.text(try await Fixtures.get("/workbench/cla_rate?vars=\(shares)"))
    #expect(page.contains("strongly collinear"))
    let one = try Fixtures.json(try await Fixtures.get("/api/workbench/cla_rate?vars=imd19_avg_score"))
    #expect(!((one["warnings"] as? [String]) ?? []).contains { $0.contains("collinear") })
  }

  /// A p-value below double precision's resolution is "<2e-16", as R
  /// prints it; the page showed 0, which claims certainty.
  @Test func workbenchShowsTinyPValuesAsBelowAResolution() async throws {
    let json = try Fixtures.json(try await Fixtures.get("/api/workbench/cla_rate?vars=imd19_avg_score"))
    let coefficients = try require(json["coefficients"] as? [[String: Any]])
    let tiny = coefficients.filter { ($0["p_value"] as? Double).map { $0 < 2.2e-16 } ?? false }
    #expect(!tiny.isEmpty, "deprivation's coefficient for children in care is far beyond 2e-16: \(coefficients)")
    let page = Fixtures.text(try await Fixtures.get("/workbench/cla_rate?vars=imd19_avg_score"))
    let coefficientTable = try require(page.components(separatedBy: "<h2>Coefficients</h2>").last?
      .components(separatedBy: "<h2>Authorities</h2>").first)
    #expect(coefficientTable.components(separatedBy: "&lt;2e-16").count - 1 == tiny.count, "\(coefficientTable)")
    #expect(!coefficientTable.contains("<td class=\"n\">0</td></tr>"), "\(coefficientTable)")
  }

  @Test func packPageIsRenderedOnDemand() async throws {
    let r = try await Fixtures.get("/pack/E06000001.html")
    #expect(r.status == .ok)
    #expect(Fixtures.text(r).contains("Hartlepool"))
  }

  @Test func listsOfAuthoritiesAndIndicators() async throws {
    let run = try Fixtures.run.get()
    let a = try await Fixtures.get("/api/authorities")
    let list = try JSONSerialization.jsonObject(with: Data(Fixtures.text(a).utf8)) as? [[String: Any]]
    #expect(list?.count == run.authorities.count)
    let i = try await Fixtures.get("/api/indicators")
    let inds = try JSONSerialization.jsonObject(with: Data(Fixtures.text(i).utf8)) as? [[String: Any]]
    #expect(inds?.count == run.indicators.count)
    let js = try await Fixtures.get("/explorer.js")
    #expect(js.status == .ok)
  }
}
