import Foundation
import Testing
@testable import PeerLensData
import _PeerLensTestSupport

/// DfE's statistical neighbour lists in both published layouts (issue 22.1).
@Suite struct OfficialNeighbourListTests {
  static let folder = TestData.fixtures.appendingPathComponent("neighbours")

  /// The 2025 layout (`old_la_code`, `SN_1`, `SN_1P`, …), with a
  /// byte-order mark and closeness labels that carry a trailing space.
  @Test func the2025LayoutLoadsWithTrimmedBands() throws {
    let list = try OfficialNeighbourList.load(from: Self.folder.appendingPathComponent("dfe_statistical_neighbours_2025.csv"))
    #expect(list.layout == .dfe2025 && list.release == "2025")
    #expect(list.label == "DfE statistical neighbours, 2025 model")
    #expect(list.entries.map(\.oldCode) == ["301", "302", "942", "815", "874", "866"])
    // The byte-order mark does not stick to the first code or name.
    #expect(list.entries[0].name == "Barking and Dagenham")
    let barking = list.entries[0].neighbours
    #expect(barking.count == 10 && barking.map(\.oldCode).prefix(3) == ["308", "821", "313"])
    // "Close " in the file is "Close" here; no label keeps a space.
    #expect(barking[0].band == "Close" && barking[3].band == "Somewhat close")
    let bands = Set(list.entries.flatMap { $0.neighbours.map(\.band) })
    #expect(bands.allSatisfy { $0 == $0.trimmingCharacters(in: .whitespaces) && !$0.isEmpty }, "\(bands)")
    #expect(bands.contains("Extremely close"))
    #expect(list.entries[3].neighbours.first?.band == "Extremely close")
  }

  /// The 2021 layout (`LA num`, `SN1`, `SNP`, …), with a byte-order mark
  /// and a trailing empty column.
  @Test func the2021LayoutStillLoads() throws {
    let list = try OfficialNeighbourList.load(from: Self.folder.appendingPathComponent("dfe_statistical_neighbours_2021.csv"))
    #expect(list.layout == .dfe2021 && list.release == "2021")
    #expect(list.label == "DfE statistical neighbours, 2021 release")
    #expect(list.entries.map(\.oldCode) == ["201", "202", "815", "866", "909", "928"])
    #expect(list.entries[0].name == "City of London")
    #expect(list.entries.allSatisfy { $0.neighbours.count == 10 })
    #expect(list.entries[1].neighbours.map(\.band).prefix(2) == ["Very Close", "Close"])
  }

  @Test func aFileInNeitherLayoutIsRefusedWithBothLayoutsNamed() throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("not-a-list-\(UUID().uuidString).csv")
    try "code,name,n1\n1,A,2\n".write(to: url, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: url) }
    #expect {
      _ = try OfficialNeighbourList.load(from: url)
    } throws: { e in
      let m = e.localizedDescription
      return m.contains("old_la_code") && m.contains("LA num") && m.contains(url.lastPathComponent)
    }
  }

  /// A number reused for another authority is read as it was meant in the
  /// list's year: 999 is a county (abolished into two unitaries) until
  /// 2022 and a new authority after.
  @Test func numbersAreReadInTheListsYear() throws {
    func authority(_ old: String, _ code: String, _ first: Int, _ last: Int, _ successors: [String] = []) -> Authority {
      Authority(code: code, oldCode: old, name: code, regionCode: "E12000001", regionName: "North East",
                firstYear: first, lastYear: last, successorCodes: successors)
    }
    let registry = AuthorityRegistry(authorities: [
      authority("999", "E10000999", 2013, 2022, ["E06000901", "E06000902"]),
      authority("901", "E06000901", 2023, 2025), authority("902", "E06000902", 2023, 2025),
      authority("999", "E06000999", 2023, 2025),
      authority("100", "E06000100", 2013, 2025),
    ])
    func mapped(_ layout: String, year: String) throws -> [String] {
      let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sn-\(UUID().uuidString)")
      try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
      defer { try? FileManager.default.removeItem(at: dir) }
      let url = dir.appendingPathComponent("list_\(year).csv")
      try layout.write(to: url, atomically: true, encoding: .utf8)
      let list = try OfficialNeighbourList.load(from: url)
      #expect(list.release == year)
      return (list.mapped(to: registry)["E06000100"] ?? []).map(\.code)
    }
    let sn = (1...10).map { "SN_\($0),SN_\($0)P" }.joined(separator: ",")
    let row = "100,A,1,North East,999,Close " + String(repeating: ",,", count: 9)
    let text = "old_la_code,la_name,region_ind,region_name,\(sn)\n\(row)\n"
    #expect(try mapped(text, year: "2025") == ["E06000999"])
    #expect(try mapped(text, year: "2021") == ["E06000901", "E06000902"])
  }

  /// On the embedded data, the 2025 list is the default, covers every
  /// current authority with ten neighbours, and keeps its numbers as they
  /// are (it is on current boundaries): Swindon's neighbours include North
  /// and West Northamptonshire, which the 2021 list could not name.
  @Test func the2025ListIsTheDefaultAndCoversEveryAuthority() throws {
    let mirror = DataMirror(root: TestData.data)
    let registry = try mirror.registry()
    #expect(try mirror.officialNeighboursURL().lastPathComponent == "dfe_statistical_neighbours_2025.csv")
    let list = try mirror.officialNeighbours()
    #expect(list.release == "2025" && list.entries.count == 153)
    let mapped = list.mapped(to: registry)
    #expect(mapped.count == registry.current.count)
    for (code, neighbours) in mapped {
      #expect(neighbours.count == 10, "\(code)")
      #expect(!neighbours.contains { $0.code == code })
    }
    let byOld = Dictionary(list.entries.map { ($0.oldCode, $0) }, uniquingKeysWith: { a, _ in a })
    for a in registry.current {
      let entry = try #require(byOld[a.oldCode], "\(a.name)")
      #expect(mapped[a.code]?.map(\.code) == entry.neighbours.map { registry.authority(oldCode: $0.oldCode, year: 2025)!.code },
              "\(a.name)")
    }
    let swindon = try #require(mapped["E06000030"]).map(\.code)
    #expect(swindon.contains("E06000061") && swindon.contains("E06000062"))
    let old = try OfficialNeighbourList.load(from: mirror.officialNeighboursURL("2021")).mapped(to: registry)
    #expect(old["E06000030"].map { $0.map(\.code) } != swindon)
  }

  /// DfE's own lists have no problems; an edited copy names each one with
  /// its line and column: an unknown number, an authority as its own
  /// neighbour, a neighbour twice, a short row, authorities left out, an
  /// authority given a second row (the same, or with other neighbours).
  @Test func problemsInAListAreNamedWithTheirLines() throws {
    let mirror = DataMirror(root: TestData.data)
    let registry = try mirror.registry()
    for year in ["2025", "2021"] {
      #expect(try OfficialNeighbourList.load(from: mirror.officialNeighboursURL(year)).problems(registry: registry).isEmpty, "\(year)")
    }
    let text = try String(contentsOf: mirror.officialNeighboursURL("2025"), encoding: .utf8)
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    let sn1 = try #require(header.firstIndex(of: "SN_1")), sn2 = try #require(header.firstIndex(of: "SN_2"))
    let sn10 = try #require(header.firstIndex(of: "SN_10"))
    func edit(_ k: Int, _ change: (inout [String]) -> Void) {
      var cells = lines[k].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      change(&cells)
      lines[k] = cells.joined(separator: ",")
    }
    edit(1) { $0[sn1] = "999" }                                       // line 2: unknown number
    edit(2) { c in c[sn2] = c[0] }                                    // line 3: itself
    edit(3) { c in c[sn2] = c[sn1] }                                  // line 4: twice
    edit(4) { c in c[sn10] = ""; c[sn10 + 1] = "" }                   // line 5: nine neighbours
    let again = lines[6]                                              // line 41: line 7 again
    var reordered = lines[7].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    reordered.swapAt(sn1, sn2)                                        // line 42: line 8 reordered
    let swapped = reordered.joined(separator: ",")
    let kept = Array(lines.prefix(40)) + [again, swapped]              // 39 authorities only
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("edited-neighbours-\(UUID().uuidString.filter(\.isLetter)).csv")
    try (kept.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: url) }
    let problems = try OfficialNeighbourList.load(from: url).problems(registry: registry)
    let name = url.lastPathComponent
    #expect(problems.contains { $0.hasPrefix("\(name), line 2, SN_1:") && $0.contains("'999' is no authority's number in 2025") }, "\(problems)")
    #expect(problems.contains { $0.hasPrefix("\(name), line 3, SN_2:") && $0.contains("listed as its own neighbour") }, "\(problems)")
    #expect(problems.contains { $0.hasPrefix("\(name), line 4, SN_2:") && $0.contains("listed twice") }, "\(problems)")
    #expect(problems.contains { $0.hasPrefix("\(name), line 5:") && $0.contains("has 9 neighbours") }, "\(problems)")
    #expect(problems.contains { $0.contains("114 current authorities have no neighbours in the list") }, "\(problems)")
    #expect(problems.contains { $0.hasPrefix("\(name), line 41:") && $0.hasSuffix("is listed again, after line 7, with the same neighbours.") }, "\(problems)")
    #expect(problems.contains { $0.hasPrefix("\(name), line 42:") && $0.hasSuffix("after line 8, with different neighbours; the list on line 8 is the one used.") }, "\(problems)")
    #expect(problems.count == 7, "\(problems)")
  }

  @Test func neighboursChoiceTakesAYearOrAFileAndRefusesAnythingElse() throws {
    let mirror = DataMirror(root: TestData.data)
    #expect(try mirror.officialNeighboursURL("2025").lastPathComponent == "dfe_statistical_neighbours_2025.csv")
    #expect(try mirror.officialNeighboursURL("2021").lastPathComponent == "dfe_statistical_neighbours_2021.csv")
    let file = Self.folder.appendingPathComponent("dfe_statistical_neighbours_2021.csv")
    #expect(try mirror.officialNeighboursURL(file.path) == file)
    for bad in ["2019", "latest", "/no/such/list.csv"] {
      #expect {
        _ = try mirror.officialNeighboursURL(bad)
      } throws: { e in
        let m = e.localizedDescription
        return m.contains("'\(bad)'") && m.contains("2021") && m.contains("2025") && m.contains("file")
      }
    }
  }
}
