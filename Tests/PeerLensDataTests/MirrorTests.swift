import Foundation
import Testing
import PeerLensData
import _PeerLensTestSupport

/// The data layer on the real data (the embedded snapshot).
@Suite struct MirrorTests {
  let mirror = DataMirror(root: TestData.data)

  static func catalogue() throws -> IndicatorCatalogue {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Models/indicators.toml")
    return try IndicatorCatalogue.load(from: url)
  }

  @Test func everyFileReadsWithoutErrors() throws {
    let registry = try mirror.registry()
    let names = try mirror.eesFileNames()
    #expect(names.count >= 25)
    for name in names {
      let check = try mirror.check(name, registry: registry)
      #expect(check.errors.isEmpty, "\(name): \(check.errors.first?.localizedDescription ?? "")")
      #expect(check.duplicateLines.isEmpty, "\(name) duplicates at \(check.duplicateLines.prefix(3))")
      #expect(check.unknownCodes.isEmpty, "\(name) unknown codes \(check.unknownCodes)")
    }
  }

  /// Symbol counts equal a direct count: split each line naively on
  /// commas (a quoted name with a comma splits into pieces that are never
  /// a bare symbol) and count fields equal to each symbol.
  @Test func symbolCountsMatchADirectCount() throws {
    for name in try mirror.eesFileNames() {
      let check = try mirror.check(name, registry: nil)
      let text = try String(contentsOf: mirror.url("dfe/" + name), encoding: .utf8)
      var direct: [String: Int] = [:]
      for line in text.split(whereSeparator: \.isNewline).dropFirst() {
        for field in line.split(separator: ",", omittingEmptySubsequences: false) {
          let f = field.trimmingCharacters(in: .whitespaces)
          if ["c", "x", "z", "u", "low", "k"].contains(f) { direct[f, default: 0] += 1 }
        }
      }
      for reason in [MissingReason.suppressed, .notAvailable, .notApplicable, .lowReliability, .roundsToZero, .lessThanHalf] {
        #expect((check.symbolCounts[reason] ?? 0) == (direct[reason.symbol] ?? 0),
                "\(name) symbol \(reason.symbol): \(check.symbolCounts[reason] ?? 0) vs direct \(direct[reason.symbol] ?? 0)")
      }
    }
  }

  @Test func childrenInCareRate2025EqualsPublishedForEveryAuthority() throws {
    let catalogue = try Self.catalogue()
    let ind = try #require(catalogue.indicator(id: "cla_rate"))
    let values = try IndicatorCalculator(mirror: mirror).values(ind)
      .filter { $0.level == .localAuthority && $0.period.code == "2025" }
    #expect(values.count >= 150)
    var compared = 0
    for v in values where v.status == .ok {
      let published = try #require(v.published)
      let computed = try #require(v.numerator).isFinite ? v.numerator! / v.denominator! * 10_000 : .nan
      #expect(PublishedRounding.round(computed, decimals: 0) == published, "\(v.name): \(computed) vs \(published)")
      #expect(v.fromPublished == false)
      compared += 1
    }
    #expect(compared >= 148)
    // Suppressed and not-applicable cells stay missing, never zero.
    for v in values where v.status != .ok { #expect(v.value == nil && v.numerator == nil) }
  }

  @Test func northamptonshireMapsOntoItsSuccessors() throws {
    let registry = try mirror.registry()
    #expect(registry.currentSuccessors(of: "E10000021") == ["E06000061", "E06000062"])
    #expect(registry.predecessors(of: "E06000062").map(\.code) == ["E10000021"])
    #expect(registry.authority(oldCode: "928", year: 2020)?.name == "Northamptonshire")
    #expect(registry.currentSuccessors(of: "E06000028") == ["E06000058"])  // Bournemouth → BCP
    #expect(Set(registry.currentSuccessors(of: "E10000006")) == ["E06000063", "E06000064"])  // Cumbria
    #expect(registry.authority(oldCode: "815", year: 2019)?.code == "E10000023")
    #expect(registry.authority(oldCode: "815", year: 2025)?.code == "E06000065")
    // The series: Northamptonshire until 2021, the successors after.
    let ind = try #require(try Self.catalogue().indicator(id: "cin_rate"))
    let values = try IndicatorCalculator(mirror: mirror).values(ind)
    let northants = values.filter { $0.areaCode == "E10000021" }.map(\.period.endYear)
    let west = values.filter { $0.areaCode == "E06000062" }.map(\.period.endYear)
    #expect(northants.max() == 2021)
    #expect(west.min() == 2022)
  }

  @Test func catalogueCoversAnnexB() throws {
    let catalogue = try Self.catalogue()
    #expect(catalogue.indicators.count >= 20)
    for fw in ["outcome_1", "outcome_2", "outcome_3", "outcome_4", "enabler_1"] {
      #expect(catalogue.indicators.contains { $0.framework == fw }, "no indicator for \(fw)")
    }
    #expect(!catalogue.notComputable.isEmpty)
    let calc = IndicatorCalculator(mirror: mirror)
    for ind in catalogue.indicators {
      let latest = try calc.values(ind).filter { $0.level == .localAuthority && $0.status == .ok }
      #expect(latest.count > 100, "\(ind.id) has only \(latest.count) authority values")
    }
  }

  @Test func contextAndOfficialNeighbours() throws {
    let context = try mirror.context()
    #expect(context.rowByCode.count == 153)
    let imd = try context.numeric("imd19_avg_score")
    #expect(imd.count == 153)
    let list = try mirror.officialNeighbours()
    #expect(list.entries.count >= 150)
    let mapped = list.mapped(to: try mirror.registry())
    #expect(mapped.count >= 150)
    // Cumberland (created 2023) takes Cumbria's list; every list has ten.
    #expect(mapped["E06000063"]?.count == 10)
    for (code, list) in mapped {
      #expect(list.count == 10, "\(code) has \(list.count) neighbours")
      #expect(!list.contains { $0.code == code })
    }
  }
}
