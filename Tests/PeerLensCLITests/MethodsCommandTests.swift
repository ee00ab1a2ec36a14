import Foundation
import Testing
import PeerLensCLI
import PeerLensStatistics
import _PeerLensTestSupport

/// `funnel --tau2/--levels` (issue 17.1) and `model check` (17.5, 24.1).
@Suite(.serialized) struct MethodsCommandTests {
  static let csv: String = {
    var lines = ["la_name,x,n"]
    let n = [40, 80, 120, 200, 260, 320, 400, 500, 650, 800, 900, 1200, 1500, 2000, 2600, 3000]
    let p = [0.30, 0.18, 0.22, 0.27, 0.15, 0.24, 0.20, 0.31, 0.19, 0.23, 0.21, 0.26, 0.17, 0.22, 0.20, 0.24]
    for k in n.indices { lines.append("U\(k),\(Int((Double(n[k]) * p[k]).rounded())),\(n[k])") }
    return lines.joined(separator: "\n") + "\n"
  }()

  static func json(_ args: [String]) throws -> [String: Any] {
    let out = try runCommand(args)
    return try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
  }

  /// REML and Paule–Mandel τ² on the funnel's transformed scale equal the
  /// estimators applied by hand to asin √(x/n) with variance 1/(4n).
  @Test func tau2MethodsFollowTheEstimators() throws {
    let path = try writeTemporary(Self.csv)
    var y: [Double] = [], v: [Double] = []
    for line in Self.csv.split(separator: "\n").dropFirst() {
      let f = line.split(separator: ",")
      let x = Double(f[1])!, n = Double(f[2])!
      y.append(asin((x / n).squareRoot())); v.append(1 / (4 * n))
    }
    var seen: Set<Double> = []
    for method in BetweenUnitVariance.allCases where method != .dl {
      let j = try Self.json(["funnel", "--data", path, "--numerator", "x", "--denominator", "n",
                             "--overdispersion", "additive", "--tau2", method.rawValue])
      let t2 = try #require(j["tau_squared"] as? Double)
      #expect(abs(t2 - method.estimate(y: y, v: v)) < 1e-14, "\(method)")
      #expect(j["tau2_method"] as? String == method.rawValue)
      seen.insert(t2)
    }
    let dl = try Self.json(["funnel", "--data", path, "--numerator", "x", "--denominator", "n", "--overdispersion", "additive"])
    seen.insert(try #require(dl["tau_squared"] as? Double))
    #expect(dl["tau2_method"] as? String == "dl")
    // Limits that are not additive name no τ² estimator.
    for method in ["none", "multiplicative", "beta-binomial"] {
      let j = try Self.json(["funnel", "--data", path, "--numerator", "x", "--denominator", "n", "--overdispersion", method])
      #expect(j["tau2_method"] is NSNull, "\(method): \(j["tau2_method"] ?? "absent")")
    }
    #expect(seen.count == 3)
    #expect(throws: (any Error).self) {
      try runCommand(["funnel", "--data", path, "--numerator", "x", "--denominator", "n", "--tau2", "reml"])
    }
  }

  /// Flags are named by level and agree with the built-in 95%/99.8% flag.
  @Test func levelsNameTheirFlags() throws {
    let path = try writeTemporary(Self.csv)
    let j = try Self.json(["funnel", "--data", path, "--numerator", "x", "--denominator", "n", "--levels", "80,95,99.8"])
    let units = try #require(j["units"] as? [[String: Any]])
    var outside80 = 0
    for u in units {
      let flag = try #require(u["flag"] as? String)
      let f95 = try #require(u["flag_95"] as? String), f998 = try #require(u["flag_99.8"] as? String)
      let f80 = try #require(u["flag_80"] as? String)
      #expect(f998 == (flag.hasSuffix("99.8") ? flag : "within"))
      #expect((f95 != "within") == (flag != "within"))
      #expect(abs((u["lower_at_95"] as! Double) - (u["lower_95"] as! Double)) < 1e-12)
      if f95 != "within" { #expect(f80 != "within") }
      if f80 != "within" { outside80 += 1 }
      #expect(["within", "above_80", "below_80"].contains(f80))
    }
    #expect(outside80 > 0)
    #expect(throws: (any Error).self) {
      try runCommand(["funnel", "--data", path, "--numerator", "x", "--denominator", "n", "--levels", "95,100"])
    }
  }

  @Test func modelCheckReportsLeaveOneOutSkill() throws {
    let j = try #require(try JSONSerialization.jsonObject(with: Data(runCommand(
      ["model", "check", "--data", TestData.data.path, "--indicator", "cla_rate", "--format", "json"]).utf8)) as? [[String: Any]])
    #expect(j.count == 1)
    let m = try #require(j.first)
    let loo = try #require(m["loo_deviance_explained"] as? Double)
    let inSample = try #require(m["deviance_explained"] as? Double)
    #expect(loo >= 0.5 && loo <= 1 && inSample > 0.5)
    let cal = try #require(m["calibration"] as? [String: Any])
    #expect((cal["authorities"] as? Int ?? 0) > 140)
    #expect((m["calibration_by_size"] as? [Any])?.count == 3)
    // Issue 17.5: the funnel before context, leave-one-out coverage and
    // the most influential authorities, each a count out of the authorities.
    let before = try #require(m["before_context"] as? [String: Any])
    let leftOut = try #require(m["leave_one_out"] as? [String: Any])
    #expect((before["authorities"] as? Int ?? 0) > 140 && leftOut["authorities"] as? Int == cal["authorities"] as? Int)
    for k in [before, leftOut] { #expect((k["outside_99_8"] as? Int ?? -1) <= (k["outside_95"] as? Int ?? -1)) }
    let influence = try #require(m["influence"] as? [[String: Any]])
    #expect(influence.count == 3)
    let distances = influence.compactMap { $0["cooks_distance"] as? Double }
    #expect(distances.count == 3 && distances == distances.sorted(by: >) && distances[0] > 0)
    #expect(influence.allSatisfy { ($0["new_la_code"] as? String)?.hasPrefix("E") == true && $0["positions_changed_without_it"] is [Any] })
    #expect(throws: (any Error).self) { try runCommand(["model", "check", "--indicator", "no_such_indicator"]) }
  }

  /// Limits from a fitted distribution: the flag agrees with the printed
  /// limits, and the wrong data type is refused.
  @Test func distributionLimitsThroughTheCommand() throws {
    let path = try writeTemporary(Self.csv)
    for (method, type, key) in [("beta-binomial", "proportion", "rho"), ("negative-binomial", "rate", "theta")] {
      let j = try Self.json(["funnel", "--data", path, "--numerator", "x", "--denominator", "n", "--type", type,
                             "--overdispersion", method, "--multiplier", "100", "--levels", "90"])
      #expect((j[key] as? Double).map { $0 > 0 } == true, "\(method)")
      let units = try #require(j["units"] as? [[String: Any]])
      #expect(units.count == 16)
      for u in units {
        let v = u["value"] as! Double, flag = u["flag"] as! String
        let (l95, u95, l998, u998) = (u["lower_95"] as! Double, u["upper_95"] as! Double, u["lower_998"] as! Double, u["upper_998"] as! Double)
        #expect(l998 <= l95 && l95 <= u95 && u95 <= u998)
        let expected = v > u998 ? "above_99.8" : v < l998 ? "below_99.8" : v > u95 ? "above_95" : v < l95 ? "below_95" : "within"
        #expect(flag == expected, "\(method) \(u["unit"] ?? "")")
        #expect(["within", "above_90", "below_90"].contains(u["flag_90"] as! String))
      }
    }
    #expect(throws: (any Error).self) {
      try runCommand(["funnel", "--data", path, "--numerator", "x", "--denominator", "n", "--overdispersion", "negative-binomial"])
    }
  }
}
