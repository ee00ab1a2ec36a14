import Foundation
import Testing
import PeerLensCLI
import _PeerLensTestSupport

/// `peerlens model fit` given a TOML file that is not a model
/// specification: refused with the file, the key and what was expected,
/// not with Swift's `DecodingError` text. The spec is read before the data
/// mirror, so these need no data.
@Suite(.serialized) struct ModelSpecRefusalTests {
  func message(_ toml: String) throws -> (message: String, file: String) {
    let path = try writeTemporary(toml, suffix: ".toml")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let r = try #require(refusal(["model", "fit", path]), "\(toml) was not refused")
    // Swift's words for the error must not reach the user.
    for swift in ["keyNotFound", "typeMismatch", "dataCorrupted", "CodingKeys", "Context("] {
      #expect(!r.message.contains(swift), "\(r.message)")
    }
    return (r.message, URL(fileURLWithPath: path).lastPathComponent)
  }

  /// A neighbour specification given where a model specification is wanted.
  @Test func anotherKindOfTOMLFileNamesTheMissingKey() throws {
    let (m, file) = try message("metric = \"euclidean\"\nk = 10\n\n[weights]\nimd19_avg_score = 1\n")
    #expect(m.contains(file) && m.contains("not a valid model specification"), "\(m)")
    #expect(m.contains("the key 'indicator' is missing; expected a string naming an indicator"), "\(m)")
    #expect(m.contains("A model specification has the keys indicator, family and formula"), "\(m)")
  }

  @Test func aKeyOfTheWrongKindSaysWhatItHoldsAndWhatWasExpected() throws {
    let (m, file) = try message("indicator = \"cla_rate\"\nfamily = \"poisson\"\nformula = \"numerator ~ 1\"\nyear = 2024\n")
    #expect(m.contains(file), "\(m)")
    #expect(m.contains("the key 'year' holds an integer (2024)") && m.contains("expected a string naming the period"), "\(m)")
  }

  @Test func aValueNotAllowedListsTheValuesThatAre() throws {
    let (m, _) = try message("indicator = \"cla_rate\"\nfamily = \"nb\"\nformula = \"numerator ~ 1\"\n")
    #expect(m.contains("the key 'family' holds the string \"nb\", which is not one of the values allowed"), "\(m)")
    #expect(m.contains("\"negative-binomial\""), "\(m)")
  }

  /// A specification's own `year` that names no period was reported as if
  /// `--year` had been given, with no file: the file and key are named now.
  @Test func aYearThatNamesNoPeriodNamesTheFile() throws {
    let path = try writeTemporary("indicator = \"cla_rate\"\nfamily = \"poisson\"\nformula = \"numerator ~ offset(log(denominator))\"\n"
      + "year = \"abc\"\n", suffix: ".toml")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let r = try #require(refusal(["model", "fit", path, "--data", TestData.data.path]))
    #expect(r.message.contains(URL(fileURLWithPath: path).lastPathComponent) && r.message.contains("year = \"abc\": no such period for cla_rate")
      && r.message.contains("it has 2021, 2022") && r.message.contains("2025"), "\(r.message)")
    // --year given on the command line keeps its own message.
    let given = try #require(refusal(["model", "fit", path, "--data", TestData.data.path, "--year", "xyz"]))
    #expect(given.message.contains("No period 'xyz'"), "\(given.message)")
  }

  /// A specification that is not UTF-8, or a folder, said only "cannot read
  /// the file"; the reason is given now, as the CSV readers give it.
  @Test func anUnreadableSpecificationSaysWhy() throws {
    let path = temporaryPath(".toml")
    try Data("indicator = \"cla_rate\"\n# caf".utf8 + [0xE9] + Data("\n".utf8)).write(to: URL(fileURLWithPath: path))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let bytes = try #require(refusal(["model", "fit", path]))
    #expect(bytes.message.contains("not UTF-8 text: the byte 0xE9 at offset 28"), "\(bytes.message)")
    let folder = FileManager.default.temporaryDirectory.path
    let directory = try #require(refusal(["model", "fit", folder]))
    #expect(directory.message.contains("it is a folder, not a file"), "\(directory.message)")
  }
}
