import Foundation
import Testing
import PeerLensCLI
import PeerLensData
import _PeerLensTestSupport

/// Inputs a hostile review found answered with an empty success, a
/// misleading message or a silently different number; each is now refused
/// with what was wrong, or computed as the file means.
@Suite(.serialized) struct HostileInputReviewTests {
  /// A 25-year series that jumps at 2012, for re-basing.
  static func stepSeries(padded: Bool) -> String {
    var csv = "time_period,v\n"
    for y in 2000...2024 {
      let v = y % 7 + (y > 2012 ? 30 : 0)
      csv += (padded && y == 2012 ? " \(y)" : "\(y)") + ",\(v)\n"
    }
    return csv
  }

  /// `--rebase 2012` on a cell written ' 2012' re-bases there, as on
  /// '2012': the check that the period exists trimmed the cell, and the
  /// re-basing did not, so the limits were silently those of one segment.
  @Test func rebaseMatchesAPaddedPeriodCell() throws {
    var outputs: [String] = []
    for padded in [false, true] {
      let path = try writeTemporary(Self.stepSeries(padded: padded))
      defer { try? FileManager.default.removeItem(atPath: path) }
      let csv = try runCommand(["spc", "--data", path, "--value", "v", "--rebase", "2012", "--format", "csv"])
      let table = try CSVReader.parse(csv, source: "spc.csv")
      outputs.append(try table.text("mean").joined(separator: ","))
    }
    #expect(outputs[0] == outputs[1])
    #expect(Set(outputs[1].split(separator: ",")).count == 2, "two segments, two means: \(outputs[1])")
  }

  /// A `--level` no row has (a capital missed) printed an empty chart
  /// with success; it is refused with the levels the file has.
  @Test func levelNoRowHasIsRefused() throws {
    let path = try writeTemporary("geographic_level,time_period,v\nLocal authority,2020,1\nLocal authority,2021,2\nNational,2020,3\n")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let answer = try #require(refusal(["spc", "--data", path, "--value", "v", "--level", "local authority"]))
    #expect(answer.message.contains("--level 'local authority'"), "\(answer.message)")
    #expect(answer.message.contains("'Local authority'") && answer.message.contains("'National'"), "\(answer.message)")
    // The level as written still works.
    let csv = try runCommand(["spc", "--data", path, "--value", "v", "--level", "Local authority", "--format", "csv"])
    #expect(csv.split(separator: "\n").count == 3, "\(csv)")
  }

  /// A header with no rows printed an empty chart with success.
  @Test func spcHeaderOnlyIsRefused() throws {
    let path = try writeTemporary("time_period,v\n")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let answer = try #require(refusal(["spc", "--data", path, "--value", "v"]))
    #expect(answer.message.contains("no rows of data"), "\(answer.message)")
  }

  /// Rates with no events at all: the overall rate is 0 and no unit has an
  /// expected count. The message said "Unit 1 has a zero, negative or
  /// missing denominator" of a unit whose denominator was 10.
  @Test func rateFunnelWithNoEventsSaysSo() throws {
    let path = try writeTemporary("la_name,x,n\nA,0,10\nB,0,20\nC,0,30\n")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let answer = try #require(refusal(["funnel", "--data", path, "--numerator", "x", "--denominator", "n", "--type", "rate"]))
    #expect(answer.message.contains("every used row's 'x' is 0"), "\(answer.message)")
    #expect(!answer.message.contains("denominator"), "\(answer.message)")
  }

  /// A folder named as the store: SQLite answered "disk I/O error".
  @Test func storeThatIsAFolderIsNamedSo() throws {
    let folder = temporaryPath("-store")
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let answer = try #require(refusal(["changes", "--store", folder]))
    #expect(answer.message.contains("is a folder, not a store file"), "\(answer.message)")
    #expect(!answer.message.contains("I/O"), "\(answer.message)")
  }

  /// A folder given to `data import` was answered "no such file".
  @Test func importOfAFolderIsNamedSo() throws {
    let folder = temporaryPath("-release")
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let home = temporaryPath("-home")
    defer { try? FileManager.default.removeItem(atPath: home) }
    let answer = try #require(refusal(["data", "import", folder, "--data-home", home]))
    #expect(answer.message.contains("is a folder, not a file"), "\(answer.message)")
    #expect(!answer.message.contains("no such file"), "\(answer.message)")
  }

  /// `neighbours compare --official FILE` with a number that names no
  /// authority (999) compared a shorter list without a word; it now warns
  /// as `packs` does, naming the line and column.
  @Test func compareWarnsOfANumberThatNamesNoAuthority() throws {
    var header = "old_la_code,la_name,region_ind,region_name"
    for k in 1...10 { header += ",SN_\(k),SN_\(k)P" }
    let neighbours = ["999", "821", "313", "333", "336", "307", "304", "312", "874", "203"]
    let row = "301,Barking and Dagenham,3,London," + neighbours.map { "\($0),Close" }.joined(separator: ",")
    let path = try writeTemporary(header + "\n" + row + "\n")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let (_, err) = try runCapturingErrors(["neighbours", "compare", "--official", path])
    #expect(err.contains("line 2, SN_1: '999' is no authority's number"), "\(err)")
  }

  /// A Poisson fit of an all-zero response: the null deviance is 0 and
  /// "Deviance explained" printed -Inf.
  @Test func devianceExplainedOfAConstantResponseIsNA() throws {
    let path = try writeTemporary("y,x\n0,1\n0,2\n0,3\n0,4\n")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let text = try runCommand(["fit", "--data", path, "--formula", "y ~ x", "--family", "poisson"])
    #expect(!text.contains("Inf"), "\(text)")
    #expect(text.contains("Deviance explained (1 - D/D0): NA"), "\(text)")
  }

  /// A column of nothing but DfE symbols was read as categories: 'c' and
  /// 'x' became two levels of a factor and the fit printed a coefficient
  /// `xx` for suppressed values. It is refused, naming the column.
  @Test func columnOfOnlySymbolsIsNotAFactor() throws {
    let path = try writeTemporary("y,x\n1,c\n2,c\n3,\n4,x\n")
    defer { try? FileManager.default.removeItem(atPath: path) }
    for formula in ["y ~ x", "x ~ y"] {
      let answer = try #require(refusal(["fit", "--data", path, "--formula", formula]), "\(formula)")
      #expect(answer.message.contains("column 'x': no cell holds a number"), "\(answer.message)")
      #expect(answer.message.contains("'c', 'x'"), "\(answer.message)")
    }
    // Quoted, the same letters are labels, as R reads them.
    let labels = try writeTemporary("y,g\n1,\"c\"\n2,\"c\"\n3,\"x\"\n4,\"x\"\n")
    defer { try? FileManager.default.removeItem(atPath: labels) }
    #expect(try runCommand(["fit", "--data", labels, "--formula", "y ~ g"]).contains("gx"))
  }

  /// A header alone answered "'y' is a categorical column".
  @Test func fitOfAHeaderOnlyIsRefused() throws {
    let path = try writeTemporary("y,x\n")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let answer = try #require(refusal(["fit", "--data", path, "--formula", "y ~ x"]))
    #expect(answer.message.contains("no rows of data"), "\(answer.message)")
  }

  static let units = "new_la_code,a,b\nE1,1,2\nE2,2,3\nE3,4,1\nE4,7,5\nE5,3,9\n"

  /// Weights of 0 everywhere gave every pair distance 0, "Extremely close".
  @Test func neighbourWeightsAllZeroAreRefused() throws {
    let data = try writeTemporary(Self.units)
    defer { try? FileManager.default.removeItem(atPath: data) }
    let answer = try #require(refusal(["neighbours", "--data", data, "--variables", "a,b", "--k", "2", "--weights", "a=0,b=0"]))
    #expect(answer.message.contains("at least one weight above 0"), "\(answer.message)")
  }

  /// A specification file's weights are held to what `--weights` is: a
  /// negative one gave empty distances and "Not close" for every pair.
  @Test(arguments: [("a = -1.0\nb = 1.0\n", "the weight of 'a' is -1.0"), ("a = 0.0\nb = 0.0\n", "every weight is 0")])
  func neighbourSpecWeightsAreChecked(weights: String, said: String) throws {
    let data = try writeTemporary(Self.units)
    defer { try? FileManager.default.removeItem(atPath: data) }
    let spec = try writeTemporary("metric = \"euclidean\"\nk = 2\n[weights]\n" + weights, suffix: ".toml")
    defer { try? FileManager.default.removeItem(atPath: spec) }
    let answer = try #require(refusal(["neighbours", "--data", data, "--spec", spec]))
    #expect(answer.message.contains(said), "\(answer.message)")
  }
}
