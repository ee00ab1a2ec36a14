import Foundation
import Testing
import PeerLensAnalysis
import PeerLensData
import _PeerLensTestSupport

/// `model fit` on a count edited above its denominator: beside its own
/// published figure the counts are left out of the model as the packs
/// leave them out, with a note; with no published figure the fit is
/// refused naming the data file, the authority and the figure (it failed
/// on a "negative number of failures" at a line of la_context.csv).
@Suite struct ContradictingCountsModelTests {
  static let file = "cla_on_31_march_by_placement.csv"

  /// The mirror with Hartlepool's 2025 count of children in foster
  /// placements set to 935 (of 332 in care) and its percentage to `percentage`.
  func edited(percentage: String) throws -> TemporaryMirror {
    let text = try String(contentsOf: TestData.data.appendingPathComponent("dfe/" + Self.file), encoding: .utf8)
    var lines = text.components(separatedBy: "\n")
    let header = lines[0].components(separatedBy: ",")
    let number = try #require(header.firstIndex(of: "number")), pct = try #require(header.firstIndex(of: "percentage"))
    let row = try #require(lines.firstIndex { $0.hasPrefix("2025,") && $0.contains(",E06000001,") && $0.contains(",Foster placements,") })
    var fields = lines[row].components(separatedBy: ",")
    fields[number] = "935"
    fields[pct] = percentage
    lines[row] = fields.joined(separator: ",")
    return try TemporaryMirror(replacing: ["dfe/" + Self.file: lines.joined(separator: "\n")])
  }

  func engine(_ mirror: TemporaryMirror) throws -> (ContextEngine, ContextModelSpec) {
    let catalogue = try IndicatorCatalogue.load(from: ContextModelTests.models.appendingPathComponent("indicators.toml"))
    let spec = try ContextModelSpec.load(from: ContextModelTests.models.appendingPathComponent("context/cla_foster_pct.toml"))
    return (ContextEngine(mirror: DataMirror(root: mirror.root), catalogue: catalogue), spec)
  }

  @Test func countsThatContradictThePublishedFigureAreLeftOutWithANote() throws {
    let mirror = try edited(percentage: "71")
    defer { mirror.remove() }
    let (engine, spec) = try engine(mirror)
    let run = try engine.run(spec: spec, period: "2025", coverage: false)
    #expect(run.warnings.contains { $0.hasPrefix("Hartlepool (E06000001): the counts (935 of 332) contradict DfE's published figure (71) for 2025") },
            "\(run.warnings)")
    let hartlepool = try #require(run.authorities.first { $0.code == "E06000001" })
    #expect(hartlepool.observed == 71)
    // The other authorities' fit is the one without Hartlepool's counts:
    // the same as the real data's with Hartlepool's counts taken off.
    let real = try ContextEngine(mirror: DataMirror(root: TestData.data), catalogue: engine.catalogue)
    let values = try IndicatorCalculator(mirror: DataMirror(root: TestData.data)).values(try real.indicator(spec.indicator))
      .map { $0.areaCode == "E06000001" && $0.period.code == "2025" && $0.level == .localAuthority ? $0.withoutCounts() : $0 }
    let without = try real.run(spec: spec, period: "2025", values: values, coverage: false)
    #expect(run.model.coefficients == without.model.coefficients)
  }

  @Test func aCountAboveItsDenominatorWithNoPublishedFigureIsRefusedWithItsFile() throws {
    let mirror = try edited(percentage: "")
    defer { mirror.remove() }
    let (engine, spec) = try engine(mirror)
    #expect {
      _ = try engine.run(spec: spec, period: "2025", coverage: false)
    } throws: { error in
      let text = error.localizedDescription
      return text.contains("cla_foster_pct 2025 E06000001 Hartlepool: count 935 is above its denominator 332")
        && text.contains("(\(Self.file))") && !text.contains("la_context")
    }
  }
}
