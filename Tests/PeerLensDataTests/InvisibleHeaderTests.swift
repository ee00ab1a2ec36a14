import Foundation
import Testing
@testable import PeerLensData

/// A header that differs from the name asked for only by a character no
/// one can see (a byte-order mark left inside a header by joining two
/// files) is named as such, with the character shown: before, the
/// message said "no column named 'num'. Columns are: name, num, den".
@Suite struct InvisibleHeaderTests {
  static let table = """
    name,\u{FEFF}num,den
    a,1,10
    b,2,10
    """

  @Test func aMissingColumnNamesTheInvisibleCharacter() throws {
    let t = try CSVReader.parse(Self.table, source: "joined.csv")
    #expect(throws: CSVError.self) { try t.columnIndex("num") }
    do {
      _ = try t.columnIndex("num")
    } catch {
      let text = error.localizedDescription
      #expect(text.contains("joined.csv: no column named 'num'; the header '<U+FEFF>num' has an invisible character"), "\(text)")
      #expect(!text.contains("\u{FEFF}"), "the message printed the invisible character as is")
    }
  }

  @Test func formulaHintsShowTheInvisibleCharacter() {
    let text = FormulaError.unknownVariable(name: "num", position: 7, formula: "den ~ num",
                                            available: ["name", "\u{FEFF}num", "den"]).localizedDescription
    #expect(text.contains("The header '<U+FEFF>num' has an invisible character in it"), "\(text)")
    #expect(!text.contains("\u{FEFF}") && !text.contains("Did you mean"), "\(text)")
    // A real slip still gets the plain suggestion.
    #expect(NameSuggestion.hint(for: "nmu", among: ["num", "den"]) == " Did you mean num?")
  }

  @Test(arguments: [("\u{FEFF}a", "<U+FEFF>a"), ("a\u{200B}b", "a<U+200B>b"), ("x\u{00A0}", "x<U+00A0>"),
                    ("\u{0}1", "<NUL>1"), ("Café", "Café"), ("plain text", "plain text")])
  func quotedShowsWhatCannotBeSeen(input: String, shown: String) {
    #expect(ErrorText.quoted(input) == shown)
  }
}
