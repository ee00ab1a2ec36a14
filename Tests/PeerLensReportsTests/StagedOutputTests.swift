import Foundation
import Testing
import PeerLensReports

/// A run's output replaces the previous one as a whole.
@Suite struct StagedOutputTests {
  let fm = FileManager.default

  func scratch() throws -> URL {
    let u = fm.temporaryDirectory.appendingPathComponent("peerlens-staged-\(UUID().uuidString)")
    try fm.createDirectory(at: u, withIntermediateDirectories: true)
    return u
  }

  func text(_ u: URL) -> String? { try? String(contentsOf: u, encoding: .utf8) }

  @Test func untilCommitTheTargetIsUntouchedThenItIsTheNewRun() throws {
    let root = try scratch()
    defer { try? fm.removeItem(at: root) }
    let out = root.appendingPathComponent("out")
    try fm.createDirectory(at: out.appendingPathComponent("authorities"), withIntermediateDirectories: true)
    try AtomicFile.write("old A", to: out.appendingPathComponent("authorities/a.html"))
    try AtomicFile.write("old B", to: out.appendingPathComponent("authorities/b.html"))

    let staged = try StagedOutput.begin(target: out)
    // The staging folder starts as the previous output…
    #expect(text(staged.staging.appendingPathComponent("authorities/b.html")) == "old B")
    // …and writing into it leaves the target as it was.
    try AtomicFile.write("new A", to: staged.staging.appendingPathComponent("authorities/a.html"))
    try AtomicFile.write("new C", to: staged.staging.appendingPathComponent("authorities/c.html"))
    #expect(text(out.appendingPathComponent("authorities/a.html")) == "old A")
    #expect(!fm.fileExists(atPath: out.appendingPathComponent("authorities/c.html").path))

    try staged.commit()
    #expect(text(out.appendingPathComponent("authorities/a.html")) == "new A")
    #expect(text(out.appendingPathComponent("authorities/b.html")) == "old B")
    #expect(text(out.appendingPathComponent("authorities/c.html")) == "new C")
    #expect(try fm.contentsOfDirectory(atPath: root.path) == ["out"])
  }

  /// What a run owns (`replacing`) is not carried over, so an earlier
  /// run's packs go as a whole; anything else in the folder stays.
  @Test func aRunsOwnEntriesAreReplacedAndOtherFilesKept() throws {
    let root = try scratch()
    defer { try? fm.removeItem(at: root) }
    let out = root.appendingPathComponent("out")
    try fm.createDirectory(at: out.appendingPathComponent("authorities"), withIntermediateDirectories: true)
    try AtomicFile.write("old A", to: out.appendingPathComponent("authorities/a.html"))
    try AtomicFile.write("old B", to: out.appendingPathComponent("authorities/b.html"))
    try AtomicFile.write("old index", to: out.appendingPathComponent("index.html"))
    try AtomicFile.write("mine", to: out.appendingPathComponent("notes.txt"))

    let staged = try StagedOutput.begin(target: out, replacing: ["authorities", "index.html"])
    try fm.createDirectory(at: staged.staging.appendingPathComponent("authorities"), withIntermediateDirectories: true)
    try AtomicFile.write("new A", to: staged.staging.appendingPathComponent("authorities/a.html"))
    try AtomicFile.write("new index", to: staged.staging.appendingPathComponent("index.html"))
    // Until the commit the earlier run is whole.
    #expect(text(out.appendingPathComponent("authorities/b.html")) == "old B")
    try staged.commit()
    #expect(try fm.contentsOfDirectory(atPath: out.appendingPathComponent("authorities").path) == ["a.html"])
    #expect(text(out.appendingPathComponent("authorities/a.html")) == "new A")
    #expect(text(out.appendingPathComponent("index.html")) == "new index")
    #expect(text(out.appendingPathComponent("notes.txt")) == "mine")
  }

  @Test func aFirstRunCreatesTheTarget() throws {
    let root = try scratch()
    defer { try? fm.removeItem(at: root) }
    let out = root.appendingPathComponent("new/out")
    let staged = try StagedOutput.begin(target: out)
    try AtomicFile.write("x", to: staged.staging.appendingPathComponent("values.csv"))
    try staged.commit()
    #expect(text(out.appendingPathComponent("values.csv")) == "x")
  }

  @Test func staleStagingFromADeadRunIsClearedAndAFailedRunLeavesNothing() throws {
    let root = try scratch()
    defer { try? fm.removeItem(at: root) }
    let out = root.appendingPathComponent("out")
    // A staging folder of a process that no longer exists (pid 2^22 + 1 is above Linux's pid_max default).
    let stale = root.appendingPathComponent(".out.staging-4194305-deadbeef")
    try fm.createDirectory(at: stale, withIntermediateDirectories: true)
    let staged = try StagedOutput.begin(target: out)
    #expect(!fm.fileExists(atPath: stale.path))
    staged.abandon()
    #expect(try fm.contentsOfDirectory(atPath: root.path).isEmpty)
  }

  @Test func aFileInPlaceOfTheFolderIsRefused() throws {
    let root = try scratch()
    defer { try? fm.removeItem(at: root) }
    let out = root.appendingPathComponent("out")
    try AtomicFile.write("not a folder", to: out)
    #expect(throws: StagedOutputError.self) { try StagedOutput.begin(target: out) }
    #expect(text(out) == "not a folder")
  }

  static let ownership = StagedOutput.Ownership(marker: ".test-output", markerText: "written by a run\n",
                                                tool: "peerlens packs") { _, names in
    names.contains("values.csv")
  }

  /// The packs' own test of an earlier run's folder: the marker, or two
  /// signs (values.csv beside the index or a packs folder), or a pack in
  /// authorities/; a user's own values.csv alone, or a regions/ folder of
  /// someone else's CSV files, is not one.
  @Test func whatPacksTakeForAnEarlierRun() throws {
    let root = try scratch()
    defer { try? fm.removeItem(at: root) }
    func folder(_ name: String, _ files: [String]) throws -> URL {
      let u = root.appendingPathComponent(name)
      for f in files {
        let file = u.appendingPathComponent(f)
        try fm.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try AtomicFile.write("x", to: file)
      }
      return u
    }
    let earlier = [["values.csv", "index.html"], ["values.csv", "authorities/E06000017.csv"], ["authorities/E06000017.HTML"],
                   [".peerlens-packs", "notes.txt"]]
    for (k, files) in earlier.enumerated() {
      #expect(throws: Never.self, "\(files)") { try StagedOutput.checkOwnership(target: try folder("e\(k)", files), PackWriter.ownership) }
    }
    let foreign = [["values.csv"], ["regions/mine.csv"], ["authorities/notes.txt", "values.csv.bak"]]
    for (k, files) in foreign.enumerated() {
      #expect(throws: StagedOutputError.self, "\(files)") { try StagedOutput.checkOwnership(target: try folder("f\(k)", files), PackWriter.ownership) }
    }
  }

  /// A folder holding files no run wrote is refused, untouched (`--out ""`
  /// swapped the current folder, a whole source tree, for a linked copy);
  /// a new, an empty, a marked or an older run's folder is taken, and the
  /// marker is written.
  @Test func aFolderNoRunWroteIsRefusedUntouched() throws {
    let root = try scratch()
    defer { try? fm.removeItem(at: root) }
    let foreign = root.appendingPathComponent("project")
    try fm.createDirectory(at: foreign.appendingPathComponent("Sources"), withIntermediateDirectories: true)
    try AtomicFile.write("mine", to: foreign.appendingPathComponent("README.md"))
    let before = try fm.attributesOfItem(atPath: foreign.path)[.systemFileNumber] as? Int
    #expect {
      try StagedOutput.begin(target: foreign, ownership: Self.ownership)
    } throws: { error in
      let text = (error as? StagedOutputError)?.errorDescription ?? ""
      return text.contains("already holds files that no earlier run of 'peerlens packs' wrote (README.md, Sources)")
    }
    #expect(try fm.attributesOfItem(atPath: foreign.path)[.systemFileNumber] as? Int == before)
    #expect(try fm.contentsOfDirectory(atPath: root.path) == ["project"])

    for (name, setUp) in [("new", { (_: URL) in }), ("empty", { try? self.fm.createDirectory(at: $0, withIntermediateDirectories: true) }),
                          ("older", { try? AtomicFile.write("a,b\n", to: $0.appendingPathComponent("values.csv")) }),
                          ("marked", { try? AtomicFile.write("x", to: $0.appendingPathComponent(".test-output")) })] {
      let out = root.appendingPathComponent(name)
      if name == "older" || name == "marked" { try fm.createDirectory(at: out, withIntermediateDirectories: true) }
      setUp(out)
      let staged = try StagedOutput.begin(target: out, ownership: Self.ownership)
      try staged.commit()
      #expect(text(out.appendingPathComponent(".test-output")) == "written by a run\n", "\(name)")
    }
  }

  /// Links in the folder stay links (a link to a folder became a copy of
  /// it), a target that is a link has the folder it names replaced and
  /// stays a link, and a user's file beside the packs of a sub-folder stays.
  @Test func linksStayLinksAndUserFilesStay() throws {
    let root = try scratch()
    defer { try? fm.removeItem(at: root) }
    let real = root.appendingPathComponent("real")
    try fm.createDirectory(at: real.appendingPathComponent("regions"), withIntermediateDirectories: true)
    try AtomicFile.write("a,b\n", to: real.appendingPathComponent("values.csv"))
    try AtomicFile.write("old pack", to: real.appendingPathComponent("regions/london.html"))
    try AtomicFile.write("my notes", to: real.appendingPathComponent("regions/notes.txt"))
    let elsewhere = root.appendingPathComponent("elsewhere")
    try fm.createDirectory(at: elsewhere, withIntermediateDirectories: true)
    try fm.createSymbolicLink(atPath: real.appendingPathComponent("shared").path, withDestinationPath: elsewhere.path)
    let link = root.appendingPathComponent("out")
    try fm.createSymbolicLink(atPath: link.path, withDestinationPath: real.path)

    let staged = try StagedOutput.begin(target: link, replacing: ["values.csv"],
                                        replacingWithin: { folder, name in folder == "regions" && name.hasSuffix(".html") },
                                        ownership: Self.ownership)
    try AtomicFile.write("new pack", to: staged.staging.appendingPathComponent("regions/london.html"))
    try staged.commit()
    #expect(try fm.destinationOfSymbolicLink(atPath: link.path) == real.path)
    #expect(try fm.destinationOfSymbolicLink(atPath: real.appendingPathComponent("shared").path) == elsewhere.path)
    #expect(text(real.appendingPathComponent("regions/london.html")) == "new pack")
    #expect(text(real.appendingPathComponent("regions/notes.txt")) == "my notes")
    #expect(!fm.fileExists(atPath: real.appendingPathComponent("values.csv").path))
  }
}
