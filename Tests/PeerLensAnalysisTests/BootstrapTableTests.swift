import Testing
@testable import PeerLensAnalysis

/// The `fit --bootstrap` table: every number stands apart from its
/// neighbours and under its heading, however long it is.
struct BootstrapTableTests {
  @Test func aLongNumberDoesNotRunIntoTheOneBeforeIt() throws {
    let summary = BootstrapSummary(
      parameters: [.init(name: "(Intercept)", estimate: -140, standardError: 50.69, lower: -142.9, upper: 28.57, resamplesUsed: 200),
                   .init(name: "x", estimate: 55.97, standardError: 19.02, lower: -5.802e-09, upper: 57.06, resamplesUsed: 200)],
      resamples: 200, failed: 0, aliased: 0, level: 0.95, seed: 1)
    let lines = summary.text.split(separator: "\n").map(String.init)
    let header = try #require(lines.first { $0.contains("Estimate") }), row = try #require(lines.last { $0.hasPrefix("  x ") })
    let fields = row.split(separator: " ").map(String.init)
    #expect(fields.count == 6, "\(row)")
    #expect(Double(fields[3]).map { abs($0 + 5.802e-09) < 1e-12 } == true, "\(row)")
    // Each number ends where its heading ends.
    for (heading, value) in zip(["Estimate", "Boot. SE", "Lower", "Upper", "Used"], fields.dropFirst()) {
      let end = try #require(header.range(of: heading)).upperBound.utf16Offset(in: header)
      let valueEnd = try #require(row.range(of: " " + value)).upperBound.utf16Offset(in: row)
      #expect(end == valueEnd, "\(heading): \(header) | \(row)")
    }
    // Where every number fits, the columns stay ten wide.
    let short = BootstrapSummary(parameters: [summary.parameters[0]], resamples: 200, failed: 0, aliased: 0, level: 0.95, seed: 1)
    #expect(short.text.contains("\n                 Estimate  Boot. SE     Lower     Upper   Used\n"
      + "  (Intercept)        -140     50.69    -142.9     28.57    200\n"), "\(short.text)")
  }
}
