import Foundation
import Testing
@testable import PeerLensCLI
import PeerLensData
import ZIPFoundation
import _PeerLensTestSupport

/// A data directory with one import done: a release ZIP built from the
/// snapshot with one figure revised (Rutland's children in care on 31 March
/// 2023: 32 → 40 children, rate 40 → 50 per 10,000), renamed as DfE renames files, beside a file PeerLens does
/// not read and the data guidance.
final class ImportedHome: Sendable {
  static let shared = Result { try ImportedHome() }

  let home: URL
  let zip: URL
  let output: String
  let editedSHA256: String
  static let target = "dfe/cla_number_and_rate_per_10k_children.csv"

  init() throws {
    let fm = FileManager.default
    let work = fm.temporaryDirectory.appendingPathComponent("peerlens-import-\(UUID().uuidString)")
    home = work.appendingPathComponent("home")
    zip = work.appendingPathComponent("children-looked-after-2026.zip")
    try fm.createDirectory(at: work, withIntermediateDirectories: true)
    let original = try String(contentsOf: TestData.data.appendingPathComponent(Self.target), encoding: .utf8)
    let from = "Rutland,E06000017,Children looked after on 31 March each year,8045,32,40"
    precondition(original.contains(from), "the snapshot no longer has Rutland's 2023 row as expected")
    let edited = original.replacingOccurrences(of: from, with: from.replacingOccurrences(of: ",32,40", with: ",40,50"))
    editedSHA256 = DataSnapshot.sha256(Data(edited.utf8))
    try ImportedHome.makeZIP(zip, entries: [
      ("data/cla_2026_renamed.csv", Data(edited.utf8)),
      ("data/other_publication.csv", Data("time_period,foo,bar\n2025,1,2\n".utf8)),
      ("data-guidance/data-guidance.txt", Data("guidance".utf8)),
    ])
    output = try runCommand(["data", "import", zip.path, "--data-home", home.path, "--label", "edited"])
  }

  static func makeZIP(_ url: URL, entries: [(String, Data)]) throws {
    let archive = try Archive(url: url, accessMode: .create)
    for (path, data) in entries {
      try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { pos, size in
        data.subdata(in: Int(pos)..<Int(pos) + size)
      }
    }
  }

  /// Every file under the home with its size and checksum: "exactly as it was".
  func state() throws -> [String] {
    let fm = FileManager.default
    var out: [String] = []
    guard let e = fm.enumerator(at: home, includingPropertiesForKeys: nil) else { return [] }
    for case let u as URL in e {
      var isDir: ObjCBool = false
      fm.fileExists(atPath: u.path, isDirectory: &isDir)
      let rel = String(u.path.dropFirst(home.path.count))
      if isDir.boolValue { out.append(rel + "/") } else if !rel.hasSuffix(".import.lock") {
        out.append(rel + " " + DataSnapshot.sha256(try Data(contentsOf: u)))
      }
    }
    return out.sorted()
  }
}

@Suite(.serialized) struct DataImportTests {
  func imported() throws -> ImportedHome { try ImportedHome.shared.get() }

  @Test func importRecognisesTheFileByItsColumnsAndRecordsTwoVintages() throws {
    let h = try imported()
    #expect(h.output.contains("cla_2026_renamed.csv → \(ImportedHome.target)"), "\(h.output)")
    #expect(h.output.contains("other_publication.csv: not a file PeerLens reads"))
    #expect(h.output.contains("vintage 1 (snapshot"))
    #expect(h.output.contains("Stored vintage 2 (edited)"))
    let sources = try JSONDecoder().decode([DataSource].self, from: Data(
      runCommand(["data", "sources", "--data-home", h.home.path, "--format", "json"]).utf8))
    let imported = sources.filter { $0.origin == "import" }
    #expect(imported.map(\.path) == [ImportedHome.target])
    #expect(imported.first?.sha256 == h.editedSHA256)
    #expect(imported.first?.periods == ["2021", "2025"])
    #expect(sources.filter { $0.origin == "snapshot" }.count == sources.count - 1)
    // The snapshot vintage lists the snapshot's own checksum for that file.
    let before = try JSONDecoder().decode([DataSource].self, from: Data(
      runCommand(["data", "sources", "--data-home", h.home.path, "--vintage", "1", "--format", "json"]).utf8))
    #expect(before.first { $0.path == ImportedHome.target }?.sha256 != h.editedSHA256)
    #expect(before.allSatisfy { $0.origin == "snapshot" })
  }

  @Test func changesReportsExactlyTheEditedValue() throws {
    let h = try imported()
    let json = try runCommand(["changes", "--data-home", h.home.path, "--format", "json"])
    let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
    #expect(object["from"] as? Int == 1 && object["to"] as? Int == 2)
    let revisions = object["revisions"] as! [[String: Any]]
    #expect(!revisions.isEmpty)
    for r in revisions {
      #expect(r["new_la_code"] as? String == "E06000017" && r["time_period"] as? String == "2023", "\(r)")
    }
    #expect(revisions.count == 1)
    let rate = revisions.first { $0["indicator"] as? String == "cla_rate" }
    // 32 and 40 children of Rutland's 8,045.
    #expect(abs((rate?["old"] as? Double ?? 0) - 32.0 / 8045 * 10_000) < 1e-9, "\(revisions)")
    #expect(abs((rate?["new"] as? Double ?? 0) - 40.0 / 8045 * 10_000) < 1e-9, "\(revisions)")
    #expect((object["new_periods"] as? [String: Any])?.isEmpty == true)
  }

  /// The text report shows the revision at DfE's precision (whole
  /// numbers for this rate), and `--la` takes a name or an old code, or is
  /// refused with the closest name (issue 21: `changes --la` was unchecked).
  @Test func changesTextIsAtPublishedPrecisionAndLaIsChecked() throws {
    let h = try imported()
    let old = Int((32.0 / 8045 * 10_000).rounded()), new = Int((40.0 / 8045 * 10_000).rounded())
    let change = Int((8.0 / 8045 * 10_000).rounded())
    for la in ["Rutland", "857", "E06000017", "rutland"] {
      let text = try runCommand(["changes", "--data-home", h.home.path, "--la", la])
      #expect(text.contains("cla_rate Rutland 2023: \(old) → \(new) (+\(change))"), "\(la): \(text)")
    }
    let error = try #require(try runCapturing(["changes", "--data-home", h.home.path, "--la", "Rutlnd"]).error)
    let message = error.localizedDescription
    #expect(message.contains("--la 'Rutlnd'") && message.contains("the closest name is 'Rutland'"), "\(message)")
  }

  @Test func valuesOfTheTwoVintagesDifferOnlyThere() throws {
    let h = try imported()
    // One period at a time keeps the captured output small.
    func values(_ v: String, _ period: String) throws -> [String] {
      try runCommand(["values", "--data-home", h.home.path, "--vintage", v, "--indicator", "cla_rate", "--year", period,
                      "--format", "csv"]).split(separator: "\n").map(String.init)
    }
    let old = try values("1", "2023"), new = try values("edited", "2023")
    #expect(old.count == new.count && old.count > 150)
    let changed = zip(old, new).filter { $0 != $1 }
    #expect(changed.count == 1, "\(changed)")
    #expect(changed.first.map { $0.0.hasPrefix("E06000017,") && $0.1.hasPrefix("E06000017,") } == true)
    #expect(try values("1", "2024") == values("2", "2024"))
  }

  /// `packs --vintage` of the old and the new release: Rutland's pack CSV
  /// (the numbers behind every chart) differs in the edited figure only.
  @Test func packsOfTheTwoVintagesDifferOnlyThere() throws {
    let h = try imported()
    func pack(_ v: String) throws -> [String] {
      let out = FileManager.default.temporaryDirectory.appendingPathComponent("peerlens-packs-\(UUID().uuidString)")
      defer { try? FileManager.default.removeItem(at: out) }
      _ = try runCommand(["packs", "--data-home", h.home.path, "--vintage", v, "--la", "E06000017", "--format", "csv",
                          "--out", out.path])
      return try String(contentsOf: out.appendingPathComponent("authorities/E06000017.csv"), encoding: .utf8)
        .split(separator: "\n").map(String.init)
    }
    let old = try pack("1"), new = try pack("2")
    #expect(old.count == new.count && old.count > 500)
    let changed = zip(old, new).filter { $0 != $1 }
    #expect(changed.count == 1, "\(changed)")
    #expect(changed.first?.0.hasPrefix("trend,cla_rate,2023,authority,") == true)
    #expect(changed.first?.1.hasPrefix("trend,cla_rate,2023,authority,49.72") == true)
  }

  @Test func aSecondImportOfTheSameFilesChangesNothing() throws {
    let h = try imported()
    let before = try h.state()
    let out = try runCommand(["data", "import", h.zip.path, "--data-home", h.home.path])
    #expect(out.contains("Already imported as vintage 2 (edited): nothing changed."), "\(out)")
    #expect(try h.state() == before)
  }

  /// Each bad input: a clear error naming the file, and the directory untouched.
  func expectRefused(_ paths: [String], containing words: [String], home: URL? = nil) throws {
    let h = try imported()
    let before = try h.state()
    do {
      _ = try runCommand(["data", "import"] + paths + ["--data-home", (home ?? h.home).path])
      Issue.record("import of \(paths) was accepted")
    } catch {
      let message = error.localizedDescription
      for w in words { #expect(message.contains(w), "'\(w)' missing from: \(message)") }
    }
    #expect(try h.state() == before)
  }

  func scratch(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("peerlens-bad-\(UUID().uuidString)-\(name)")
  }

  /// The children-in-care file with one authority's 2025 count and rate
  /// (`old`, as `",32,40"`) replaced by `new`, in a scratch file; and the
  /// line of the edited row.
  func editedTarget(_ name: String, row: String, _ old: String, _ new: String) throws -> (url: URL, line: Int) {
    let text = try String(contentsOf: TestData.data.appendingPathComponent(ImportedHome.target), encoding: .utf8)
    let full = row + old
    #expect(text.contains(full))
    let csv = scratch(name)
    try text.replacingOccurrences(of: full, with: row + new).write(to: csv, atomically: true, encoding: .utf8)
    let line = (text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains(full) } ?? -1) + 1
    return (csv, line)
  }

  static let rutland = "Rutland,E06000017,Children looked after on 31 March each year,8045"

  @Test func corruptAndTruncatedZIPsAreRefused() throws {
    let h = try imported()
    let bytes = try Data(contentsOf: h.zip)
    let truncated = scratch("truncated.zip")
    try bytes.prefix(bytes.count / 2).write(to: truncated)
    try expectRefused([truncated.path], containing: [truncated.path, "not a readable ZIP", "Nothing was imported"])
    let corrupt = scratch("corrupt.zip")
    var damaged = bytes
    for i in stride(from: 60, to: damaged.count - 200, by: 7) { damaged[i] ^= 0x5A }
    try damaged.write(to: corrupt)
    try expectRefused([corrupt.path], containing: [corrupt.path, "Nothing was imported"])
  }

  @Test func aZIPWithNoCSVIsRefused() throws {
    let z = scratch("guidance-only.zip")
    try ImportedHome.makeZIP(z, entries: [("data-guidance/data-guidance.txt", Data("guidance".utf8))])
    try expectRefused([z.path], containing: [z.path, "has no CSV file", "data-guidance/data-guidance.txt"])
  }

  @Test func aCSVMatchingNoLayoutNamesTheClosestAndItsMissingColumns() throws {
    let csv = scratch("mystery.csv")
    try "time_period,time_identifier,geographic_level,country_code,country_name,la_name,new_la_code,widgets\n2025,Reporting year,National,E92000001,England,,,3\n"
      .write(to: csv, atomically: true, encoding: .utf8)
    try expectRefused([csv.path], containing: [csv.path, "match no file PeerLens reads", "The closest is dfe/", "also needs the columns"])
  }

  @Test func aCSVFromTheRightPublicationWithAColumnMissingIsRefused() throws {
    let text = try String(contentsOf: TestData.data.appendingPathComponent(ImportedHome.target), encoding: .utf8)
    // Drop the last column (rate_per_10000) from every line.
    let cut = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
      guard let comma = line.lastIndex(of: ",") else { return String(line) }
      return String(line[..<comma])
    }.joined(separator: "\n")
    let csv = scratch("cla_without_rate.csv")
    try cut.write(to: csv, atomically: true, encoding: .utf8)
    try expectRefused([csv.path], containing: [csv.path, "looks like \(ImportedHome.target)", "'rate_per_10000'"])
  }

  @Test func aFileThatFailsTheDataChecksIsRefused() throws {
    let text = try String(contentsOf: TestData.data.appendingPathComponent(ImportedHome.target), encoding: .utf8)
    let bad = text.replacingOccurrences(of: "Rutland,E06000017,Children looked after on 31 March each year,8045,32,40",
                                        with: "Rutland,E06000017,Children looked after on 31 March each year,8045,thirty-two,40")
    let csv = scratch("cla_text_in_count.csv")
    try bad.write(to: csv, atomically: true, encoding: .utf8)
    try expectRefused([csv.path], containing: [csv.path, "fails the data checks", "thirty-two"])
  }

  /// A count that contradicts its own published rate (32 typed as 32000
  /// beside a published 40 per 10,000) is what `data check` calls an
  /// error: the import refuses it, and records nothing, not even the
  /// baseline.
  @Test func aCountThatContradictsItsPublishedRateIsRefused() throws {
    let csv = try editedTarget("cla_typo.csv", row: Self.rutland, ",32,40", ",32000,40").url
    try expectRefused([csv.path], containing: [csv.path, "contradicts itself", "E06000017 Rutland", "32000 of 8045",
                                               "Nothing was imported"])
    // Into a fresh directory: nothing is left behind (an empty store, its
    // lock and a versions folder were); into an existing empty one, the
    // directory stays as it was.
    let home = scratch("fresh-home")
    defer { try? FileManager.default.removeItem(at: home) }
    #expect(throws: (any Error).self) { try runCommand(["data", "import", csv.path, "--data-home", home.path]) }
    #expect(!FileManager.default.fileExists(atPath: home.path))
    try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    try Data("mine".utf8).write(to: home.appendingPathComponent("notes.txt"))
    #expect(throws: (any Error).self) { try runCommand(["data", "import", csv.path, "--data-home", home.path]) }
    #expect(try FileManager.default.contentsOfDirectory(atPath: home.path) == ["notes.txt"])
  }

  /// `ingest` runs the check across files `data import` runs: a copy of
  /// the data where Hartlepool's 2024 count contradicts its published rate
  /// (336 → 376 children of 20,541, beside the published 164 per 10,000)
  /// is refused by both, with the same sentence, and the store keeps its
  /// bytes. `ingest` used to store it.
  @Test func ingestRefusesWhatImportRefuses() throws {
    let csv = try editedTarget("cla_hartlepool_2024.csv", row: Self.hartlepool2024, ",336,164", ",376,164").url
    let problem = "E06000001 Hartlepool: count 376 of 20541 gives"
    try expectRefused([csv.path], containing: [csv.path, "contradicts itself", problem, "Nothing was imported"])
    let mirror = try TemporaryMirror(replacing: [ImportedHome.target: try String(contentsOf: csv, encoding: .utf8)])
    let store = scratch("ingest.sqlite")
    defer { mirror.remove(); try? FileManager.default.removeItem(at: store) }
    _ = try ReleaseStore(path: store.path)
    let before = try Data(contentsOf: store)
    let error = try #require(
      try runCapturing(["ingest", "--data", mirror.root.path, "--store", store.path, "--label", "edited"]).error,
      "ingest stored data that data import refuses")
    let message = error.localizedDescription
    for w in [mirror.root.path, "contradicts itself", problem, "Nothing was stored"] {
      #expect(message.contains(w), "'\(w)' missing from: \(message)")
    }
    #expect(try Data(contentsOf: store) == before)
    #expect(try ReleaseStore(path: store.path, access: .readOnly).vintages().isEmpty)
  }

  /// A refused ingest into a store path that does not exist yet creates
  /// no file: every file is read and the data checked before the store is
  /// opened. It used to leave an empty store, which later commands read
  /// as a store with no releases.
  @Test func aRefusedIngestCreatesNoStore() throws {
    let csv = try editedTarget("cla_hartlepool_new_store.csv", row: Self.hartlepool2024, ",336,164", ",376,164").url
    let mirror = try TemporaryMirror(replacing: [ImportedHome.target: try String(contentsOf: csv, encoding: .utf8)])
    let store = scratch("never-created.sqlite")
    defer { mirror.remove(); try? FileManager.default.removeItem(at: store) }
    try? FileManager.default.removeItem(at: store)
    let error = try #require(
      try runCapturing(["ingest", "--data", mirror.root.path, "--store", store.path]).error,
      "ingest stored data that data import refuses")
    #expect(error.localizedDescription.contains("contradicts itself"))
    #expect(!FileManager.default.fileExists(atPath: store.path), "a refused ingest left a store file behind")
  }

  static let hartlepool2024 = "Hartlepool,E06000001,Children looked after on 31 March each year,20541"

  /// A negative count that is none of the dashboard's codes is refused,
  /// with its line and column.
  @Test func aNegativeCountIsRefused() throws {
    let (csv, line) = try editedTarget("cla_negative.csv", row: Self.rutland, ",32,40", ",-32,40")
    try expectRefused([csv.path], containing: [csv.path, "line \(line), column 'children_count'", "zero or more", "'-32'"])
  }

  /// The change `changes` prints is between the figures it shows, so the
  /// line adds up: Hartlepool 332 → 400 children of 21,090 is 157 → 190
  /// per 10,000 as published, +33 (the exact rates differ by 32.2, which
  /// printed +32 beside them).
  @Test func theChangeShownIsBetweenTheFiguresShown() throws {
    let csv = try editedTarget("cla_hartlepool.csv", row: "Hartlepool,E06000001,Children looked after on 31 March each year,21090",
                               ",332,157", ",400,190").url
    let home = scratch("home-hartlepool")
    _ = try runCommand(["data", "import", csv.path, "--data-home", home.path])
    let report = try runCommand(["changes", "--data-home", home.path, "--la", "Hartlepool"])
    #expect(report.contains("cla_rate Hartlepool 2025: 157 → 190 (+33)"), "\(report)")
  }

  @Test func anUnwritableDataDirectoryIsRefused() throws {
    let h = try imported()
    // A data directory below a regular file cannot be created, even by root.
    let blocker = scratch("blocker")
    try Data("x".utf8).write(to: blocker)
    let csv = scratch("cla.csv")
    try Data(contentsOf: TestData.data.appendingPathComponent(ImportedHome.target)).write(to: csv)
    try expectRefused([csv.path], containing: ["Cannot write to the data directory", blocker.path], home: blocker.appendingPathComponent("peerlens"))
    #expect(try String(contentsOf: blocker, encoding: .utf8) == "x")
    _ = h
  }

  @Test func aMissingInputAndAnUnknownVintageAreNamed() throws {
    try expectRefused(["/nonexistent/release.zip"], containing: ["/nonexistent/release.zip", "no such file"])
    let h = try imported()
    #expect(throws: (any Error).self) {
      try runCommand(["values", "--data-home", h.home.path, "--vintage", "7", "--indicator", "cla_rate"])
    }
    do {
      _ = try runCommand(["values", "--data-home", h.home.path, "--vintage", "7", "--indicator", "cla_rate"])
    } catch {
      #expect(error.localizedDescription.contains("No vintage '7'"))
      #expect(error.localizedDescription.contains("2 (edited)"))
    }
    do {
      _ = try runCommand(["values", "--data", TestData.data.path, "--vintage", "1", "--indicator", "cla_rate"])
      Issue.record("--data with --vintage was accepted")
    } catch {
      #expect(error.localizedDescription.contains("either --data or --vintage"))
    }
  }

  /// A period such as 9999 was stored: every indicator's latest year became
  /// 9999, with one authority. `data import` and `ingest` now refuse what
  /// `data check` calls an error.
  @Test func anImplausiblePeriodIsRefusedByImportAndIngest() throws {
    let text = try String(contentsOf: TestData.data.appendingPathComponent(ImportedHome.target), encoding: .utf8)
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let k = try #require(lines.firstIndex { $0.contains(Self.rutland + ",32,40") })
    lines[k] = "9999" + lines[k].drop { $0 != "," }
    let csv = scratch("cla_9999.csv")
    try lines.joined(separator: "\n").write(to: csv, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: csv) }
    try expectRefused([csv.path], containing: [csv.path, "9999", "Nothing was imported"])
    let mirror = try TemporaryMirror(replacing: [ImportedHome.target: lines.joined(separator: "\n")])
    let store = scratch("ingest-9999.sqlite")
    defer { mirror.remove(); try? FileManager.default.removeItem(at: store) }
    let error = try #require(try runCapturing(["ingest", "--data", mirror.root.path, "--store", store.path]).error,
                             "ingest stored a period 9999")
    #expect(error.localizedDescription.contains("9999"), "\(error.localizedDescription)")
    #expect(!FileManager.default.fileExists(atPath: store.path))
  }

  /// A header alone replaced the file's data with nothing, and every
  /// indicator read from it lost its values without a word.
  @Test func aHeaderOnlyFileIsRefused() throws {
    let text = try String(contentsOf: TestData.data.appendingPathComponent(ImportedHome.target), encoding: .utf8)
    let csv = scratch("cla_header_only.csv")
    try (String(text.prefix { $0 != "\n" }) + "\n").write(to: csv, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: csv) }
    try expectRefused([csv.path], containing: [csv.path, "no rows of data", "Nothing was imported"])
  }

  /// `changes` compares an earlier vintage with a later one: `--to 1`
  /// compared vintage 1 with itself (all zeros), `--from 2 --to 1` printed
  /// the revision backwards, and a mistyped id was answered "comparing
  /// needs two".
  @Test func changesComparesAnEarlierVintageWithALaterOne() throws {
    let h = try imported()
    let cases: [([String], String)] = [
      (["--to", "1"], "vintage 1 is the store's earliest"),
      (["--from", "2", "--to", "1"], "--from must be an earlier vintage than --to (give --from 1 --to 2)"),
      (["--from", "1", "--to", "1"], "the same vintage has no changes"),
      (["--to", "5"], "No vintage 5; the store's vintages are 1 ("),
      (["--to", "5"], ", 2 (edited)."),
      (["--from", "edit", "--to", "2"], "No vintage edit;"),
      (["--from", "EDITED"], "--from must be an earlier vintage than --to"),
    ]
    for (options, said) in cases {
      let error = try #require(try runCapturing(["changes", "--data-home", h.home.path] + options).error, "\(options)")
      let message = PeerLensCommand.message(afterRunning: error)
      #expect(message.contains(said), "\(options): \(message)")
    }
    let out = try runCommand(["changes", "--data-home", h.home.path, "--to", "2"])
    #expect(out.contains("Changes from vintage 1"), "\(out)")
    // A vintage by its label, in any case, as by its id.
    for to in ["edited", "Edited"] {
      #expect(try runCommand(["changes", "--data-home", h.home.path, "--from", "1", "--to", to]) == out, "--to \(to)")
    }
  }

  /// A vintage stored from a folder the user named (the data in use at the
  /// first import) is read from that folder again: once its files have
  /// changed, the vintage's name would give other figures, so it is
  /// refused, naming the file; the import after it still reads.
  @Test func aFolderVintageWhoseFilesHaveChangedIsRefused() throws {
    let h = try imported(), mirror = try TemporaryMirror()
    let home = URL(fileURLWithPath: temporaryPath("-home"))
    defer { mirror.remove(); try? FileManager.default.removeItem(at: home) }
    _ = try runCommand(["data", "import", h.zip.path, "--data", mirror.root.path, "--data-home", home.path, "--label", "edited"])
    let sources = ["data", "sources", "--data-home", home.path, "--vintage"]
    #expect(try runCommand(sources + ["1"]).contains(mirror.root.path))
    // The folder's copy of a file is edited in place (it was a link to the test data).
    let target = mirror.root.appendingPathComponent(ImportedHome.target)
    let text = try String(contentsOf: target, encoding: .utf8)
    try FileManager.default.removeItem(at: target)
    try text.replacingOccurrences(of: ",8045,32,40", with: ",8045,33,41").write(to: target, atomically: true, encoding: .utf8)
    let message = try #require(refusal(sources + ["1"]), "vintage 1 was read from a changed folder").message
    #expect(message.contains("Vintage 1 was stored from the folder \(mirror.root.path),")
      && message.contains("changed since: \(ImportedHome.target) (changed).")
      && message.contains("give --data \(mirror.root.path);"), "\(message)")
    #expect(try runCommand(sources + ["edited"]).contains("vintage 2"))
  }

  /// A label that cannot be named back (empty), or that reads as a vintage
  /// id (`--label 1` on vintage 3 made `--vintage 1` read vintage 3), is
  /// refused by both commands that store a vintage.
  @Test func labelsThatCannotNameTheirVintageAreRefused() throws {
    let h = try imported()
    for (command, said) in [(["data", "import", h.zip.path, "--data-home", h.home.path], "--label"),
                            (["ingest", "--store", scratch("label.sqlite").path], "--label")] {
      for label in ["", "  ", "1", "12"] {
        let message = try #require(refusal(command + ["--label", label]), "\(command) --label '\(label)'").message
        #expect(message.contains(said) && (message.contains("empty") || message.contains("whole number")), "\(message)")
      }
    }
    #expect(try runCommand(["data", "sources", "--data-home", h.home.path, "--vintage", "1"]).contains("vintage 1"))
  }
}
