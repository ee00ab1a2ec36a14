import Foundation
import Testing
import PeerLensData
import _PeerLensTestSupport

/// The check before TOMLKit's parser: headers that would reach toml++'s
/// assertion are refused with the line; valid TOML that merely looks like
/// such a header (inside strings or array values) still parses.
@Suite struct TOMLFileTests {
  struct Any_: Decodable {}
  struct Doc: Decodable, Equatable {
    let text: String
    let grid: [[Int]]
  }

  @Test func theFuzzersCrashIsRefusedWithItsLine() throws {
    let crash = try String(contentsOf: TestData.packageRoot.appendingPathComponent(
      "Tests/Fuzz/crashes/model-spec/crash-0f047cce98f9b0cc1e58793840e09be109d7c814"), encoding: .utf8)
    #expect(crash.hasPrefix("[$$$"))
    let second = try String(contentsOf: TestData.packageRoot.appendingPathComponent(
      "Tests/Fuzz/crashes/model-spec/crash-dca075a904b1eb47811771fea675629716721954"), encoding: .utf8)
    #expect(second.contains("family =[}"))
    let cases: [(String, Int, String)] = [
      (crash, 1, "table header must start with a key"), ("a = 1\n\n[$x]\n", 3, "table header must start with a key"),
      ("a = 1\n[\nb = 2\n", 2, "table header must start with a key"), ("[[ %x]]\n", 1, "table header must start with a key"),
      ("[ \t@]\n", 1, "table header must start with a key"), (second, 3, "expected a value, found '}'"),
      ("a = [1, ,]\n", 1, "expected a value, found ','"), ("a = ]\n", 1, "expected a value, found ']'"),
      ("a = \n", 1, "must be on the same line"), ("t = { , }\n", 1, "expected a key in the inline table"),
      ("a = [\n  1,\n  }\n]\n", 3, "expected a value, found '}'"), ("a = _1\n", 1, "expected a value, found '_'"),
    ]
    for (text, line, words) in cases {
      do {
        _ = try TOMLFile.decode(Any_.self, from: text, source: "spec.toml", strictKeys: false)
        Issue.record("accepted \(text.debugDescription)")
      } catch let e as CatalogueError {
        guard case .invalidTOML(let file, let l, let reason) = e else { Issue.record("\(e)"); continue }
        #expect(file == "spec.toml" && l == line && reason.contains(words), "\(text.debugDescription): \(e)")
      }
    }
  }

  @Test func validTOMLThatLooksLikeABadHeaderStillParses() throws {
    let text = """
      # [$ in a comment
      text = '''
      [$ inside a multi-line literal string
      ['''
      grid = [
        [
          1, 2
        ],
        [3, 4],
      ]

      ["quoted key"]
      x = 1
      t = { a = 1, "b" = [2, 3], c = { d = 'x' } }
      s = "a # not a comment, [$ not a header"
      f = -1.5e3
      b = true
      """
    let doc = try TOMLFile.decode(Doc.self, from: text, source: "ok.toml", strictKeys: false)
    #expect(doc.grid == [[1, 2], [3, 4]])
    #expect(doc.text.contains("[$ inside"))
  }

  /// toml++ recursed once per dotted part of a key: a header 100,000 parts
  /// long crashed `model fit` with a stack overflow. Keys are refused past
  /// 64 parts, with the line; 64 parts (and dots inside quoted keys or in
  /// values) still parse.
  @Test func keysNestedTooDeepAreRefusedWithTheLine() throws {
    let deep = Array(repeating: "a", count: 100_000).joined(separator: ".")
    let parts65 = Array(repeating: "k", count: 65).joined(separator: ".")
    let cases: [(String, Int)] = [
      ("x = 1\n[\(deep)]\n", 2), ("[[\(deep)]]\n", 1), ("\(parts65) = 1\n", 1),
      ("x = 1.5\nt = { \(parts65) = 2 }\n", 2), ("t = { a = 1.5, \(parts65) = 2 }\n", 1),
    ]
    for (text, line) in cases {
      #expect {
        _ = try TOMLFile.decode(Any_.self, from: text, source: "deep.toml", strictKeys: false)
      } throws: { error in
        guard case CatalogueError.invalidTOML(let file, let l, let reason)? = error as? CatalogueError else { return false }
        return file == "deep.toml" && l == line && reason.contains("more than 64 dotted parts")
      }
    }
    let parts64 = Array(repeating: "k", count: 64).joined(separator: ".")
    let fine = "[\(parts64)]\nv = 1.25\n\"a.b.c\" = 2\n[t]\n\(parts64) = 3.5\nu = { \(parts64) = 4 }\n"
    _ = try TOMLFile.decode(Any_.self, from: fine, source: "ok.toml", strictKeys: false)
  }

  @Test func everyShippedTOMLFilePassesTheCheck() throws {
    let models = TestData.packageRoot.appendingPathComponent("Models")
    let files = try FileManager.default.subpathsOfDirectory(atPath: models.path).filter { $0.hasSuffix(".toml") }
    #expect(files.count > 10)
    for f in files {
      let text = try String(contentsOf: models.appendingPathComponent(f), encoding: .utf8)
      _ = try TOMLFile.decode(Any_.self, from: text, source: f, strictKeys: false)
    }
  }

  /// A key no type reads is refused with its line (`lnk = "identity"` was
  /// skipped, and the model fitted with the default link without a word);
  /// the catalogue reads every key it holds (the shipped specifications,
  /// neighbour and breakdown files are loaded, strictly, by the suites
  /// that use them: ContextModelTests.everyShippedModelFitsOnTheLatestData
  /// among them).
  @Test func aKeyNoTypeReadsIsRefusedWithItsLine() throws {
    struct Spec: Decodable { let family: String; let link: String? }
    #expect {
      try TOMLFile.decode(Spec.self, from: "family = \"poisson\"\n\nlnk = \"identity\"\n", source: "spec.toml")
    } throws: { error in
      let text = (error as? CatalogueError)?.errorDescription ?? ""
      return text.contains("spec.toml") && text.contains("the key 'lnk' (line 3) is not read by PeerLens")
    }
    #expect {
      try TOMLFile.decode(Spec.self, from: "family = \"poisson\"\n[extra]\nfoo = 1\n", source: "spec.toml")
    } throws: { error in ((error as? CatalogueError)?.errorDescription ?? "").contains("the key 'extra' (line 2)") }
    #expect(try TOMLFile.decode(Spec.self, from: "family = \"poisson\"\nlink = \"log\"\n", source: "spec.toml").link == "log")
    let models = TestData.packageRoot.appendingPathComponent("Models")
    _ = try IndicatorCatalogue.load(from: models.appendingPathComponent("indicators.toml"))
  }

  /// Seven unknown keys: five named with their lines, then a count.
  @Test func manyUnknownKeysAreCountedAfterFive() throws {
    struct Spec: Decodable { let family: String }
    let text = "family = \"poisson\"\n" + (1...7).map { "k\($0) = 1" }.joined(separator: "\n") + "\n"
    #expect {
      try TOMLFile.decode(Spec.self, from: text, source: "spec.toml")
    } throws: { error in
      let message = (error as? CatalogueError)?.errorDescription ?? ""
      return message.contains("the keys 'k1' (line 2), 'k2' (line 3), 'k3' (line 4), 'k4' (line 5), 'k5' (line 6) and 2 more are")
        && !message.contains("'k6'")
    }
  }
}
