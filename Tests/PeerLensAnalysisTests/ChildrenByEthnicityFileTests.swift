import Foundation
import Testing
import PeerLensAnalysis
import PeerLensData
import _PeerLensTestSupport

/// The optional `context/children_by_ethnicity.csv` (issue 23): read in
/// its documented layout, used for children in care only (the workforce
/// keeps the census of all ages), and bad rows refused with their line.
@Suite struct ChildrenByEthnicityFileTests {
  static let registry = Result { try DataMirror(root: TestData.data).registry() }

  /// A data folder holding only the children's file: it wins over the
  /// census, which this folder does not even have.
  static func folder(_ csv: String) throws -> URL {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("peerlens-children-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root.appendingPathComponent("context"), withIntermediateDirectories: true)
    try Data(csv.utf8).write(to: root.appendingPathComponent(CareEthnicityDisproportionality.childrenFile))
    return root
  }

  @Test func theDocumentedLayoutIsReadAndSummedByArea() throws {
    // A byte-order mark, columns in another order, a code with a stray
    // space, and one group on two rows; Rutland's Black count suppressed.
    let csv = "\u{FEFF}ethnic_group,count,area_code\nAsian,1200,E08000025\nAsian,300,E08000025\nBlack,900,E08000025\n"
      + "White,5000, E08000025\nMixed,250,E08000025\nOther,100,E08000025\n"
      + "Asian,20,E06000017\nBlack,c,E06000017\nMixed,30,E06000017\nWhite,900,E06000017\nOther,5,E06000017\n"
    let root = try Self.folder(csv)
    defer { try? FileManager.default.removeItem(at: root) }
    let population = try CareEthnicityDisproportionality.loadPopulation(mirror: DataMirror(root: root),
                                                                       registry: try Self.registry.get())
    #expect(population.source == .childrenFile)
    #expect(population.counts["E08000025"] == ["Asian": 1500, "Black": 900, "White": 5000, "Mixed": 250, "Other": 100])
    // A suppressed group leaves no total to share out: no population for the area.
    #expect(population.counts["E06000017"] == nil)
  }

  /// An area without a row for every group would take the groups it has
  /// for all its children (95 Asian of 122 children, where Rutland has
  /// thousands), so every share would be too large: refused, with the
  /// area's first line and the groups it lacks. So is a code that names
  /// no authority.
  @Test func anAreaMissingAGroupOrAnUnknownCodeIsRefused() throws {
    func expectRefused(_ csv: String, mentioning words: [String]) throws {
      let table = try CSVReader.parse(csv, source: CareEthnicityDisproportionality.childrenFile)
      do {
        _ = try CareEthnicityDisproportionality.loadChildren(table, registry: try Self.registry.get())
        Issue.record("accepted: \(csv)")
      } catch {
        let text = error.localizedDescription
        #expect(words.allSatisfy { text.contains($0) }, "\(text)")
      }
    }
    try expectRefused("area_code,ethnic_group,count\nE06000017,Asian,95\nE06000017,Black,27\n",
                      mentioning: ["children_by_ethnicity.csv, line 2", "E06000017", "Mixed, White, Other"])
    try expectRefused("area_code,ethnic_group,count\nE06999999,Asian,95\n", mentioning: ["line 2", "'area_code'", "E06999999"])
  }

  /// The share of a group among children is what the care comparison is
  /// against: Asian 1,500 of 6,500 children (23.08%); 30 of 100 children
  /// in care are Asian (30%), so the ratio is 0.3 / (1500/6500) = 1.3.
  @Test func theCareComparisonUsesTheChildrensShares() throws {
    let population = CareEthnicityDisproportionality.Population(
      counts: ["X": ["Asian": 1500, "White": 5000]], source: .childrenFile)
    let period = try #require(TimePeriod(code: "2025", identifier: "Reporting year"))
    let spec = try CareEthnicityDisproportionalityTests.ethnicitySpec()
    let table = BreakdownTable(spec: spec, period: period, byArea: [
      "X": ["Total": .number(100), "Asian or Asian British": .number(30), "White": .number(70)],
      "england": ["Total": .number(1000), "Asian or Asian British": .number(100), "White": .number(900)],
    ], categories: [])
    let result = try #require(CareEthnicityDisproportionality.compute(cla: table, population: population, code: "X"))
    let asian = try #require(result.rows.first { $0.group == "Asian" })
    #expect(abs(asian.versusPopulation.ratio! - 1.3) < 1e-12)
    #expect(abs(asian.versusEnglandCare.ratio! - 3.0) < 1e-12)
  }

  /// A count of 1.5 children was summed as it stood; it is refused with
  /// the file, line and column, as other count inputs refuse fractions.
  @Test func aFractionalCountIsRefusedWithItsLine() throws {
    let csv = "area_code,ethnic_group,count\nE08000025,Asian,10\nE08000025,White,1.5\n"
    let table = try CSVReader.parse(csv, source: CareEthnicityDisproportionality.childrenFile)
    #expect { try CareEthnicityDisproportionality.loadChildren(table, registry: try Self.registry.get()) } throws: {
      $0.localizedDescription == "context/children_by_ethnicity.csv, line 3 (data row 2), column 'count': "
        + "expected a whole number of children, found '1.5'."
    }
  }

  @Test func anUnknownGroupOrANegativeCountIsRefusedWithItsLine() throws {
    let registry = try Self.registry.get()
    for (csv, line, column) in [
      ("area_code,ethnic_group,count\nE08000025,Asian,10\nE08000025,Asian or Asian British,5\n", 3, "ethnic_group"),
      ("area_code,ethnic_group,count\nE08000025,Asian,10\nE08000025,White,-5\n", 3, "count"),
    ] {
      let table = try CSVReader.parse(csv, source: CareEthnicityDisproportionality.childrenFile)
      do {
        _ = try CareEthnicityDisproportionality.loadChildren(table, registry: registry)
        Issue.record("accepted: \(csv)")
      } catch let e as InputError {
        let text = e.localizedDescription
        #expect(text.contains("children_by_ethnicity.csv") && text.contains("line \(line)") && text.contains("'\(column)'"), "\(text)")
      }
    }
    // A missing column is named too.
    let noCount = try CSVReader.parse("area_code,ethnic_group\nE08000025,Asian\n", source: "children.csv")
    #expect(throws: (any Error).self) { try CareEthnicityDisproportionality.loadChildren(noCount, registry: registry) }
  }

  /// The census loader stays the census whatever else the folder has, so
  /// the workforce (adults) is never compared with children.
  @Test func theCensusLoaderReadsTheCensusOfAllAges() throws {
    let mirror = DataMirror(root: TestData.data)
    let census = try CareEthnicityDisproportionality.loadCensusPopulation(mirror: mirror, registry: mirror.registry())
    #expect(census.source == .censusAllAges)
    let birmingham = try #require(census.counts["E08000025"])
    #expect(birmingham.values.reduce(0, +) > 1_000_000)
  }

  /// Former authorities' codes: Bournemouth (E06000028) and Poole
  /// (E06000029) were kept under their own codes, which no pack looks up,
  /// so BCP (E06000058) had no population without a word. They now add up
  /// under BCP; Northamptonshire (E10000021), divided in two, is refused.
  @Test func formerAuthoritiesMapOntoTheirSuccessor() throws {
    let groups = ["Asian", "Black", "Mixed", "White", "Other"]
    func rows(_ code: String, _ n: Int) -> String { groups.map { "\(code),\($0),\(n)\n" }.joined() }
    let table = try CSVReader.parse("area_code,ethnic_group,count\n" + rows("E06000028", 10) + rows("E06000029", 5),
                                    source: CareEthnicityDisproportionality.childrenFile)
    let population = try CareEthnicityDisproportionality.loadChildren(table, registry: try Self.registry.get())
    #expect(population.counts["E06000058"] == Dictionary(uniqueKeysWithValues: groups.map { ($0, 15.0) }))
    #expect(population.counts["E06000028"] == nil && population.counts["E06000029"] == nil)

    let split = try CSVReader.parse("area_code,ethnic_group,count\n" + rows("E10000021", 10),
                                    source: CareEthnicityDisproportionality.childrenFile)
    do {
      _ = try CareEthnicityDisproportionality.loadChildren(split, registry: try Self.registry.get())
      Issue.record("Northamptonshire accepted")
    } catch {
      let text = error.localizedDescription
      #expect(text.contains("line 2") && text.contains("North Northamptonshire") && text.contains("West Northamptonshire"), "\(text)")
    }
  }
}
