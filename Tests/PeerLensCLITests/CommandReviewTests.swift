import ArgumentParser
import Foundation
import Testing
import PeerLensCLI
import PeerLensData
import _PeerLensTestSupport

/// A reviewer's list of answers the commands gave that were wrong or
/// silent: an option named for another, a format ignored, a period form
/// refused by one command and accepted by another, an empty folder taken
/// for no models, Foundation's words for a link that cannot fit the data,
/// and NaN printed as a result. Each test uses the review's own input.
///
/// Where a command would otherwise run at length before the line under
/// test, the input also points at a file that does not exist, so the test
/// stays quick whether or not the refusal comes first.
@Suite(.serialized) struct CommandReviewTests {
  /// The message `peerlens` prints for what a command threw, while parsing
  /// or running.
  func message(_ arguments: [String]) throws -> String {
    try #require(refusal(arguments), "\(arguments) was not refused").message
  }

  // MARK: 1. neighbours compare names --official, the option it was given

  @Test func neighboursCompareNamesTheOfficialOption() throws {
    let m = try message(["neighbours", "compare", "--official", "2019", "--mirror-path", TestData.data.path])
    #expect(m.contains("'2019'") && m.contains("--official takes"), "\(m)")
    #expect(!m.contains("--neighbours"), "\(m)")
  }
}
