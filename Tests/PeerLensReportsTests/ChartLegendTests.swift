import Foundation
import Testing
import PeerLensAnalysis
import PeerLensData
@testable import PeerLensReports

/// Readable charts (issue 19.4): each chart carries its own key, and a
/// figure resting on few children says so.
@Suite(.serialized) struct ChartLegendTests {
  @Test func smallNumbersAreNamedAtTheThresholds() {
    #expect(Phrases.smallNumbers(numerator: 9, denominator: 500)?.contains("counts 9 children") == true)
    #expect(Phrases.smallNumbers(numerator: 1, denominator: 500)?.contains("counts 1 child,") == true)
    #expect(Phrases.smallNumbers(numerator: 10, denominator: 500) == nil)
    #expect(Phrases.smallNumbers(numerator: 12, denominator: 19)?.contains("a share of 19 children") == true)
    #expect(Phrases.smallNumbers(numerator: 12, denominator: 20) == nil)
    #expect(Phrases.smallNumbers(numerator: nil, denominator: nil) == nil)
  }

  /// The note names what the figure counts: 4.4 full-time-equivalent
  /// social workers were "4 children".
  @Test func smallNumbersNameWhatIsCounted() throws {
    let fte = CountNoun(one: "full-time-equivalent social worker", many: "full-time-equivalent social workers")
    #expect(Phrases.smallNumbers(numerator: 4.4, denominator: 60, counts: fte)?
      .contains("counts 4.4 full-time-equivalent social workers,") == true)
    let referrals = CountNoun(one: "referral", many: "referrals")
    #expect(Phrases.smallNumbers(numerator: 1, denominator: 500, counts: referrals)?.contains("counts 1 referral,") == true)
    let enquiries = CountNoun(one: "section 47 enquiry", many: "section 47 enquiries")
    let share = try #require(Phrases.smallNumbers(numerator: 12, denominator: 15, counts: .children, denominatorCounts: enquiries))
    #expect(share.contains("a share of 15 section 47 enquiries, so each section 47 enquiry moves it"), "\(share)")
  }

  /// On the real run, every note in every pack uses its indicator's words:
  /// no workforce, referral or session figure is said to count children.
  @Test func everySmallNumbersNoteUsesItsIndicatorsWords() throws {
    let run = try Fixtures.real.get()
    let builder = PackBuilder(run: run, software: "PeerLens test")
    let catalogue = Dictionary(uniqueKeysWithValues: run.indicators.map { ($0.indicator.id, $0.indicator) })
    var notesOnOtherCounts = 0
    for a in run.authorities {
      for s in try builder.authorityPack(code: a.code).indicators {
        guard let note = s.smallNumbersNote, let ind = catalogue[s.id] else { continue }
        // An absence rate's note counts the pupils its sessions belong to.
        if ind.pupilClustering != nil {
          #expect(note.contains(" pupil") && !note.contains("session"), "\(a.name), \(s.id): \(note)")
          continue
        }
        let noun = note.contains("counts ") ? ind.countNoun : ind.denominatorNoun
        #expect(note.contains(" \(noun.many)") || note.contains(" \(noun.one)"), "\(a.name), \(s.id): \(note)")
        if noun != .children {
          notesOnOtherCounts += 1
          #expect(!note.contains("children"), "\(a.name), \(s.id): \(note)")
        }
      }
    }
    #expect(notesOnOtherCounts > 0, "no note on a count other than children, so the words were not tested")
  }

  /// Rutland (a small authority): every rate or percentage on fewer than 10
  /// children carries the note in the page, and each chart its key.
  @Test func aSmallAuthorityPackNotesSmallNumbersAndKeysEveryChart() throws {
    let run = try Fixtures.real.get()
    let pack = try PackBuilder(run: run, software: "PeerLens test").authorityPack(code: "E06000017")
    let (writer, out) = try Fixtures.htmlWriter(run)
    defer { try? FileManager.default.removeItem(at: out) }
    _ = try writer.write(authorities: ["E06000017"], regions: [], everything: false)
    let html = try String(contentsOf: out.appendingPathComponent("authorities/E06000017.html"), encoding: .utf8)
    var small = 0
    var pupilNotes = 0
    for s in pack.indicators where s.value != nil && (s.unit == "rate_per_10000" || s.unit == "percentage") {
      let bench = try #require(run.indicators.first { $0.indicator.id == s.id })
      // An absence rate on fewer than 20 pupils, however many sessions.
      let pupils = bench.indicator.pupilClustering == nil ? nil : bench.latest.flatMap { bench.local["E06000017"]?[$0]?.pupils }
      let expectNote = pupils.map { $0 < 20 }
        ?? ((s.numerator.map { $0 < 10 } ?? false) || (s.denominator.map { $0 < 20 } ?? false))
      if pupils != nil, s.smallNumbersNote != nil { pupilNotes += 1 }
      #expect((s.smallNumbersNote != nil) == expectNote, "\(s.id): numerator \(s.numerator ?? -1), denominator \(s.denominator ?? -1)")
      if let note = s.smallNumbersNote {
        small += 1
        #expect(html.contains(note.replacingOccurrences(of: "'", with: "&#39;")), "\(s.id): the note is not on the page")
      }
    }
    #expect(small > 0, "Rutland has no small numbers, so the note was not tested")
    #expect(pupilNotes > 0, "no absence figure on few pupils, so the pupils' note was not tested")
    let sections = html.components(separatedBy: "<section class=\"indicator\"").count - 1
    #expect(sections == pack.indicators.count)
    #expect(html.components(separatedBy: "ringed: unusual against its own history").count - 1 == sections, "a trend chart without its key")
    // An expectation beside a figure that is not published says it is no estimate of it.
    let alone = pack.indicators.filter { $0.expected != nil && $0.value == nil }.count
    #expect(alone > 0, "Rutland has no expectation beside a missing figure, so the note was not tested")
    #expect(html.components(separatedBy: "from context alone: no estimate of the figure not published").count - 1 == alone)
    // The process limits (grey dashed) were drawn without a key, beside England's black dashed line.
    #expect(html.components(separatedBy: "grey dashed, where shown: its own average and process limits").count - 1 == sections)
    // Funnel charts: SVG elements whose own id starts "funnel-".
    let funnels = html.components(separatedBy: "<svg").dropFirst().filter { $0.prefix(300).contains("id=\"funnel-") }.count
    #expect(funnels > 0)
    #expect(html.components(separatedBy: "solid lines: 99.8% limits").count - 1 == funnels, "a funnel without its key")
  }

  /// The words a key uses for each colour an authority's point can take.
  static let colourWords = ["#0072B2": "blue", "#56B4E9": "sky-blue", "#D55E00": "vermilion", "#CC79A7": "purple"]

  @Test func theFunnelKeyNamesTheColourItsPointIsDrawnIn() {
    #expect(Charts.funnelPointKey(name: "Kent", flag: "within", polarity: "no_judgement") == "large blue dot: Kent")
    #expect(Charts.funnelPointKey(name: "Kent", flag: nil, polarity: "lower_is_better") == "large blue dot: Kent")
    #expect(Charts.funnelPointKey(name: "Kent", flag: "above_99.8", polarity: "no_judgement")
      .hasPrefix("large purple dot: Kent, outside the 95% limit"))
    #expect(Charts.funnelPointKey(name: "Kent", flag: "above_95", polarity: "lower_is_better").hasPrefix("large vermilion dot"))
    #expect(Charts.funnelPointKey(name: "Kent", flag: "below_95", polarity: "lower_is_better").hasPrefix("large sky-blue dot"))
    #expect(Charts.funnelPointKey(name: "Kent", flag: "below_99.8", polarity: "higher_is_better").hasPrefix("large vermilion dot"))
    #expect(Charts.funnelPointKey(name: "Rutland", flag: nil, polarity: "lower_is_better", missing: "suppressed")
      == "no point for Rutland (suppressed)")
  }

  /// Rutland's pack as a reader sees it: the spine's key shows the shapes
  /// the chart draws (region a diamond, neighbour median a triangle, as
  /// its description says), and each funnel's key names the colour the
  /// authority's point is drawn in (CLA absence, above the 99.8% limit
  /// with lower read as better, is vermilion, not "blue: Rutland").
  @Test func keysShowTheShapesAndColoursOfTheirMarks() throws {
    let run = try Fixtures.real.get()
    let (writer, out) = try Fixtures.htmlWriter(run)
    defer { try? FileManager.default.removeItem(at: out) }
    _ = try writer.write(authorities: ["E06000017"], regions: [], everything: false)
    let html = try String(contentsOf: out.appendingPathComponent("authorities/E06000017.html"), encoding: .utf8)

    let spineKey = try #require(html.components(separatedBy: "id=\"overview\"").dropFirst().first?
      .components(separatedBy: "</p>").first)
    #expect(spineKey.contains("<i class=\"swatch diamond\" style=\"background:#C07400\"></i>East Midlands"))
    #expect(spineKey.contains("<i class=\"swatch triangle\" style=\"background:#009E73\"></i>neighbour median"))
    let css = try String(contentsOf: Fixtures.reports.appendingPathComponent("style.css"), encoding: .utf8)
    #expect(css.contains(".swatch.diamond {") && css.contains(".swatch.triangle {"))
    // The chart itself: four-cornered region marks, three-cornered neighbour medians.
    let spine = try #require(html.components(separatedBy: "<figure class=\"spine\">").dropFirst().first)
    let polygons = spine.components(separatedBy: "<polygon").dropFirst().map { $0.prefix { $0 != ">" } }
    let region = polygons.filter { $0.contains("#C07400") }, median = polygons.filter { $0.contains("#009E73") }
    #expect(!region.isEmpty && !median.isEmpty)
    func corners(_ p: Substring) -> Int {
      (p.components(separatedBy: "points=\"").dropFirst().first?.split(separator: "\"")[0].split(separator: " ").count) ?? 0
    }
    #expect(region.allSatisfy { corners($0) == 4 } && median.allSatisfy { corners($0) == 3 })

    var keyed = 0, notBlue = 0, noPoint = 0
    for chunk in html.components(separatedBy: "<svg").dropFirst() where chunk.prefix(300).contains("id=\"funnel-") {
      let caption0 = chunk.components(separatedBy: "</svg>").dropFirst().first?.components(separatedBy: "</figcaption>").first
      guard let point = chunk.components(separatedBy: "</svg>")[0].components(separatedBy: "r=\"5\" fill=\"").dropFirst().first?.prefix(7)
      else {
        // No figure (suppressed): no point, and the key names none.
        #expect(caption0?.contains("no point for Rutland (suppressed)") == true, "\(caption0 ?? "")")
        noPoint += 1
        continue
      }
      let word = try #require(Self.colourWords[String(point)], "point colour \(point)")
      let caption = try #require(chunk.components(separatedBy: "</svg>").dropFirst().first?
        .components(separatedBy: "</figcaption>").first)
      #expect(caption.contains("large \(word) dot: Rutland"), "\(chunk.prefix(120)): \(caption)")
      keyed += 1
      if word != "blue" { notBlue += 1 }
    }
    #expect(keyed > 0 && notBlue > 0 && noPoint > 0, "\(keyed) points, \(notBlue) not blue, \(noPoint) without a point")
  }

  /// The dot strips of the England and regional packs colour authorities
  /// by their funnel position; every colour drawn has its swatch in the
  /// page's key (England's page had no key; the region's said only
  /// "Colours as in the authority packs").
  @Test func stripChartsKeyEveryColourTheyDraw() throws {
    let run = try Fixtures.real.get()
    let (writer, out) = try Fixtures.htmlWriter(run)
    defer { try? FileManager.default.removeItem(at: out) }
    _ = try writer.write(authorities: [], regions: ["E12000004"], everything: true)
    for (page, prefix) in [("england.html", "dist-"), ("regions/east-midlands.html", "strip-")] {
      let html = try String(contentsOf: out.appendingPathComponent(page), encoding: .utf8)
      var drawn: Set<String> = []
      for chunk in html.components(separatedBy: "<svg").dropFirst() where chunk.prefix(300).contains("id=\"\(prefix)") {
        let svg = chunk.components(separatedBy: "</svg>")[0]
        for c in svg.components(separatedBy: "<circle").dropFirst() {
          if let fill = c.components(separatedBy: "fill=\"").dropFirst().first?.split(separator: "\"").first {
            drawn.insert(String(fill))
          }
        }
      }
      #expect(drawn.count >= 3, "\(page): \(drawn)")
      let firstChart = try #require(html.range(of: "id=\"\(prefix)"))
      let keys = html[..<firstChart.lowerBound].components(separatedBy: "<p class=\"legend\">").dropFirst()
      let key = try #require(keys.last, "\(page) has no key before its charts")
      for colour in drawn {
        #expect(key.contains("class=\"swatch\" style=\"background:\(colour)\""), "\(page): \(colour) is drawn but not keyed")
      }
    }
  }

  /// The running header is a CSS string inside a <style> element: no name
  /// can end the string or the element.
  @Test func runningHeaderTextIsEscapedForCSS() {
    #expect(HTMLRenderer.cssString("Bath \"North\" East") == "Bath \\\"North\\\" East")
    #expect(HTMLRenderer.cssString("a\\b") == "a\\\\b")
    #expect(HTMLRenderer.cssString("</style><script>") == "\\3C /style>\\3C script>")
    #expect(HTMLRenderer.cssString("two\r\nlines\n") == "two lines ")
  }
}

/// A region's table marks a value outside both the prediction limit and
/// the funnel limit with both marks; it showed only ▲ or ▼, hiding a
/// funnel flag the authority's own pack states.
@Suite struct RegionMarkTests {
  static func figure(context: String?, funnel: String?) -> AuthorityOverview.Figure {
    AuthorityOverview.Figure(indicatorID: "cin_rate", title: "Children in need", period: "2025", value: 814.6,
                             expected: 500, contextPosition: context, funnelFlag: funnel)
  }

  @Test func everyLimitCrossedHasItsMark() {
    #expect(PackWriter.mark(Self.figure(context: "above_99.8", funnel: "above_99.8")) == "▲△")
    #expect(PackWriter.mark(Self.figure(context: "below_99.8", funnel: "above_99.8")) == "▼△")
    #expect(PackWriter.mark(Self.figure(context: "above_99.8", funnel: "above_95")) == "▲")
    #expect(PackWriter.mark(Self.figure(context: "within", funnel: "below_99.8")) == "▽")
    #expect(PackWriter.mark(Self.figure(context: "above_95", funnel: "within")) == nil)
  }
}
