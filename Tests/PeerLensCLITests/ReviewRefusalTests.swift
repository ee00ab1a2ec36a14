import ArgumentParser
import Foundation
import Testing
import PeerLensCLI
import PeerLensData
import _PeerLensTestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// A reviewer's list of input the commands took in silence or answered in
/// Foundation's words: each test uses the review's own input, and expects
/// a refusal that says where (file, line, column or option) and what was
/// expected, before any long computation.
@Suite(.serialized) struct ReviewRefusalTests {
  /// The message `peerlens` prints for what a command threw, while parsing
  /// or running.
  func message(_ arguments: [String]) throws -> String {
    try #require(refusal(arguments), "\(arguments) was not refused").message
  }

  // MARK: 1. funnel refuses a unit on two rows

  static let duplicated = "la_name,num,den\nA,10,100\nA,10,100\nC,5,80\nD,4,70\n"

  @Test(arguments: [[], ["--id", "la_name"]])
  func funnelRefusesADuplicatedUnit(extra: [String]) throws {
    let path = try writeTemporary(Self.duplicated)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let m = try message(["funnel", "--data", path, "--numerator", "num", "--denominator", "den", "--format", "csv"] + extra)
    #expect(m.contains(path) && m.contains("the id 'A' appears on 2 rows (lines 2, 3)"), "\(m)")
  }

  /// `--target` is in the units of the printed values: 2000 per 10,000 for
  /// a rate printed per 10,000 is the same funnel as the rate 0.2 per one
  /// was before (read as 2000 per one, every unit sat below limits of
  /// twenty million); a proportion's target outside 0–100% is refused.
  @Test func funnelTargetIsInThePrintedUnits() throws {
    let path = try writeTemporary("la_name,x,n\nA,1368,6402\nB,524,4067\nC,4840,18234\nD,900,5000\nE,2100,9000\n")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let base = ["funnel", "--data", path, "--numerator", "x", "--denominator", "n", "--format", "json"]
    let json = try #require(try JSONSerialization.jsonObject(with: Data(runCommand(base + ["--type", "rate", "--multiplier", "10000",
                                                                                             "--target", "2000"]).utf8)) as? [String: Any])
    #expect(json["target"] as? Double == 2000)
    let units = try #require(json["units"] as? [[String: Any]])
    for u in units {
      let lower = try #require(u["lower_998"] as? Double), upper = try #require(u["upper_998"] as? Double)
      #expect(lower < 2000 && upper > 2000 && upper < 3000, "\(u)")
    }
    let m = try message(base + ["--multiplier", "100", "--target", "150"])
    #expect(m.contains("--target 150") && m.contains("between 0 and 1") && m.contains("below 100"), "\(m)")
    // Limits from a fitted beta-binomial carry its over-dispersion.
    let bb = try #require(try JSONSerialization.jsonObject(with: Data(runCommand(base + ["--overdispersion", "beta-binomial"]).utf8))
      as? [String: Any])
    #expect((bb["rho"] as? Double ?? 0) > 0 && bb["adjusted"] as? Bool == true, "\(bb["rho"] ?? "")")
  }

  /// `spc --rebase` at a period the file does not have would re-base
  /// nothing: refused, with how the file writes its periods.
  /// `--rebase ",,"` named no period and drew one set of limits.
  @Test func spcRebaseNamingNoPeriodIsRefused() throws {
    let path = try writeTemporary("time_period,v\n2020,1\n2021,2\n2022,3\n")
    for value in [",,", "", " "] {
      let m = try message(["spc", "--data", path, "--value", "v", "--rebase", value])
      #expect(m.contains("--rebase takes comma-separated periods, none empty"), "\(value): \(m)")
    }
  }

  /// Groups are compared trimmed, as periods are: 'a ' and 'a' were two
  /// series of one unit.
  @Test func spcGroupsAreComparedTrimmed() throws {
    var text = "time_period,g,v\n"
    for (k, y) in (2010...2023).enumerated() { text += "\(y),\(k % 2 == 0 ? "a " : "a"),\(k % 3)\n" }
    let path = try writeTemporary(text)
    let out = try runCommand(["spc", "--data", path, "--value", "v", "--group", "g", "--format", "csv"])
    let groups = Set(out.split(separator: "\n").dropFirst().map { $0.split(separator: ",")[0] })
    #expect(groups == ["a"], "\(groups)")
  }

  /// '.' in a specification's formula said "no data was given here".
  @Test func aDotInASpecificationFormulaIsExplained() throws {
    let spec = try writeTemporary("indicator = \"cla_rate\"\nfamily = \"poisson\"\nformula = \"numerator ~ .\"\n", suffix: ".toml")
    let m = try message(["model", "fit", spec])
    #expect(m.contains("'.' (every other column) is not taken in a model specification") && !m.contains("no data was given"), "\(m)")
  }

  /// A model specification's link that names none (`link = ""`, "lgo")
  /// read as no link: the canonical one was fitted without a word.
  @Test func aSpecificationLinkThatNamesNoneIsRefused() throws {
    for link in ["", "lgo"] {
      let spec = try writeTemporary("indicator = \"cla_rate\"\nfamily = \"poisson\"\nformula = \"numerator ~ imd19_avg_score + offset(log(denominator))\"\nlink = \"\(link)\"\n", suffix: ".toml")
      let m = try message(["model", "fit", spec])
      #expect(m.contains("the key 'link' holds \"\(link)\", which names no link") && m.contains("\"log\""), "\(m)")
    }
  }

  @Test func spcRebaseAtAnUnknownPeriodIsRefused() throws {
    let path = try writeTemporary("time_period,value\n202021,10\n202122,12\n202223,11\n202324,13\n")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let base = ["spc", "--data", path, "--value", "value", "--format", "csv"]
    let m = try message(base + ["--rebase", "202122,2050"])
    #expect(m.contains("'2050'") && !m.contains("'202122'") && m.contains("202021, 202122"), "\(m)")
    #expect(try runCommand(base + ["--rebase", "202122"]).contains("202122"))
  }

  /// Without a name column units are named by row number, which cannot repeat.
  @Test func funnelWithoutANameColumnStillRuns() throws {
    let path = try writeTemporary("num,den\n10,100\n10,100\n5,80\n4,70\n")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let out = try runCommand(["funnel", "--data", path, "--numerator", "num", "--denominator", "den", "--format", "csv"])
    #expect(out.contains("\nrow 1,") && out.contains("\nrow 2,"), "\(out)")
  }

  // MARK: 2. fit names the file's line and the column, not the row among complete rows

  @Test func fitNamesTheLineAndColumnOfANegativeCount() throws {
    // Line 3 has a suppressed response and is dropped: -6 is on line 5, the 3rd complete row.
    let path = try writeTemporary("y,x\n1,2\nc,4\n5,7\n-6,8\n9,11\n")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let m = try message(["fit", "--data", path, "--formula", "y ~ x", "--family", "poisson"])
    #expect(m.contains(path) && m.contains("line 5") && m.contains("column 'y'") && m.contains("'-6'"), "\(m)")
    #expect(m.contains("zero or more"), "\(m)")
    #expect(!m.contains("row 3 has"), "\(m)")
  }

  @Test func fitNamesTheLineOfABinomialProportionOutOfRange() throws {
    let path = try writeTemporary("y,x\n0.5,2\nx,4\n0.2,7\n1.5,8\n0.9,11\n")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let m = try message(["fit", "--data", path, "--formula", "y ~ x", "--family", "binomial"])
    #expect(m.contains(path) && m.contains("line 5") && m.contains("column 'y'") && m.contains("'1.5'"), "\(m)")
  }

  @Test func fitNamesTheSideOfCbindThatIsNegative() throws {
    let path = try writeTemporary("s,f,x\n1,4,2\nc,3,4\n2,5,7\n3,-1,8\n4,2,11\n")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let m = try message(["fit", "--data", path, "--formula", "cbind(s, f) ~ x", "--family", "binomial"])
    #expect(m.contains("line 5") && m.contains("column 'f'") && m.contains("'-1'"), "\(m)")
  }

  @Test(arguments: ["gaussian", "poisson"])
  func fitNamesTheLineOfANegativeWeight(family: String) throws {
    let path = try writeTemporary("y,x,w\n1,2,1\n2,4,z\n5,7,1\n6,8,-2\n9,11,1\n")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let m = try message(["fit", "--data", path, "--formula", "y ~ x", "--weights", "w", "--family", family])
    #expect(m.contains(path) && m.contains("line 5") && m.contains("column 'w'") && m.contains("'-2'"), "\(m)")
  }

  // MARK: 3. file-system errors in words, before any computation

  @Test func aFolderGivenAsTheDataFileIsSaidToBeAFolder() throws {
    let folder = temporaryPath("-folder")
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let m = try message(["funnel", "--data", folder, "--numerator", "a", "--denominator", "b"])
    #expect(m.contains(folder) && m.contains("is a folder, not a file"), "\(m)")
    #expect(!m.contains("NSCocoaErrorDomain"), "\(m)")
  }

  @Test func aMissingDataFileIsSaidToBeMissing() throws {
    let path = temporaryPath(".csv")
    let m = try message(["fit", "--data", path, "--formula", "y ~ x"])
    #expect(m.contains(path) && m.contains("no such file"), "\(m)")
    #expect(!m.contains("NSCocoaErrorDomain"), "\(m)")
  }

  /// Runs `packs` expecting a refusal; the message and the seconds taken
  /// (a national run in a debug build takes far longer than the bound).
  func packsRefusal(out: String) throws -> (message: String, seconds: Double) {
    let started = Date()
    let m = try message(["packs", "--data", TestData.data.path, "--out", out, "--la", "Rutland", "--format", "json"])
    return (m, Date().timeIntervalSince(started))
  }

  @Test func packsRefusesAnOutputBelowAFileAtOnce() throws {
    let file = try writeTemporary("not a folder\n", suffix: ".txt")
    defer { try? FileManager.default.removeItem(atPath: file) }
    let (m, seconds) = try packsRefusal(out: file + "/sub")
    #expect(m.contains("'\(file)' is a file, not a folder") && m.contains("\(file)/sub"), "\(m)")
    #expect(!m.contains("NSCocoaErrorDomain"), "\(m)")
    #expect(seconds < 3, "took \(seconds) s")
  }

  /// `--out ""` is the current folder, and a run replaces its output
  /// folder as a whole: it swapped a source tree for a linked copy. An
  /// empty path, and any folder holding files no run wrote, are refused
  /// before the run, and the folder is left as it was.
  @Test func packsRefusesAFolderItDidNotWriteAtOnce() throws {
    let empty = try message(["packs", "--out", "", "--la", "Rutland"])
    #expect(empty.contains("--out was given an empty path"), "\(empty)")
    let folder = temporaryPath("-project")
    try FileManager.default.createDirectory(atPath: folder + "/Sources", withIntermediateDirectories: true)
    try "mine".write(toFile: folder + "/Package.swift", atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let (m, seconds) = try packsRefusal(out: folder)
    #expect(m.contains("already holds files that no earlier run of 'peerlens packs' wrote (Package.swift, Sources)"), "\(m)")
    #expect(seconds < 3, "took \(seconds) s")
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["Package.swift", "Sources"])
    let format = try message(["packs", "--format", "", "--la", "Rutland"])
    #expect(format.contains("--format needs at least one of html"), "\(format)")
  }

  @Test func packsRefusesAnOutputItCannotCreateAtOnce() throws {
    let (m, seconds) = try packsRefusal(out: "/proc/nope")
    #expect(m.contains("Cannot write to the output folder '/proc/nope': "), "\(m)")
    // Not the kernel's "no such file or directory" for a folder that exists.
    #expect(m.contains("'/proc' does not take new files"), "\(m)")
    #expect(!m.contains("NSCocoaErrorDomain"), "\(m)")
    #expect(seconds < 3, "took \(seconds) s")
  }

  /// A listening socket on a free port, closed by the caller.
  static func listeningSocket() throws -> (fd: Int32, port: Int) {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    try #require(fd >= 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
    try #require(bound == 0 && listen(fd, 1) == 0)
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
    return (fd, Int(UInt16(bigEndian: address.sin_port)))
  }

  @Test func serveNamesABusyPortAtOnce() throws {
    let (fd, port) = try Self.listeningSocket()
    defer { close(fd) }
    let started = Date()
    let m = try message(["serve", "--data", TestData.data.path, "--port", String(port)])
    #expect(m.contains("Port \(port) on 127.0.0.1 is already in use") && m.contains("--port"), "\(m)")
    #expect(!m.contains("errno"), "\(m)")
    #expect(Date().timeIntervalSince(started) < 3)
  }

  /// A host that does not resolve, or an address of another machine, is
  /// named at once in words (SwiftNIO's "UnknownHost" and "errno: 99"
  /// came after the whole national run).
  @Test(arguments: [("not a host!", "is neither an address nor a name"), ("192.0.2.1", "is not an address of this machine")])
  func serveNamesAHostItCannotListenOnAtOnce(host: String, words: String) throws {
    let started = Date()
    let m = try message(["serve", "--data", TestData.data.path, "--host", host, "--port", "0"])
    #expect(m.contains("--host") && m.contains(words) && m.contains("127.0.0.1"), "\(m)")
    #expect(!m.contains("errno") && !m.contains("SocketAddressError"), "\(m)")
    #expect(Date().timeIntervalSince(started) < 3)
  }

  // MARK: 4. bytes that are not UTF-8, and counts past a double's whole numbers

  @Test func invalidUTF8IsPlacedByLineAndByte() throws {
    var bytes = Array("la_name,num,den\nA,10,100\nB".utf8)
    let offset = bytes.count
    bytes += [0xE9] + Array(",5,80\nC,4,70\n".utf8)  // Latin-1 é
    let path = temporaryPath(".csv")
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let m = try message(["funnel", "--data", path, "--numerator", "num", "--denominator", "den"])
    #expect(m.contains(path) && m.contains("line 3") && m.contains("0xE9") && m.contains("byte offset \(offset)"), "\(m)")
  }

  @Test(arguments: ["exact-poisson", "byar", "wilson", "exact-binomial"])
  func intervalRefusesACountNoDoubleHoldsExactly(method: String) throws {
    let m = try message(["interval", "--method", method, "--count", "1e300", "--denominator", "1e301"])
    #expect(m.contains("--count") && m.contains("9,007,199,254,740,992"), "\(m)")
  }

  @Test(arguments: ["exact-poisson", "exact-binomial"])
  func theExactMethodsRefuseCountsPastTheirAccuracy(method: String) throws {
    let m = try message(["interval", "--method", method, "--count", "1000000001", "--denominator", "1e10"])
    #expect(m.contains("--method \(method)") && m.contains("100,000,000") && m.contains("byar"), "\(m)")
    // Byar's takes it.
    let out = try runCommand(["interval", "--method", "byar", "--count", "1000000001", "--denominator", "1e10"])
    #expect(out.split(separator: " ").count == 3, "\(out)")
  }

  @Test func intervalRefusesARateThatOverflows() throws {
    let m = try message(["interval", "--method", "exact-poisson", "--count", "5", "--denominator", "1e-320"])
    #expect(m.contains("--denominator") && m.contains("finite"), "\(m)")
    #expect(!m.split(whereSeparator: \.isWhitespace).contains("inf"), "\(m)")
  }

  /// Up to the largest count taken, Garwood's exact limits agree with
  /// Byar's (the Wilson–Hilferty form of the same gamma quantiles, whose
  /// error falls as 1/x) to 1e-7 of the half-width.
  @Test func exactPoissonAgreesWithByarUpToTheLargestCount() throws {
    func limits(_ method: String, _ x: Double) throws -> [Double] {
      let out = try runCommand(["interval", "--method", method, "--count", String(format: "%.0f", x), "--denominator", "1"])
      let parts = out.split(separator: " ").compactMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
      try #require(parts.count == 3, "\(out)")
      return parts
    }
    for x in [1e5, 1e6, 1e7, 1e8] {
      let exact = try limits("exact-poisson", x), byar = try limits("byar", x)
      let half = 1.959963984540054 * x.squareRoot()
      #expect(abs(exact[1] - byar[1]) < 1e-7 * half, "\(x): \(exact) \(byar)")
      #expect(abs(exact[2] - byar[2]) < 1e-7 * half, "\(x): \(exact) \(byar)")
    }
  }

  // MARK: 5. model select points at the bad name, and refuses a name twice

  @Test func modelSelectPointsAtTheNameThatIsNotAColumn() throws {
    let m = try message(["model", "select", "--data", TestData.data.path, "--indicator", "cla_rate",
                         "--candidates", "imd19_avg_score,foo"])
    // Named with the option, not as a "Formula error at character 17" of a formula no one wrote.
    #expect(m.contains("--candidates: no column named 'foo'") && !m.contains("Formula error"), "\(m)")
    let lines = m.split(separator: "\n", omittingEmptySubsequences: false)
    let list = try #require(lines.firstIndex { $0.hasSuffix("imd19_avg_score,foo") }, "\(m)")
    let caret = try #require(lines.indices.contains(list + 1) ? lines[list + 1] : nil)
    let listColumn = try #require(lines[list].range(of: "imd19_avg_score,foo")).lowerBound
    let start = lines[list].distance(from: lines[list].startIndex, to: listColumn)
    #expect(caret.firstIndex(of: "^").map { caret.distance(from: caret.startIndex, to: $0) } == start + 16, "\(m)")
  }

  @Test func modelSelectRefusesANameGivenTwice() throws {
    let m = try message(["model", "select", "--data", TestData.data.path, "--indicator", "cla_rate",
                         "--candidates", "imd19_avg_score, imd19_avg_score"])
    #expect(m.contains("--candidates") && m.contains("'imd19_avg_score' more than once"), "\(m)")
  }
}
