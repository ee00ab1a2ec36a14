import Foundation
import Testing
import PeerLensFuzzTargets
import _PeerLensTestSupport

/// Every committed fuzz input — the seed corpora built from the real files
/// and every crash the fuzzer has found — runs through its target on each
/// `swift test`. A regression shows as a crash of the test process.
@Suite struct FuzzCorpusReplayTests {
  static let fuzz = TestData.packageRoot.appendingPathComponent("Tests/Fuzz")

  static func inputs(_ target: FuzzTarget) -> [URL] {
    let fm = FileManager.default
    var urls: [URL] = []
    for folder in ["corpus", "crashes"] {
      let dir = fuzz.appendingPathComponent(folder).appendingPathComponent(target.rawValue)
      for name in (try? fm.contentsOfDirectory(atPath: dir.path)) ?? [] where !name.hasPrefix(".") {
        urls.append(dir.appendingPathComponent(name))
      }
    }
    return urls.sorted { $0.path < $1.path }
  }

  @Test(arguments: FuzzTarget.allCases)
  func replaysCommittedInputs(_ target: FuzzTarget) throws {
    let inputs = Self.inputs(target)
    // Every target has a seed corpus: an empty folder would make this test vacuous.
    #expect(inputs.count >= 3, "\(target.rawValue) has \(inputs.count) committed inputs")
    var accepted = 0
    for url in inputs where target.run(try Data(contentsOf: url)) && url.path.contains("/corpus/") { accepted += 1 }
    // The seeds come from real files, so most of them must get through the
    // whole parser: otherwise the harness tests nothing but its own guard.
    let seeds = inputs.filter { $0.path.contains("/corpus/") }.count
    #expect(accepted * 2 > seeds, "\(target.rawValue): only \(accepted) of \(seeds) seeds accepted")
  }
}
