import Foundation
import Testing
import PeerLensCLI
import PeerLensData
import _PeerLensTestSupport

/// A pack's "Since the last release" says what it was compared against:
/// nothing, one release, or two that gave this authority nothing new; one
/// sentence covered all three and told a meeting to run `peerlens ingest`.
@Suite(.serialized) struct PackChangesTests {
  /// The "Since the last release" part of an authority's page.
  static func changesPart(_ out: URL, _ code: String) throws -> String {
    let html = try String(contentsOf: out.appendingPathComponent("authorities/\(code).html"), encoding: .utf8)
    let start = try #require(html.range(of: "Since the last release"), "no changes heading")
    return String(html[start.upperBound...].prefix(1500))
  }

  @Test func theNoteSaysWhatWasCompared() throws {
    let folder = URL(fileURLWithPath: temporaryPath("-pack-changes"))
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = folder.appendingPathComponent("releases.sqlite").path
    let revised = try DataConsistencyTests.mirror([DataConsistencyTests.edited("241,46,19.1", "241,47,19.5")])
    defer { revised.remove() }

    // No store: said as such, with no command for the meeting to run.
    let plain = folder.appendingPathComponent("plain")
    _ = try runCommand(["packs", "--data", TestData.data.path, "--la", "E06000017", "--format", "html", "--out", plain.path])
    let none = try Self.changesPart(plain, "E06000017")
    #expect(none.contains("made without a record of earlier releases") && !none.contains("peerlens ingest"), "\(none)")

    // One release in the store.
    _ = try runCommand(["ingest", "--data", TestData.data.path, "--store", store])
    let one = folder.appendingPathComponent("one")
    _ = try runCommand(["packs", "--data", TestData.data.path, "--la", "E06000017", "--format", "html", "--out", one.path,
                        "--store", store])
    #expect(try Self.changesPart(one, "E06000017").contains("the record of releases holds only one (vintage 1)"))

    // Two: Rutland's revised 2014 re-referrals are listed; Hartlepool,
    // unchanged, says which releases were compared.
    _ = try runCommand(["ingest", "--data", revised.root.path, "--store", store])
    let two = folder.appendingPathComponent("two")
    _ = try runCommand(["packs", "--data", revised.root.path, "--la", "E06000017", "--la", "E06000001", "--format", "html",
                        "--out", two.path, "--store", store])
    let rutland = try Self.changesPart(two, "E06000017")
    #expect(rutland.contains("<li>") && !rutland.contains("Nothing changed"), "\(rutland)")
    let hartlepool = try Self.changesPart(two, "E06000001")
    #expect(hartlepool.contains("Nothing changed for this authority between release vintage 1 and release vintage 2"),
            "\(hartlepool)")

    // The first release's data with that store: its packs show the first
    // release's figures, so they list no revision made after it (the
    // store's last two vintages said "revised" of a figure they did not show).
    let earlier = folder.appendingPathComponent("earlier")
    _ = try runCommand(["packs", "--data", TestData.data.path, "--la", "E06000017", "--format", "html", "--out", earlier.path,
                        "--store", store])
    let first = try Self.changesPart(earlier, "E06000017").components(separatedBy: "<h2")[0]
    #expect(!first.contains("<li>") && first.contains("the earliest release in the record (vintage 1)"), "\(first)")
    // Data the store does not hold is refused before the run, naming the store.
    let other = try DataConsistencyTests.mirror([DataConsistencyTests.edited("241,46,19.1", "241,48,19.9")])
    defer { other.remove() }
    #expect {
      try runCommand(["packs", "--data", other.root.path, "--la", "E06000017", "--format", "html",
                      "--out", folder.appendingPathComponent("other").path, "--store", store])
    } throws: { error in
      let message = PeerLensCommand.fullMessage(for: error)
      return message.contains("is none of the 2 vintage(s) of the store \(store)") && message.contains("peerlens ingest --data")
    }
    #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("other").path))

    // A release brought in by 'data import' is compared with the one
    // before it with no --store, as README's "Next year's release" runs it.
    let home = folder.appendingPathComponent("home").path
    _ = try runCommand(["data", "import", revised.root.appendingPathComponent(DataConsistencyTests.file).path,
                        "--data-home", home, "--label", "revised"])
    let imported = folder.appendingPathComponent("imported")
    _ = try runCommand(["packs", "--data-home", home, "--la", "E06000017", "--format", "html", "--out", imported.path])
    let fromImport = try Self.changesPart(imported, "E06000017")
    #expect(fromImport.contains("<li>") && fromImport.contains("2014"), "\(fromImport)")
  }
}
