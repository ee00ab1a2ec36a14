import Foundation
import Testing
import PeerLensFuzzTargets

@Suite struct HostileFormulaTests {
  /// The hostile shapes the hardening issues list, built here rather than
  /// committed as megabyte files: each returns (with an error inside)
  /// through the parse-and-fit path, instead of overflowing the stack.
  @Test func hostileFormulasReturn() {
    let hostile: [String] = [
      "y ~ " + String(repeating: "(", count: 10_000) + "x" + String(repeating: ")", count: 10_000),
      "y ~ " + String(repeating: "log(", count: 10_000) + "x" + String(repeating: ")", count: 10_000),
      "y ~ I(x^1e308)",
      "y ~ I(" + String(repeating: "-", count: 100_000) + "x)",
      "y ~ I(" + Array(repeating: "x", count: 100_000).joined(separator: "+") + ")",
      "y ~ " + String(repeating: "v", count: 1 << 20),
      "y ~ x\u{0}z",
      "y ~ a*b*c*d*e*f*g*h*i*j*k*l",
      "y ~ (x + z + n + k)^1000000",
    ]
    for text in hostile { #expect(!FuzzTarget.formula.run(Data(text.utf8)), "\(text.prefix(40))") }
    FuzzTarget.formula.run(Data([0x79, 0x20, 0x7E, 0x20, 0xFF, 0xFE, 0x78]))  // invalid UTF-8
  }
}
