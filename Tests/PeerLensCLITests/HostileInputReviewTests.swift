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

  /// A year with no row at all spanned the moving range (10 to 20 across
  /// the missing 2007 counted as one step's variation); it is a gap, as a
  /// suppressed value is, and the notes say so.
  @Test func aPeriodWithNoRowIsAGap() throws {
    let years = Array(2000...2006) + Array(2008...2013)
    let values = [10, 11, 10, 11, 10, 11, 10, 20, 21, 20, 21, 20, 21]
    let lines = zip(years, values).map { "\($0),\($1)" }.shuffled()
    let path = try writeTemporary("time_period,v\n" + lines.joined(separator: "\n") + "\n")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let json = try runCommand(["spc", "--data", path, "--value", "v", "--format", "json", "--no-screen"])
    let root = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    let series = try #require((root["series"] as? [[String: Any]])?.first)
    // Twelve moving ranges of 1; across the gap there is none.
    #expect(series["mean_moving_range"] as? Double == 1)
    let notes = try #require(series["notes"] as? [String])
    #expect(notes.contains { $0.contains("between 2006 and 2008") }, "\(notes)")
    #expect(!notes.contains { $0.hasPrefix("Missing points (suppressed") }, "\(notes)")
    let points = try #require(series["points"] as? [[String: Any]])
    #expect(points.map { $0["period"] as? String } == years.map { String($0) })
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

  /// Shapes past 1e8 lost digits without a word: `cdf chisq --x 2e10 --df
  /// 2e10` printed 0.341 (the answer is 0.5000013), beta at a = b = 1e300
  /// NaN, and the negative binomial's quantile at --prob 1e-300 never
  /// returned. Each is refused, naming its flag and the limit.
  @Test(arguments: [
    (["cdf", "chisq", "--x", "2e10", "--df", "2e10"], "--df"),
    (["cdf", "gamma", "--x", "1e12", "--shape", "1e12"], "--shape"),
    (["cdf", "poisson", "--x", "1e9", "--lambda", "1e9"], "--lambda"),
    (["cdf", "beta", "--x", "0.5", "--a", "1e300", "--b", "1e300"], "--a"),
    (["cdf", "f", "--x", "1", "--df1", "1e15", "--df2", "10"], "--df1"),
    (["cdf", "binomial", "--x", "3", "--size", "1e300", "--prob", "0.5"], "--size"),
    (["quantile", "negative_binomial", "--x", "0.5", "--size", "1", "--prob", "1e-300"], "--prob"),
  ])
  func distributionShapesPastTheLimitAreRefused(arguments: [String], flag: String) throws {
    let answer = try #require(refusal(["distribution"] + arguments), "\(arguments)")
    #expect(answer.message.contains(flag + " ") && answer.message.contains("lose digits"), "\(answer.message)")
    // The approximation's error is named by the parameter the user gave
    // (Poisson has no "shape"), or by the shape the flag implies.
    if flag == "--lambda" { #expect(answer.message.contains("about 1/sqrt(lambda)"), "\(answer.message)") }
    if flag == "--shape" { #expect(answer.message.contains("about 1/sqrt(shape)"), "\(answer.message)") }
  }

  /// At the limit the answers still hold their digits: the gamma CDF at its
  /// mean against the expansion 1/2 + 1/(3 sqrt(2 pi s)) (next term
  /// O(1/s)), and the geometric median ceil(log 0.5 / log(1 - p)) - 1.
  @Test func distributionAtTheLimitKeepsItsDigits() throws {
    let s = 1e8
    let gamma = try #require(Double(runCommand(["distribution", "cdf", "gamma", "--x", "1e8", "--shape", "1e8"])
      .trimmingCharacters(in: .whitespacesAndNewlines)))
    #expect(abs(gamma - (0.5 + 1 / (3 * (2 * Double.pi * s).squareRoot()))) < 1e-9, "\(gamma)")
    let median = try runCommand(["distribution", "quantile", "negative_binomial", "--x", "0.5", "--size", "1", "--prob", "1e-8"])
    #expect(median.trimmingCharacters(in: .whitespacesAndNewlines) == "69314717.0")
  }

  /// A resample without the baseline level was refitted with another level
  /// as baseline and pooled: the intercept's interval ran 1 to 4 where
  /// level a's mean can only lie in [1, 2]. Such resamples are left out
  /// whole and counted.
  @Test func bootstrapLeavesOutResamplesThatLoseACoefficient() throws {
    let path = try writeTemporary("y,g\n1,a\n2,a\n3,b\n4,c\n")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let json = try runCommand(["fit", "--data", path, "--formula", "y ~ g", "--bootstrap", "200", "--format", "json"])
    let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    let boot = try #require(object["bootstrap"] as? [String: Any])
    let aliased = try #require(boot["aliased"] as? Int)
    #expect(aliased > 0, "\(boot)")
    let parameters = try #require(boot["parameters"] as? [[String: Any]])
    let intercept = try #require(parameters.first { $0["term"] as? String == "(Intercept)" })
    let low = try #require(intercept["conf_low"] as? Double), high = try #require(intercept["conf_high"] as? Double)
    #expect(low >= 1 - 1e-12 && high <= 2 + 1e-12, "\(intercept)")
    #expect(intercept["resamples_used"] as? Int == 200 - aliased - (boot["failed"] as? Int ?? 0), "\(boot)")
    let text = try runCommand(["fit", "--data", path, "--formula", "y ~ g", "--bootstrap", "200"])
    #expect(text.contains("resample(s) left out whole"), "\(text)")
  }

  /// Five units, four of them identical: k = 3 gave "Family 3 (0 units)"
  /// with k-means and a NaN silhouette with Ward. More families than
  /// distinct profiles are refused, or cut from a range with a warning.
  @Test func clustersBeyondTheDistinctProfilesAreRefused() throws {
    let same = try writeTemporary("id,a,b\nu1,1,2\nu2,1,2\nu3,1,2\nu4,1,2\nu5,5,6\n")
    defer { try? FileManager.default.removeItem(atPath: same) }
    for method in ["kmeans", "ward"] {
      let answer = try #require(refusal(["clusters", "--data", same, "--id", "id", "--variables", "a,b", "--k", "3", "--method", method]))
      #expect(answer.message.contains("only 2 distinct profiles"), "\(method): \(answer.message)")
    }
    let four = try writeTemporary("id,a,b\nu1,1,2\nu2,1,2\nu3,1,2\nu4,3,1\nu5,5,6\nu6,2,2\n")
    defer { try? FileManager.default.removeItem(atPath: four) }
    let (out, err) = try runCapturingErrors(["clusters", "--data", four, "--id", "id", "--variables", "a,b", "--k-range", "2..5"])
    #expect(err.contains("clamped to 2..4") && err.contains("only 4 distinct profiles"), "\(err)")
    #expect(out.contains("Mean silhouette width by k: 2:") && !out.contains("5:") && !out.contains("(0 units)"), "\(out)")
  }

  /// `--variables ""` was answered as a problem with --weights, never given.
  @Test func emptyVariablesAreNamed() throws {
    let data = try writeTemporary(Self.units)
    defer { try? FileManager.default.removeItem(atPath: data) }
    let answer = try #require(refusal(["clusters", "--data", data, "--variables", "", "--k", "2"]))
    #expect(answer.message.contains("--variables ''") && !answer.message.contains("--weights"), "\(answer.message)")
  }

  /// Counts all zero: the negative binomial printed θ = 1, converged, no
  /// warning, where θ cannot be estimated.
  @Test func negativeBinomialOfAllZeroCountsIsRefused() throws {
    let path = try writeTemporary("y,x\n0,1\n0,2\n0,3\n0,4\n")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let answer = try #require(refusal(["fit", "--data", path, "--formula", "y ~ x", "--family", "negative-binomial"]))
    #expect(answer.message.contains("θ cannot be estimated"), "\(answer.message)")
  }

  /// Poisson and quasi-Poisson fits of all-zero counts printed standard
  /// errors of 2e6 (and, for quasi-Poisson, p = 1e-5 ***) with no word:
  /// the estimates run to −∞ and what is printed is where fitting stopped.
  @Test func aResponseWithNoVariationSaysTheEstimatesAreNotEstimates() throws {
    let zeros = try writeTemporary("y,x,n\n0,1,10\n0,2,20\n0,3,30\n0,4,40\n0,5,50\n0,6,60\n")
    let ones = try writeTemporary("y,x\n1,1\n1,2\n1,3\n1,4\n")
    let some = try writeTemporary("y,x,n\n0,1,10\n2,2,20\n1,3,30\n4,4,40\n3,5,50\n6,6,60\n")
    defer { for p in [zeros, ones, some] { try? FileManager.default.removeItem(atPath: p) } }
    for family in ["poisson", "quasipoisson"] {
      let out = try runCommand(["fit", "--data", zeros, "--formula", "y ~ x + offset(log(n))", "--family", family])
      #expect(out.contains("every count is 0") && out.contains("not estimates"), "\(family): \(out)")
    }
    let json = try runCommand(["fit", "--data", ones, "--formula", "y ~ x", "--family", "binomial", "--format", "json"])
    #expect(json.contains("every proportion is 1"), "\(json)")
    let fine = try runCommand(["fit", "--data", some, "--formula", "y ~ x + offset(log(n))", "--family", "poisson"])
    #expect(!fine.contains("no variation to model"), "\(fine)")
  }

  /// A constant response: R² 0.5, F 2 and p 0.29 from rounding noise, with
  /// no word. The summary now says what R's summary.lm warns.
  @Test func constantResponseIsAnEssentiallyPerfectFit() throws {
    let path = try writeTemporary("y,x\n5,1\n5,2\n5,3\n5,4\n")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let text = try runCommand(["fit", "--data", path, "--formula", "y ~ x"])
    #expect(text.contains("Essentially perfect fit: the residuals are rounding noise"), "\(text)")
    let json = try runCommand(["fit", "--data", path, "--formula", "y ~ x", "--format", "json"])
    #expect(json.contains("Essentially perfect fit"), "\(json)")
    // A fit with real residuals has no such note.
    let noisy = try writeTemporary("y,x\n5,1\n6,2\n5,3\n7,4\n")
    defer { try? FileManager.default.removeItem(atPath: noisy) }
    #expect(!(try runCommand(["fit", "--data", noisy, "--formula", "y ~ x"])).contains("Essentially perfect"))
  }

  /// With several specifications in a --models folder, an error in one was
  /// printed without its file ("Formula error at character 26 …").
  @Test func modelCheckNamesTheSpecificationAtFault() throws {
    let folder = temporaryPath("-models")
    let context = URL(fileURLWithPath: folder).appendingPathComponent("context")
    try FileManager.default.createDirectory(at: context, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let good = try String(contentsOfFile: ContextModelPaths.root.appendingPathComponent("Models/context/cla_rate.toml").path, encoding: .utf8)
    try good.write(to: context.appendingPathComponent("cla_rate.toml"), atomically: true, encoding: .utf8)
    let bad = "indicator = \"cla_rate\"\nfamily = \"negative-binomial\"\n"
      + "formula = \"numerator ~ no_such_variable + offset(log(denominator))\"\n"
    try bad.write(to: context.appendingPathComponent("a_variant.toml"), atomically: true, encoding: .utf8)
    let answer = try #require(refusal(["model", "check", "--models", folder, "--catalogue", ContextModelPaths.catalogue]))
    #expect(answer.message.contains("context/a_variant.toml: ") && answer.message.contains("no_such_variable"), "\(answer.message)")
  }

  /// `spc` over a series of ±1e308 said it had limits and printed them
  /// blank: such values are refused, naming the cell.
  @Test func spcRefusesValuesPastDoubleRangeLimits() throws {
    let rows = (0..<14).map { "A,\(2000 + $0),\($0 == 3 ? "-1e308" : "5")" }.joined(separator: "\n")
    let path = try writeTemporary("group,time_period,v\n" + rows + "\n")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let answer = try #require(refusal(["spc", "--data", path, "--value", "v", "--group", "group"]))
    #expect(answer.message.contains("line 5 (data row 4), column 'v'") && answer.message.contains("'-1e308'")
      && answer.message.contains("between -1e300 and 1e300"), "\(answer.message)")
  }

  /// A column too large for double precision was named with its value but
  /// no place in the file: the file, line and data row of its largest value
  /// now lead the message.
  @Test func fitNamesTheLineOfAColumnPastDoubleRange() throws {
    let path = try writeTemporary("y,x\n1,2\n2,1e200\n3,4\n4,5\n5,7\n")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let answer = try #require(refusal(["fit", "--data", path, "--formula", "y ~ x"]))
    #expect(answer.message.contains(", line 3 (data row 2): The column 'x' holds the value 1e+200")
      && answer.message.contains("I(x / 1e200)"), "\(answer.message)")
  }

  /// A rate target far past the data (1e308) blamed unit 1's denominator;
  /// `--target nan` printed no value; `--levels 1e-300` wrote columns named
  /// "_0". Each is refused in its own words.
  @Test func funnelTargetsAndLevelsPastReasonAreNamed() throws {
    let path = try writeTemporary("la_name,num,den\nA,5,10\nB,0,0\nC,3,30\nD,4,40\n")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let base = ["funnel", "--data", path, "--numerator", "num", "--denominator", "den"]
    let huge = try #require(refusal(base + ["--type", "rate", "--target", "1e308"]))
    #expect(huge.message.contains("--target 1e+308: unit 'A' would have an expected count of inf"), "\(huge.message)")
    let nan = try #require(refusal(base + ["--target", "nan"]))
    #expect(nan.message.contains("--target nan: expected"), "\(nan.message)")
    let tiny = try #require(refusal(base + ["--levels", "1e-300"]))
    #expect(tiny.message.contains("--levels '1e-300': too close to 0"), "\(tiny.message)")
    let top = try #require(refusal(base + ["--levels", "99.999999999999"]))
    #expect(top.message.contains("too close to 100"), "\(top.message)")
  }

  /// A negative count under the negative binomial was refused in the
  /// Poisson family's name (the fit that starts θ's search).
  @Test func aNegativeBinomialFitNamesItsOwnFamily() throws {
    let path = try writeTemporary("n,x\n3,1\n-5,2\n4,3\n6,4\n2,5\n")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let answer = try #require(refusal(["fit", "--data", path, "--formula", "n ~ x", "--family", "negative-binomial"]))
    #expect(answer.message.contains("the negative binomial family models counts") && !answer.message.contains("poisson"),
            "\(answer.message)")
  }

  /// An empty path named the working folder ("is a folder, not a file");
  /// /dev/null (and a pipe, `--data <(…)`) was "permission denied".
  @Test func emptyPathsAreRefusedAndDevicesRead() throws {
    let empty = try #require(refusal(["funnel", "--data", "", "--numerator", "a", "--denominator", "b"]))
    #expect(empty.message.contains("--data is empty: give the path of a CSV file"), "\(empty.message)")
    let spec = try #require(refusal(["model", "fit", ""]))
    #expect(spec.message.contains("The model specification is empty"), "\(spec.message)")
    let device = try #require(refusal(["fit", "--data", "/dev/null", "--formula", "y ~ x"]))
    #expect(device.message.contains("/dev/null: the file is empty (no header row)"), "\(device.message)")
  }

  /// The exact binomial needs whole trials (3 of 10.5 had an interval), and
  /// `--count -0` printed its value as -0.0.
  @Test func intervalTrialsAreWholeAndMinusZeroIsZero() throws {
    let answer = try #require(refusal(["interval", "--method", "exact-binomial", "--count", "3", "--denominator", "10.5"]))
    #expect(answer.message.contains("needs a whole number of trials") && answer.message.contains("use wilson"), "\(answer.message)")
    for method in ["wilson", "exact-binomial", "exact-poisson", "byar"] {
      let out = try runCommand(["interval", "--method", method, "--count", "-0", "--denominator", "10"])
      #expect(!out.contains("-0"), "\(method): \(out)")
    }
  }

  /// `--rebase` took only the file's own code: 2012/13 or 2013 for a file
  /// of 201213-style periods was "no such period", where --year reads both.
  /// Every form re-bases at the same point; a period the file lacks is
  /// still refused.
  @Test func spcRebaseReadsAPeriodWrittenAnotherWay() throws {
    let rows = (0..<14).map { i in String(format: "%d%02d,%d", 2005 + i, (6 + i) % 100, 10 + i % 3) }
    let path = try writeTemporary("time_period,v\n" + rows.joined(separator: "\n") + "\n")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let base = ["spc", "--data", path, "--value", "v", "--format", "csv"]
    let own = try runCommand(base + ["--rebase", "201213"])
    #expect(own.contains("all,201213,11,ok,11,"), "\(own)")
    for form in ["2012/13", "2013"] {
      #expect(try runCommand(base + ["--rebase", form]) == own, "\(form)")
    }
    let missing = try #require(refusal(base + ["--rebase", "2099"]))
    #expect(missing.message.contains("'2099': no such period"), "\(missing.message)")
  }

  /// A repeated period in one series of `--group` named neither the series
  /// nor the likely cause (a DfE file's national and regional rows, whose
  /// la_name is empty).
  @Test func spcNamesTheSeriesWithARepeatedPeriod() throws {
    let path = try writeTemporary("time_period,geographic_level,la_name,v\n2025,National,,5\n2025,Regional,,6\n2025,Local authority,Kent,7\n")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let answer = try #require(refusal(["spc", "--data", path, "--value", "v", "--group", "la_name"]))
    #expect(answer.message.contains("The series '' (column 'la_name')") && answer.message.contains("add --level 'Local authority'"),
            "\(answer.message)")
  }

  /// A file `data check` cannot read at all (a column repeated in its
  /// header) vanished from the summary table, and its message had no
  /// "error:" in front as the others have.
  @Test func dataCheckKeepsAnUnreadFileInItsTable() throws {
    let name = "dfe/cla_number_and_rate_per_10k_children.csv"
    let text = try String(contentsOf: TestData.data.appendingPathComponent(name), encoding: .utf8)
    let edited = text.replacingOccurrences(of: "children_count,rate_per_10000", with: "children_count,children_count")
    #expect(edited != text)
    let m = try TemporaryMirror(replacing: [name: edited])
    defer { m.remove() }
    let (out, error) = try runCapturing(["data", "check", "--data", m.root.path])
    #expect(error != nil)
    let row = try #require(out.split(separator: "\n").first { $0.hasPrefix("cla_number_and_rate_per_10k_children.csv ") }, "\(out.prefix(3000))")
    #expect(row.contains("not read") && row.hasSuffix(" 1"), "\(row)")
    #expect(out.contains("error: cla_number_and_rate_per_10k_children.csv: the column 'children_count' appears more than once"), "\(out.suffix(2000))")
  }
}
