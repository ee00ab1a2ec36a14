import Foundation
import Testing
import PeerLensCLI
import _PeerLensTestSupport

/// `peerlens neighbours find` refusals that point into what was typed.
@Suite(.serialized) struct NeighboursCommandTests {
  /// The caret sits under the unknown name in the list the message shows,
  /// wherever the name is in it (it was always under the first name).
  @Test(arguments: ["x1,x2,zz_unknown", "x1,aa_unknown,x2", "x1,x2,x1b"])
  func unknownVariableCaretSitsUnderTheName(variables: String) throws {
    let unknown = try #require(variables.split(separator: ",").map(String.init).first { !["x1", "x2"].contains($0) })
    let r = try #require(refusal(["neighbours", "find", "--data", try RefusalTests.units(), "--id", "id",
                                  "--variables", variables]))
    #expect(r.message.contains("no column named '\(unknown)'"), "\(r.message)")
    let lines = r.message.components(separatedBy: "\n")
    let caretLine = try #require(lines.firstIndex { $0.trimmingCharacters(in: .whitespaces) == "^" }, "\(r.message)")
    try #require(caretLine > 0)
    let shown = Array(lines[caretLine - 1]), caret = Array(lines[caretLine])
    let column = try #require(caret.firstIndex(of: "^"))
    // The shown list is the names joined by commas: the caret starts the unknown name.
    let names = String(shown).trimmingCharacters(in: .whitespaces).split(separator: ",").map(String.init)
    #expect(names.contains(unknown), "\(String(shown))")
    let start = String(shown[column...]), before = column > 0 ? shown[column - 1] : ","
    #expect(start.hasPrefix(unknown) && (before == "," || before == " "), "\n\(String(shown))\n\(String(caret))")
  }

  /// Units whose logged variable is 0 or below, in a deterministic table:
  /// `c` is `a + b` plus a small, fixed wobble (`wobble`), so the
  /// covariance of a, b and c is as near singular as asked.
  static func units(wobble: Double) throws -> String {
    var text = "id,a,b,c,pop\n"
    for i in 0..<30 {
      let a = Double((i * 7) % 30) / 10, b = Double((i * 11) % 30) / 10
      let c = a + b + wobble * Double((i * 13) % 7 - 3)
      text += "U\(i),\(a),\(b),\(c),\(i == 4 || i == 9 ? 0 : 100 + i)\n"
    }
    return try writeTemporary(text)
  }

  /// A neighbour specification's `k = 0` is refused as `--k 0` is (it
  /// printed a header and no neighbours), and whole-number weights are
  /// read (`a = 1` was refused as "not the kind of value expected").
  @Test func specificationKAndWholeWeights() throws {
    let data = try Self.units(wobble: 0.1)
    let zero = try writeTemporary("k = 0\n[weights]\na = 1.0\n", suffix: ".toml")
    let r = try #require(refusal(["neighbours", "find", "--data", data, "--id", "id", "--spec", zero]))
    #expect(r.message.contains("k is the number of neighbours per unit, at least 1; found 0"), "\(r.message)")

    let whole = try writeTemporary("k = 2\n[weights]\na = 1\nb = 2\n", suffix: ".toml")
    let out = try runCommand(["neighbours", "find", "--data", data, "--id", "id", "--spec", whole, "--format", "json"])
    let json = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
    #expect(json["variables"] as? [String] == ["a", "b"])
    #expect((json["units"] as? [Any])?.count == 30)
  }

  /// A logged variable of 0 or below leaves the unit out with a note that
  /// says why (it was listed as a missing value), in find, compare's
  /// model and clusters alike.
  @Test func unitsLeftOutForALogOfZeroAreNamed() throws {
    let data = try Self.units(wobble: 0.1)
    let spec = try writeTemporary("k = 3\n[weights]\na = 1\npop = 1\n[transforms]\npop = \"log\"\n", suffix: ".toml")
    for command in [["neighbours", "find"], ["clusters"]] {
      let (out, err) = try runCapturingErrors(command + ["--data", data, "--id", "id", "--spec", spec, "--format", "csv"])
      #expect(err.contains("'pop' is taken as a logarithm ([transforms]), and 2 units have a value of 0 or below, which has none: left out (U4, U9)."), "\(err)")
      #expect(!err.contains("missing variables"), "\(err)")
      let ids = Set(out.split(separator: "\n").dropFirst().map { $0.split(separator: ",")[0] })
      #expect(ids.count == 28 && !ids.contains("U4") && !ids.contains("U9"))
    }
  }

  /// Mahalanobis distance on a nearly singular covariance comes with a
  /// note naming the variables; on an exactly singular one it is refused
  /// naming them; a well-conditioned one says nothing.
  @Test func nearlySingularCovarianceIsSaid() throws {
    let arguments = ["neighbours", "find", "--id", "id", "--variables", "a,b,c", "--metric", "mahalanobis", "--k", "3"]
    let (_, near) = try runCapturingErrors(arguments + ["--data", try Self.units(wobble: 1e-4)])
    #expect(near.contains("The variables' covariance is nearly singular (condition number"), "\(near)")
    #expect(near.contains("c, a and b are nearly a combination of one another") || near.contains("c, b and a are nearly"), "\(near)")
    let (_, fine) = try runCapturingErrors(arguments + ["--data", try Self.units(wobble: 0.5)])
    #expect(!fine.contains("nearly singular"), "\(fine)")
    let r = try #require(refusal(arguments + ["--data", try Self.units(wobble: 0)]))
    #expect(r.message.contains("covariance to be invertible, and it is singular"), "\(r.message)")
    #expect(r.message.contains("Leave one of them out, or use --metric euclidean."))
  }

  /// A specification's mistakes are named as the specification's: an
  /// unknown variable under [weights] was "Formula error at character 38"
  /// and a text column blamed la_context.csv alone; a transform of a
  /// variable the distance does not use did nothing; a NaN weight was
  /// called negative; a variable typed twice in --variables was merged.
  @Test func specificationMistakesNameTheSpecification() throws {
    let data = try Self.units(wobble: 0.1)
    let unknown = try writeTemporary("k = 3\n[weights]\na = 1\nnope = 1\n", suffix: ".toml")
    let name = URL(fileURLWithPath: unknown).lastPathComponent
    let r1 = try #require(refusal(["neighbours", "find", "--data", data, "--id", "id", "--spec", unknown]))
    #expect(r1.message.contains("\(name), [weights]: no column named 'nope'") && !r1.message.contains("Formula error"), "\(r1.message)")
    let text = try writeTemporary("k = 3\n[weights]\na = 1\nid = 1\n", suffix: ".toml")
    let r2 = try #require(refusal(["neighbours", "find", "--data", data, "--id", "id", "--spec", text]))
    #expect(r2.message.contains("[weights]: 'id' is not a column of numbers"), "\(r2.message)")
    let stray = try writeTemporary("k = 3\n[weights]\na = 1\n[transforms]\nb = \"log\"\n", suffix: ".toml")
    let r3 = try #require(refusal(["neighbours", "find", "--data", data, "--id", "id", "--spec", stray]))
    #expect(r3.message.contains("[transforms] names 'b', which [weights] does not list"), "\(r3.message)")
    let nan = try writeTemporary("k = 3\n[weights]\na = nan\nb = 1\n", suffix: ".toml")
    let r4 = try #require(refusal(["neighbours", "find", "--data", data, "--id", "id", "--spec", nan]))
    #expect(r4.message.contains("a weight is a finite number of zero or more") && !r4.message.contains("negative weight"), "\(r4.message)")
    let r5 = try #require(refusal(["neighbours", "find", "--data", data, "--id", "id", "--variables", "a,b,a"]))
    #expect(r5.message.contains("'a' is given twice") && r5.message.contains("--weights a=2"), "\(r5.message)")
  }
}
