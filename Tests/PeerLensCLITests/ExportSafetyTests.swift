import Foundation
import Testing
import PeerLensCLI
import PeerLensData
import _PeerLensTestSupport

/// Issue 16, item 3 through a command: an authority name from the data that
/// begins like a formula is exported as text; negative numbers stay numbers.
@Suite(.serialized) struct ExportSafetyTests {
  @Test func funnelCSVWritesFormulaLikeNamesAsText() throws {
    let name = "=HYPERLINK(\"http://example.com/x\",\"Leeds\")"
    let path = try writeTemporary("la_name,num,den\n\"\(name.replacingOccurrences(of: "\"", with: "\"\""))\",2,50\nB,9,60\nC,6,45\n")
    let out = try runCommand(["funnel", "--data", path, "--numerator", "num", "--denominator", "den", "--format", "csv"])
    let table = try CSVReader.parse(out, source: "out.csv")
    #expect(try table.text("unit")[0] == "'" + name)
    // The first unit is below target: its z-score is negative and written as a plain number.
    let z = try table.text("z_score")[0]
    #expect(z.hasPrefix("-") && Double(z) != nil, "\(z)")
  }
}
