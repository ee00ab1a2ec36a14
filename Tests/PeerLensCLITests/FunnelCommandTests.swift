import Foundation
import Testing
import PeerLensStatistics
import PeerLensCLI
import PeerLensAnalysis
import PeerLensData
import _PeerLensTestSupport

/// `peerlens funnel` prints scaled values as the numbers they are.
@Suite(.serialized) struct FunnelCommandTests {
  /// 7 of 100 is 7%: as doubles, 7 / 100 × 100 is 7.000000000000001 (and
  /// 29 / 100 × 100 is 28.999999999999996). Values, limits and the target
  /// print without that last-bit noise, in CSV and JSON, field names as before.
  @Test func scaledValuesPrintWithoutLastBitNoise() throws {
    let path = try writeTemporary("la_name,num,den\nA,7,100\nB,14,100\nC,29,100\nD,57,100\nE,3,50\n")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let base = ["funnel", "--data", path, "--numerator", "num", "--denominator", "den", "--multiplier", "100",
                "--target", "7"]
    let csv = try runCommand(base + ["--format", "csv"])
    for row in ["A,7,100,7,", "B,14,100,14,", "C,29,100,29,", "D,57,100,57,", "E,3,50,6,"] {
      #expect(csv.contains("\n" + row), "\(row) in\n\(csv)")
    }
    let json = try #require(try JSONSerialization.jsonObject(with: Data(runCommand(base).utf8)) as? [String: Any])
    #expect(json["target"] as? Double == 7, "\(json["target"] ?? "")")
    let units = try #require(json["units"] as? [[String: Any]])
    #expect(units.compactMap { $0["value"] as? Double } == [7, 14, 29, 57, 6], "\(units)")
    // No printed value, limit or target carries a run of noise digits.
    let table = try CSVReader.parse(csv, source: "funnel.csv")
    for column in ["value", "lower_95", "upper_95", "lower_998", "upper_998"] {
      for text in try table.text(column) {
        #expect(!text.contains("000000000") && !text.contains("999999999"), "\(column): \(text)")
      }
    }
  }

  /// Limits from a fitted distribution are described as what they are:
  /// the negative-binomial funnel's note said its limits were exact
  /// Poisson limits with z-scores on the √(O/E) scale, neither true.
  @Test func fittedDistributionLimitsAreDescribedAsSuch() throws {
    let path = try writeTemporary("la_name,num,den\nA,120,20000\nB,300,45000\nC,45,9000\nD,210,50000\nE,900,110000\n"
      + "F,40,12000\nG,250,30000\nH,600,100000\nI,8,2500\nJ,1100,150000\nK,70,18000\nL,150,40000\n")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let base = ["funnel", "--data", path, "--numerator", "num", "--denominator", "den", "--format", "json"]
    for (options, words) in [(["--type", "rate", "--multiplier", "10000", "--overdispersion", "negative-binomial"],
                              "exact negative-binomial quantiles"),
                             (["--overdispersion", "beta-binomial"], "exact beta-binomial quantiles")] {
      let json = try #require(try JSONSerialization.jsonObject(with: Data(runCommand(base + options).utf8)) as? [String: Any])
      let notes = try #require(json["notes"] as? [String])
      #expect(notes.count == 1 && notes[0].contains(words) && notes[0].contains("mid-p z-scores")
        && !notes[0].contains("exact Poisson"), "\(notes)")
    }
    // Without a fitted distribution the Poisson note stands.
    let plain = try #require(try JSONSerialization.jsonObject(with: Data(runCommand(base + ["--type", "rate"]).utf8)) as? [String: Any])
    #expect((plain["notes"] as? [String])?.contains { $0.contains("exact Poisson limits") } == true)
  }

  /// The levels asked for are printed as given.
  @Test func levelsPrintAsGiven() throws {
    let path = try writeTemporary("la_name,num,den\nA,7,100\nB,14,100\nC,29,100\n")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let json = try #require(try JSONSerialization.jsonObject(with: Data(runCommand(
      ["funnel", "--data", path, "--numerator", "num", "--denominator", "den", "--levels", "90,95,99.8"]).utf8))
      as? [String: Any])
    #expect(json["levels"] as? [Double] == [90, 95, 99.8], "\(json["levels"] ?? "")")
  }

  /// A level given twice wrote two columns of one name; 99.9999999 was
  /// labelled "_100". Refused, and labelled in full.
  @Test func levelsAreNamedInFullAndOnce() throws {
    let path = try writeTemporary("la_name,num,den\nA,7,100\nB,14,100\nC,29,100\n")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let answer = try #require(refusal(["funnel", "--data", path, "--numerator", "num", "--denominator", "den", "--levels", "50,50.0"]))
    #expect(answer.message.contains("--levels gives the level 50 twice"), "\(answer.message)")
    let csv = try runCommand(["funnel", "--data", path, "--numerator", "num", "--denominator", "den", "--levels", "99.9999999",
                              "--format", "csv"])
    let header = try #require(csv.split(separator: "\n").first)
    #expect(header.contains("upper_at_99.9999999") && !header.contains("_100"), "\(header)")
    #expect(FunnelPlot.levelLabel(0.998) == "99.8" && FunnelPlot.levelLabel(0.95) == "95")
  }
  /// Exact beta-binomial and negative-binomial limits count whole events: a
  /// denominator of 100.2 was walked as if it were a count, and limits like
  /// 4/100.2 came out. Refused with the cell; FTE-like fractions stay fine
  /// under the normal-based limits.
  @Test func exactDiscreteLimitsRefuseFractionalCounts() throws {
    let path = try writeTemporary("la_name,x,n\nA,10,100.2\nB,20,110\nC,5.5,90\nD,30,120\nE,12,95\n")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let base = ["funnel", "--data", path, "--numerator", "x", "--denominator", "n"]
    let beta = try #require(refusal(base + ["--overdispersion", "beta-binomial"]))
    #expect(beta.message.contains("line 4 (data row 3), column 'x'") && beta.message.contains("'5.5'")
      && beta.message.contains("whole number"), "\(beta.message)")
    // The denominator too, for the beta-binomial's trials.
    let trials = try writeTemporary("la_name,x,n\nA,10,100.2\nB,20,110\nC,5,90\n")
    defer { try? FileManager.default.removeItem(atPath: trials) }
    let n = try #require(refusal(["funnel", "--data", trials, "--numerator", "x", "--denominator", "n",
                                  "--overdispersion", "beta-binomial"]))
    #expect(n.message.contains("line 2 (data row 1), column 'n'") && n.message.contains("'100.2'"), "\(n.message)")
    let nb = try #require(refusal(base + ["--type", "rate", "--overdispersion", "negative-binomial"]))
    #expect(nb.message.contains("line 4 (data row 3), column 'x'") && nb.message.contains("'5.5'"), "\(nb.message)")
    for method in ["none", "multiplicative", "additive"] {
      let csv = try runCommand(base + ["--overdispersion", method, "--format", "csv"])
      #expect(csv.contains("\nA,10,100.2,"), "\(method): \(csv)")
    }
  }

  /// `--pupil-sd` reproduces the packs' Attainment 8 funnel: the same
  /// flags and limits from a CSV of the same points and pupils.
  @Test func pupilSDReproducesThePacksAttainmentFunnel() throws {
    let catalogue = try IndicatorCatalogue.load(from: URL(fileURLWithPath: ContextModelPaths.catalogue))
    let ind = try #require(catalogue.indicators.first { $0.id == "ks4_att8_cla" })
    let sd = try #require(ind.pupilSD)
    let values = try IndicatorCalculator(mirror: DataMirror(root: TestData.data)).values(ind)
    let period = try #require(values.map(\.period).max { $0.code < $1.code })
    let inPeriod = values.filter { $0.period == period }
    let england = try #require(inPeriod.first { $0.level == .national && $0.status == .ok }?.value)
    let f = try #require(IndicatorFunnel(values: inPeriod, indicator: ind, target: england))
    let csv = "la_name,points,pupils\n" + f.rows.map { "\($0.areaCode),\(CSVWriter.number($0.numerator!)),\(CSVWriter.number($0.denominator!))" }
      .joined(separator: "\n") + "\n"
    let path = try writeTemporary(csv)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let out = try runCommand(["funnel", "--data", path, "--numerator", "points", "--denominator", "pupils", "--type", "rate",
                              "--target", CSVWriter.number(england), "--overdispersion", "additive", "--tau2", "reml",
                              "--pupil-sd", CSVWriter.number(sd), "--format", "csv"])
    let table = try CSVReader.parse(out, source: "funnel.csv")
    let flags = try table.text("flag"), upper = try table.text("upper_998"), units = try table.text("unit")
    #expect(units == f.rows.map(\.areaCode))
    var differ = 0
    for k in f.rows.indices {
      if flags[k] != f.plot.units[k].flag.rawValue { differ += 1 }
      let u = f.limits(denominator: f.denominators[k]).u998
      #expect(abs((Double(upper[k]) ?? 0) - u) < 1e-6 * u, "\(units[k]): \(upper[k]) against \(u)")
    }
    #expect(differ == 0)
    // Without it, points are Poisson events: narrower limits.
    let poisson = try CSVReader.parse(try runCommand(["funnel", "--data", path, "--numerator", "points", "--denominator", "pupils",
                                                       "--type", "rate", "--target", CSVWriter.number(england),
                                                       "--overdispersion", "additive", "--tau2", "reml", "--format", "csv"]),
                                      source: "funnel.csv")
    let k = try #require(f.denominators.indices.min { f.denominators[$0] < f.denominators[$1] })
    #expect((Double(try poisson.text("upper_998")[k]) ?? 0) < (Double(upper[k]) ?? 0))
    // A spread on a proportion, or of no size, is refused with the option's name.
    for bad in [["--pupil-sd", "0", "--type", "rate"], ["--pupil-sd", "19"]] {
      let message: String
      do {
        message = try runCapturing(["funnel", "--data", path, "--numerator", "points", "--denominator", "pupils"] + bad).error
          .map { "\($0)" } ?? "no error"
      } catch { message = "\(error)" }
      #expect(message.contains("--pupil-sd") && message.contains(bad[1] == "0" ? "positive" : "--type rate"), "\(message)")
    }
  }
}
