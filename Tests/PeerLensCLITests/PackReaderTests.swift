import Foundation
import Testing
import PeerLensCLI
import PeerLensData
import _PeerLensTestSupport

/// The packs as a reader meets them (issue 22): today's official
/// neighbours, London, joint workforce returns. Each run uses a
/// catalogue cut down to the indicators the check needs, so that a
/// national run takes seconds in a debug build.
@Suite(.serialized) struct PackReaderTests {
  /// `Models/indicators.toml` with only the given indicators (frameworks kept).
  static func catalogue(_ ids: [String]) throws -> String {
    let text = try String(contentsOf: TestData.packageRoot.appendingPathComponent("Models/indicators.toml"), encoding: .utf8)
    var blocks: [String] = []
    var current = ""
    for line in text.components(separatedBy: "\n") {
      if line.hasPrefix("[[") { blocks.append(current); current = "" }
      current += line + "\n"
    }
    blocks.append(current)
    let kept = blocks.filter { b in
      if b.hasPrefix("[[not_computable]]") { return false }
      guard b.hasPrefix("[[indicator]]") else { return true }
      return ids.contains { b.contains("id = \"\($0)\"\n") }
    }
    let path = temporaryPath(".toml")
    try kept.joined().write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  /// Runs `packs` on the embedded data with a cut-down catalogue and
  /// returns the output folder (removed by the caller).
  static func packs(_ extra: [String], indicators: [String] = ["sw_turnover_pct"]) throws -> URL {
    let catalogue = try catalogue(indicators)
    defer { try? FileManager.default.removeItem(atPath: catalogue) }
    let out = temporaryPath("-packs")
    _ = try runCommand(["packs", "--data", TestData.data.path, "--catalogue", catalogue, "--out", out] + extra)
    return URL(fileURLWithPath: out)
  }

  static func json(_ url: URL) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
  }

  // MARK: 1. Today's official neighbours

  /// Without `--neighbours`, a pack compares with DfE's 2025 list and says
  /// so in the HTML, the JSON provenance and the workbook's source.
  @Test func aDefaultRunNamesThe2025List() throws {
    let out = try Self.packs(["--la", "Rutland", "--format", "html,json"])
    defer { try? FileManager.default.removeItem(at: out) }
    let html = try String(contentsOf: out.appendingPathComponent("authorities/E06000017.html"), encoding: .utf8)
    #expect(html.contains("Statistical neighbours: DfE statistical neighbours, 2025 model (dfe_statistical_neighbours_2025.csv)."))
    let provenance = try #require(try Self.json(out.appendingPathComponent("authorities/E06000017.json"))["provenance"] as? [String: Any])
    #expect(provenance["officialNeighboursRelease"] as? String == "2025")
    #expect((provenance["officialNeighbours"] as? String)?.contains("2025 model") == true)
    let files = try #require(provenance["files"] as? [[String: Any]]).compactMap { $0["name"] as? String }
    #expect(files.contains("neighbours/dfe_statistical_neighbours_2025.csv"))
    #expect(!files.contains("neighbours/dfe_statistical_neighbours_2021.csv"))
    // Rutland's first neighbour in DfE's 2025 list (old code 865) is Wiltshire.
    let neighbours = try #require(try Self.json(out.appendingPathComponent("authorities/E06000017.json"))["officialNeighbours"] as? [[String: Any]])
    #expect(neighbours.first?["name"] as? String == "Wiltshire" && neighbours.count == 10)
  }

  /// `--neighbours 2021` switches every neighbour figure to the 2021 list,
  /// and the region and England packs name it.
  @Test func neighbours2021SwitchesTheList() throws {
    let out = try Self.packs(["--neighbours", "2021", "--region", "East Midlands", "--format", "html,json,xlsx"])
    defer { try? FileManager.default.removeItem(at: out) }
    let pack = try Self.json(out.appendingPathComponent("authorities/E06000017.json"))
    let provenance = try #require(pack["provenance"] as? [String: Any])
    #expect(provenance["officialNeighboursRelease"] as? String == "2021")
    #expect((provenance["officialNeighbours"] as? String)?.contains("2021 release (dfe_statistical_neighbours_2021.csv)") == true)
    // Rutland's first neighbour in the 2021 list (old code 815) is North Yorkshire.
    let neighbours = try #require(pack["officialNeighbours"] as? [[String: Any]])
    #expect(neighbours.first?["name"] as? String == "North Yorkshire")
    let region = try String(contentsOf: out.appendingPathComponent("regions/east-midlands.html"), encoding: .utf8)
    #expect(region.contains("Statistical neighbours: DfE statistical neighbours, 2021 release"))
    let regionJSON = try Self.json(out.appendingPathComponent("regions/east-midlands.json"))
    #expect((regionJSON["officialNeighbours"] as? String)?.contains("2021 release") == true)
  }

  /// A list from a file of one's own is named by its file, not credited
  /// to DfE, and what in it cannot be what DfE meant is said in the
  /// packs' notes (here: only two authorities have neighbours).
  @Test func aListOfOnesOwnIsNamedAndItsProblemsSaid() throws {
    let text = try String(contentsOf: DataMirror(root: TestData.data).officialNeighboursURL("2025"), encoding: .utf8)
    let file = temporaryPath("-two-neighbour-lists.csv")
    try (text.split(separator: "\n").prefix(3).joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: file) }
    let out = try Self.packs(["--neighbours", file, "--la", "Rutland", "--format", "html,json"])
    defer { try? FileManager.default.removeItem(at: out) }
    let html = try String(contentsOf: out.appendingPathComponent("authorities/E06000017.html"), encoding: .utf8)
    #expect(html.contains("compared with statistical neighbours from a list given with --neighbours"))
    #expect(!html.contains("compared with DfE statistical neighbours"))
    #expect(html.contains("151 current authorities have no neighbours in the list"))
    let provenance = try #require(try Self.json(out.appendingPathComponent("authorities/E06000017.json"))["provenance"] as? [String: Any])
    #expect((provenance["officialNeighbours"] as? String)?.contains(URL(fileURLWithPath: file).lastPathComponent) == true)
  }

  /// A run into the folder of an earlier one replaces its packs as a
  /// whole: one index, one run's packs, never two runs mixed; a file of
  /// the user's own in the folder stays.
  @Test func aRunReplacesAnEarlierRunsPacksAndKeepsOtherFiles() throws {
    let out = try Self.packs(["--la", "Hartlepool", "--format", "html,json"])
    defer { try? FileManager.default.removeItem(at: out) }
    try Data("mine".utf8).write(to: out.appendingPathComponent("notes.txt"))
    #expect(try Self.authorityPacks(out) == ["E06000001"])
    let catalogue = try Self.catalogue(["sw_turnover_pct"])
    defer { try? FileManager.default.removeItem(atPath: catalogue) }
    _ = try runCommand(["packs", "--data", TestData.data.path, "--catalogue", catalogue, "--out", out.path,
                        "--la", "Rutland", "--format", "html,json"])
    #expect(try Self.authorityPacks(out) == ["E06000017"])
    #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("authorities/E06000001.html").path))
    #expect(try String(contentsOf: out.appendingPathComponent("notes.txt"), encoding: .utf8) == "mine")
  }

  /// With --year the regional page's header says which year, not
  /// "latest data" (it did, over 2019's figures).
  @Test func aYearsRegionalPageSaysWhichYear() throws {
    let out = try Self.packs(["--region", "North East", "--year", "2023", "--format", "html"])
    defer { try? FileManager.default.removeItem(at: out) }
    let page = try String(contentsOf: out.appendingPathComponent("regions/north-east.html"), encoding: .utf8)
    #expect(page.contains("data for 2023 (each indicator&#39;s latest up to then)") || page.contains("data for 2023 (each indicator's latest up to then)"))
    #expect(!page.contains("latest data for each indicator"))
  }

  @Test func anUnknownListIsRefusedWithTheChoices() throws {
    let out = temporaryPath("-packs")
    let (_, error) = try runCapturing(["packs", "--data", TestData.data.path, "--neighbours", "2019", "--la", "Rutland",
                                       "--out", out])
    let thrown = try #require(error)
    let message = PeerLensCommand.message(afterRunning: thrown)
    #expect(message.contains("'2019'") && message.contains("2025") && message.contains("2021"), "\(message)")
    #expect(!FileManager.default.fileExists(atPath: out))
  }

  // MARK: 2. London

  /// Authority packs a run wrote.
  static func authorityPacks(_ out: URL) throws -> Set<String> {
    Set(try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("authorities").path)
      .filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) })
  }

  /// A DfE file's regional figure for 2025, read straight from the file.
  static func published2025(_ file: String, column: String, region: String) throws -> Double {
    let t = try CSVReader.read(contentsOf: TestData.data.appendingPathComponent("dfe/" + file))
    let periods = try t.text("time_period"), levels = try t.text("geographic_level"), codes = try t.text("region_code")
    let values = try t.text(column)
    let k = try #require((0..<t.rowCount).first { periods[$0] == "2025" && levels[$0] == "Regional" && codes[$0] == region })
    return try #require(Double(values[k]))
  }

  /// `--region London` covers all 33 authorities (DfE files code them
  /// Inner or Outer London), the London pack shows London's published
  /// figure with Inner and Outer London's beside it, and each borough is
  /// labelled with its part.
  @Test func londonIsOneRegionOf33WithItsPartsShown() throws {
    let registry = try DataMirror(root: TestData.data).registry()
    let inner = Set(registry.current.filter { $0.regionCode == "E13000001" }.map(\.code))
    let outer = Set(registry.current.filter { $0.regionCode == "E13000002" }.map(\.code))
    let out = try Self.packs(["--region", "London", "--format", "html,json,csv"])
    defer { try? FileManager.default.removeItem(at: out) }
    let written = try Self.authorityPacks(out)
    #expect(written.count == 33 && written == inner.union(outer))
    let table = try Self.json(out.appendingPathComponent("regions/london.json"))
    #expect(table["regionCode"] as? String == "E12000007" && table["regionName"] as? String == "London")
    let rows = try #require(table["rows"] as? [[String: Any]])
    #expect(Set(rows.compactMap { $0["new_la_code"] as? String }).count == 33)
    let london = try Self.published2025("csww_indicators_2017_to_2025.csv", column: "turnover_rate_fte", region: "E12000007")
    let innerValue = try Self.published2025("csww_indicators_2017_to_2025.csv", column: "turnover_rate_fte", region: "E13000001")
    let outerValue = try Self.published2025("csww_indicators_2017_to_2025.csv", column: "turnover_rate_fte", region: "E13000002")
    for row in rows {
      let code = try #require(row["new_la_code"] as? String)
      // Values keep full precision; at the published precision they are DfE's figures.
      let region = try #require(row["region_value"] as? Double), part = try #require(row["sub_region_value"] as? Double)
      #expect(abs(region - london) <= 0.05, "\(code)")
      #expect(row["sub_region"] as? String == (inner.contains(code) ? "Inner London" : "Outer London"), "\(code)")
      #expect(abs(part - (inner.contains(code) ? innerValue : outerValue)) <= 0.05, "\(code)")
    }
    let html = try String(contentsOf: out.appendingPathComponent("regions/london.html"), encoding: .utf8)
    #expect(html.contains("<th class=\"num\">Inner London</th><th class=\"num\">Outer London</th>"))
    #expect(html.contains("Camden<br><small>Inner London</small>") && html.contains("Barnet<br><small>Outer London</small>"))
    // London, Inner London and Outer London as DfE publishes them, in that order.
    let f = { (x: Double) in String(format: "%.1f", x) }
    #expect(html.contains("<td class=\"num\">\(f(london))</td><td class=\"num\">\(f(innerValue))</td><td class=\"num\">\(f(outerValue))</td>"))
  }

  /// Inner and Outer London are accepted as DfE files name them; names
  /// are case-insensitive and codes work: E12000007 is London.
  @Test func innerLondonAndRegionCodesAreAccepted() throws {
    let registry = try DataMirror(root: TestData.data).registry()
    let inner = Set(registry.current.filter { $0.regionCode == "E13000001" }.map(\.code))
    let out = try Self.packs(["--region", "inner london", "--format", "json"])
    defer { try? FileManager.default.removeItem(at: out) }
    #expect(try Self.authorityPacks(out) == inner && inner.count == 14 && inner.contains("E09000001"))
    let byCode = try Self.packs(["--region", "E12000007", "--format", "json"])
    defer { try? FileManager.default.removeItem(at: byCode) }
    #expect(try Self.authorityPacks(byCode).count == 33)
    #expect(registry.regionCode(matching: "LONDON") == "E12000007" && registry.regionCode(matching: "e13000002") == "E13000002")
    #expect(registry.packRegions.count == 9 && registry.packRegions.contains { $0.code == "E12000007" })
  }

  @Test func anUnknownRegionListsLondonAmongTheChoices() throws {
    let (_, error) = try runCapturing(["packs", "--data", TestData.data.path, "--region", "Londn", "--out", temporaryPath("-p")])
    let message = PeerLensCommand.message(afterRunning: try #require(error))
    #expect(message.contains("Did you mean London?") && message.contains("Inner London") && message.contains("E12000007"),
            "\(message)")
  }

  // MARK: 3. Joint workforce returns

  /// The workforce file's 2025 rows with a published turnover figure,
  /// read straight from the file: code (a joint row's codes as published) → figure.
  static func turnover2025() throws -> [String: Double] {
    let t = try CSVReader.read(contentsOf: TestData.data.appendingPathComponent("dfe/csww_indicators_2017_to_2025.csv"))
    let periods = try t.text("time_period"), levels = try t.text("geographic_level"), codes = try t.text("new_la_code")
    let values = try t.text("turnover_rate_fte")
    var out: [String: Double] = [:]
    for k in 0..<t.rowCount where periods[k] == "2025" && levels[k] == "Local authority" {
      // Codes as the registry knows them (Barnsley and Sheffield were recoded in 2024).
      if let x = Double(values[k]) { out[AuthorityRegistry(authorities: []).canonicalCode(codes[k])] = x }
    }
    return out
  }

  /// Kingston upon Thames and Richmond upon Thames submit one return: both
  /// packs show the joint 2025 turnover figure, labelled as a joint return,
  /// in the section, its sentence and the overview.
  @Test func kingstonAndRichmondBothShowTheJointTurnover() throws {
    let joint = try #require(try Self.turnover2025()["E09000021 / E09000027"])
    let out = try Self.packs(["--la", "E09000021", "--la", "Richmond upon Thames", "--format", "html,json,csv"])
    defer { try? FileManager.default.removeItem(at: out) }
    for (code, partner) in [("E09000021", "Richmond upon Thames"), ("E09000027", "Kingston upon Thames")] {
      let pack = try Self.json(out.appendingPathComponent("authorities/\(code).json"))
      let sections = try #require(pack["indicators"] as? [[String: Any]])
      let turnover = try #require(sections.first { $0["id"] as? String == "sw_turnover_pct" })
      #expect(turnover["period"] as? String == "2025" && turnover["status"] as? String == "ok", "\(code)")
      #expect(turnover["publishedValue"] as? Double == joint, "\(code)")
      let value = try #require(turnover["value"] as? Double)
      #expect(abs(value - joint) <= 0.05, "\(code): \(value) against \(joint)")
      #expect(turnover["jointReturn"] as? String == "joint return with \(partner)", "\(code)")
      #expect((turnover["sentence"] as? String)?.hasPrefix("This figure is a joint return with \(partner)") == true, "\(code)")
      let html = try String(contentsOf: out.appendingPathComponent("authorities/\(code).html"), encoding: .utf8)
      #expect(html.contains("<small>joint return with \(partner)</small>"), "\(code)")
      #expect(html.contains(String(format: "%.1f%%", joint)) && !html.contains("No value is published"), "\(code)")
      // The rule is stated in the methods notes.
      let caveats = try #require((pack["provenance"] as? [String: Any])?["caveats"] as? [String])
      #expect(caveats.contains { $0.hasPrefix("Joint returns:") && $0.contains("counted once") })
    }
  }

  /// The joint return is counted once: each authority's LAIT rank is one
  /// plus the number of returns with a lower turnover in the published
  /// file (one row per return), both Kingston and Richmond carry the joint
  /// return's rank, and the London strip shows the joint figure as one dot.
  @Test func aJointReturnIsCountedOnceInRanksAndDistributions() throws {
    let published = try Self.turnover2025()
    let out = try Self.packs(["--region", "London", "--format", "html"])
    defer { try? FileManager.default.removeItem(at: out) }
    let values = try CSVReader.read(contentsOf: out.appendingPathComponent("values.csv"))
    let ids = try values.text("indicator_id"), periods = try values.text("time_period"), codes = try values.text("new_la_code")
    let ranks = try values.text("rank"), joint = try values.text("joint_return")
    var checked = 0
    for k in 0..<values.rowCount where ids[k] == "sw_turnover_pct" && periods[k] == "2025" && !ranks[k].isEmpty {
      #expect(!codes[k].contains("/"), "a joint row is not an authority of its own")
      let own = published[codes[k]] ?? published.first { $0.key.contains(codes[k]) }?.value
      let x = try #require(own, "\(codes[k]) has no published figure")
      let expected = 1 + published.values.filter { $0 < x }.count
      #expect(Int(ranks[k]) == expected, "\(codes[k]): rank \(ranks[k]), expected \(expected)")
      checked += 1
    }
    // Every return ranked, the two joint ones for two authorities each.
    #expect(checked == published.count + 2)
    let kingston = try #require((0..<values.rowCount).first { ids[$0] == "sw_turnover_pct" && periods[$0] == "2025" && codes[$0] == "E09000021" })
    #expect(joint[kingston] == "E09000021 / E09000027")
    let html = try String(contentsOf: out.appendingPathComponent("regions/london.html"), encoding: .utf8)
    let strip = try #require(html.components(separatedBy: "aria-labelledby=\"strip-sw_turnover_pct-title").dropFirst().first)
      .components(separatedBy: "</svg>")[0]
    #expect(strip.components(separatedBy: "<title>Kingston upon Thames / Richmond upon Thames:").count == 2)
    #expect(!strip.contains("<title>Kingston upon Thames:") && !strip.contains("<title>Richmond upon Thames:"))
    // The side-by-side table shows the figure under each authority, marked joint.
    // (A mark may follow where the figure stands out: "28.0 (joint return) △".)
    #expect(html.components(separatedBy: String(format: "<td class=\"num\">%.1f (joint return)", published["E09000021 / E09000027"]!)).count == 3)
    // 33 authorities, 32 returns: 32 dots where every return has a figure.
    let londonReturns = published.keys.filter { key in
      key.split(separator: "/").contains { code in
        ["E13000001", "E13000002"].contains(try! DataMirror(root: TestData.data).registry()
          .authority(code: code.trimmingCharacters(in: .whitespaces))?.regionCode ?? "")
      }
    }.count
    #expect(strip.components(separatedBy: "<circle").count - 1 == londonReturns)
  }
}
