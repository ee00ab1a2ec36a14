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

  @Test func anUnknownListIsRefusedWithTheChoices() throws {
    let out = temporaryPath("-packs")
    let (_, error) = try runCapturing(["packs", "--data", TestData.data.path, "--neighbours", "2019", "--la", "Rutland",
                                       "--out", out])
    let thrown = try #require(error)
    let message = PeerLensCommand.message(afterRunning: thrown)
    #expect(message.contains("'2019'") && message.contains("2025") && message.contains("2021"), "\(message)")
    #expect(!FileManager.default.fileExists(atPath: out))
  }
}
