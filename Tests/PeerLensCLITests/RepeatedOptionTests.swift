import ArgumentParser
import Foundation
import Testing
@testable import PeerLensCLI

/// An option that takes one value, given twice, is refused naming both
/// values (ArgumentParser kept the last one without a word); list options
/// (`--la`, `--indicator`) still repeat.
@Suite(.serialized) struct RepeatedOptionTests {
  @Test func aSingleValueOptionGivenTwiceIsRefusedWithBothValues() throws {
    let path = try writeTemporary("la_name,num,den\nA,5,50\nB,3,40\nC,7,60\n")
    let r = try #require(refusal(["funnel", "--data", path, "--numerator", "num", "--denominator", "den",
                                  "--numerator", "den"]))
    #expect(r.exit == 64)
    #expect(r.message.contains("--numerator is given 2 times ('num', then 'den')"), "\(r.message)")
    #expect(r.message.contains("peerlens funnel --help"), "\(r.message)")
    // The `--name=value` spelling counts as the same option.
    let eq = try #require(refusal(["funnel", "--data", path, "--numerator=num", "--denominator", "den",
                                   "--numerator", "den"]))
    #expect(eq.message.contains("('num', then 'den')"), "\(eq.message)")
    // Given once, the same command runs.
    #expect(try runCommand(["funnel", "--data", path, "--numerator", "num", "--denominator", "den"]).contains("A"))
  }

  /// Options of a shared option group (`--data`) are found too.
  @Test func sharedOptionsAreCheckedToo() throws {
    let e = try #require(RepeatedOptionError.find(in: ["model", "check", "--data", "a", "--data", "b"],
                                                  root: PeerLensCommand.self))
    #expect(e.option == "data" && e.values == ["a", "b"] && e.command == "peerlens model check")
  }

  @Test func listOptionsFlagsAndArgumentsAfterTheTerminatorMayRepeat() {
    #expect(RepeatedOptionError.find(in: ["model", "check", "--indicator", "cla_rate", "--indicator", "cin_rate"],
                                     root: PeerLensCommand.self) == nil)
    #expect(RepeatedOptionError.find(in: ["packs", "--la", "Rutland", "--la", "Slough", "--all-years", "--all-years"],
                                     root: PeerLensCommand.self) == nil)
    #expect(RepeatedOptionError.find(in: ["data", "import", "--label", "a", "--", "--label"],
                                     root: PeerLensCommand.self) == nil)
  }
}

/// `model fit` of a specification whose weighting cannot apply names the
/// file, the key and what to change.
@Suite(.serialized) struct SamplingVarianceRefusalTests {
  @Test func aWeightingThatCannotApplyNamesTheFileAndTheKey() throws {
    let path = try writeTemporary("""
      indicator = "ks4_att8_cla"
      family = "negative-binomial"
      sampling_variance = "pupil_sd"
      formula = "numerator ~ imd19_avg_score + offset(log(denominator))"
      """, suffix: ".toml")
    let r = try #require(refusal(["model", "fit", path]))
    #expect(r.exit != 0)
    #expect(r.message.contains("sampling_variance = \"pupil_sd\" (\(path))"), "\(r.message)")
    #expect(r.message.contains("family = \"gaussian\""), "\(r.message)")
  }
}
