import Foundation
import Testing
@testable import PeerLensData

/// The byte-level trimming and lowercasing of missing-value symbols must
/// give exactly what Foundation's `trimmingCharacters(in: .whitespaces)
/// .lowercased()` gives, which the reader used before.
@Suite struct MissingSymbolTests {
  /// Every string of up to three characters over an alphabet of symbol
  /// letters in both cases, spaces, tabs, other ASCII control and
  /// punctuation, and non-ASCII spaces and letters (which Foundation trims
  /// or lowercases differently from ASCII rules).
  @Test func normalisesAsFoundationDoes() {
    let alphabet: [String] = ["c", "X", "z", "U", "L", "o", "W", "k", "K", "-", ".", ":", "n", "A", " ", "\t",
                              "\n", "\r", "\u{0B}", "\u{A0}", "\u{2003}", "\u{3000}", "É", "ß", "İ", "0"]
    var strings: [String] = [""]
    var level: [String] = [""]
    for _ in 0..<3 {
      level = level.flatMap { prefix in alphabet.map { prefix + $0 } }
      strings += level
    }
    var checked = 0
    for s in strings {
      let expected = s.trimmingCharacters(in: .whitespaces).lowercased()
      #expect(MissingReason.normalisedSymbol(s) == expected, "\(s.unicodeScalars.map { $0.value })")
      checked += 1
    }
    #expect(checked == 1 + 26 + 26 * 26 + 26 * 26 * 26)
  }

  @Test func recognisesSymbolsWithSpacesAndCase() {
    #expect(MissingReason(symbol: " LOW\t") == .roundsToZero)
    #expect(MissingReason(symbol: "\u{A0}c") == .suppressed)  // a no-break space is whitespace to Foundation
    #expect(MissingReason(symbol: "  ") == .empty)
    #expect(MissingReason(symbol: "N/A") == nil)
    #expect(MissingReason(symbol: "\nc") == nil)  // a line break is not in `.whitespaces`
  }
}
