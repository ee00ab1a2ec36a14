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
}
