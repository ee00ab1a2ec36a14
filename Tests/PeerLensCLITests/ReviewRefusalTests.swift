import ArgumentParser
import Foundation
import Testing
import PeerLensCLI
import PeerLensData
import _PeerLensTestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// A reviewer's list of input the commands took in silence or answered in
/// Foundation's words: each test uses the review's own input, and expects
/// a refusal that says where (file, line, column or option) and what was
/// expected, before any long computation.
@Suite(.serialized) struct ReviewRefusalTests {
  /// The message `peerlens` prints for what a command threw, while parsing
  /// or running.
  func message(_ arguments: [String]) throws -> String {
    try #require(refusal(arguments), "\(arguments) was not refused").message
  }

  // MARK: 1. funnel refuses a unit on two rows

  static let duplicated = "la_name,num,den\nA,10,100\nA,10,100\nC,5,80\nD,4,70\n"

  @Test(arguments: [[], ["--id", "la_name"]])
  func funnelRefusesADuplicatedUnit(extra: [String]) throws {
    let path = try writeTemporary(Self.duplicated)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let m = try message(["funnel", "--data", path, "--numerator", "num", "--denominator", "den", "--format", "csv"] + extra)
    #expect(m.contains(path) && m.contains("the id 'A' appears on 2 rows (lines 2, 3)"), "\(m)")
  }

  /// Without a name column units are named by row number, which cannot repeat.
  @Test func funnelWithoutANameColumnStillRuns() throws {
    let path = try writeTemporary("num,den\n10,100\n10,100\n5,80\n4,70\n")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let out = try runCommand(["funnel", "--data", path, "--numerator", "num", "--denominator", "den", "--format", "csv"])
    #expect(out.contains("\nrow 1,") && out.contains("\nrow 2,"), "\(out)")
  }
}
