import Foundation
import Testing
@testable import PeerLensReports

/// Issue 18.3: the packs' JSON is written by `PrettyJSONEncoder`, which must
/// give the bytes Foundation's `JSONEncoder` gives with
/// `[.prettyPrinted, .sortedKeys]`, on the real packs and on anything
/// else `Encodable`.
@Suite struct PackJSONTests {
  static func foundation<T: Encodable>(_ value: T) throws -> Data {
    let enc = JSONEncoder()
    enc.outputFormatting = [.prettyPrinted, .sortedKeys]
    return try enc.encode(value)
  }

  /// Authority packs of the real run (a unitary, a metropolitan district,
  /// a county, a London borough, the smallest authority), every region's
  /// table and England's.
  @Test func realPacksAreByteIdentical() throws {
    let run = try Fixtures.real.get()
    let builder = PackBuilder(run: run, software: "PeerLens test")
    for code in ["E06000001", "E08000025", "E10000003", "E09000001", "E06000017"] {
      let pack = try builder.authorityPack(code: code)
      #expect(try PackJSON.encode(pack) == Self.foundation(pack), "\(code)")
    }
    for region in run.registry.regions.map(\.code) {
      let table = RegionTable.build(run: run, regionCode: region)
      #expect(try table.json() == Self.foundation(table), "\(region)")
    }
    let england = EnglandTable.build(run: run)
    #expect(try england.json() == Self.foundation(england))
  }

  struct Leaf: Codable, Equatable {
    var text: String
    var number: Double
    var count: Int
    var flag: Bool
    var maybe: Double?
    var small: Float
  }

  struct Tree: Encodable {
    var leaves: [Leaf]
    var byName: [String: Leaf]
    var byNumber: [Int: [Double]]
    var nested: [[String]]
    var empty: [Int]
    var emptyObject: [String: Int]
    var link: URL
    var bytes: Data
    var nothing: Nothing
    var explicitNull: ExplicitNull
  }

  struct Widths: Encodable {
    var i8: Int8, i16: Int16, i32: Int32, i64: Int64
    var u: UInt, u8: UInt8, u16: UInt16, u32: UInt32, u64: UInt64
    var f: Float
    var list: [Int8]
    var maybe: UInt64?
    var none: Int16?
    var floats: [Float]
  }

  /// Encodes no container at all (JSONEncoder writes `{}`).
  struct Nothing: Encodable { func encode(to encoder: Encoder) throws {} }

  /// Writes null for a key and for a single value, as `encodeNil`.
  struct ExplicitNull: Encodable {
    enum Keys: String, CodingKey { case gone, alsoGone }
    func encode(to encoder: Encoder) throws {
      var c = encoder.container(keyedBy: Keys.self)
      try c.encodeNil(forKey: .gone)
      try c.encode(Optional<Int>.none, forKey: .alsoGone)
    }
  }

  /// Generated values: strings with every control character, quotes,
  /// backslashes, slashes and non-ASCII text (keys too, whose UTF-8
  /// order differs from Unicode order), doubles from subnormal to the
  /// largest (integral, negative zero, exponents), floats, optionals.
  @Test func generatedValuesAreByteIdentical() throws {
    var state: UInt64 = 18
    func u() -> Double {
      state = state &* 6364136223846793005 &+ 1442695040888963407
      return Double(state >> 11) / Double(1 << 53)
    }
    let pieces = ["a", "Z", "z", "~", "\"", "\\", "/", "é", "Ω", "😀", "\u{7f}", "e\u{301}", " ", "<", "&"]
      + (0..<32).map { String(UnicodeScalar(UInt8($0))) }
    func text() -> String { (0..<Int(u() * 8)).map { _ in pieces[Int(u() * Double(pieces.count))] }.joined() }
    func number() -> Double {
      switch Int(u() * 8) {
      case 0: return (u() * 1e6).rounded()
      case 1: return -0.0
      case 2: return 5e-324 * (1 + (u() * 100).rounded())
      case 3: return 1.7976931348623157e308 * u()
      case 4: return pow(10, (u() * 40 - 20).rounded())
      case 5: return (u() - 0.5) * 1e-7
      default: return (u() - 0.5) * 1000
      }
    }
    func leaf() -> Leaf {
      Leaf(text: text(), number: number(), count: Int(u() * 2e9) - 1_000_000_000, flag: u() < 0.5,
           maybe: u() < 0.5 ? nil : number(), small: Float(number() / 1e290))
    }
    for _ in 0..<300 {
      let tree = Tree(
        leaves: (0..<Int(u() * 4)).map { _ in leaf() },
        byName: Dictionary((0..<Int(u() * 5)).map { _ in (text(), leaf()) }, uniquingKeysWith: { a, _ in a }),
        byNumber: Dictionary((0..<Int(u() * 4)).map { _ in (Int(u() * 2000) - 1000, (0..<Int(u() * 3)).map { _ in number() }) },
                             uniquingKeysWith: { a, _ in a }),
        nested: (0..<Int(u() * 3)).map { _ in (0..<Int(u() * 3)).map { _ in text() } },
        empty: [], emptyObject: [:], link: URL(string: "https://example.org/a?b=\(Int(u() * 99))")!,
        bytes: Data((0..<Int(u() * 20)).map { _ in UInt8(u() * 255) }), nothing: Nothing(), explicitNull: ExplicitNull())
      let ours = try PackJSON.encode(tree), theirs = try Self.foundation(tree)
      #expect(ours == theirs, "\(String(decoding: ours, as: UTF8.self))\n---\n\(String(decoding: theirs, as: UTF8.self))")
      if ours != theirs { break }
    }
    // Every integer width and Float, bare, in arrays and optional (their
    // own `encode(to:)` comes back to the encoder's generic entry).
    let widths = Widths(i8: -128, i16: -32768, i32: .min, i64: .max, u: .max, u8: 255, u16: 65535, u32: .max, u64: .max,
                        f: 1e-3, list: [1, -2, 127], maybe: 18_446_744_073_709_551_615, none: nil, floats: [3, 0.1, -0.0])
    #expect(try PackJSON.encode(widths) == Self.foundation(widths))
    #expect(try PackJSON.encode([widths, widths]) == Self.foundation([widths, widths]))
    // A top-level scalar and a top-level array.
    #expect(try PackJSON.encode("x/\"y") == Self.foundation("x/\"y"))
    #expect(try PackJSON.encode([1.0, 2.5]) == Self.foundation([1.0, 2.5]))
  }

  /// A value that is not a finite number is refused, as by JSONEncoder,
  /// and the error names where it was.
  @Test func nonFiniteNumbersAreRefused() {
    for bad in [Double.nan, .infinity, -.infinity] {
      let leaf = Leaf(text: "", number: 1, count: 0, flag: true, maybe: bad, small: 0)
      #expect(throws: EncodingError.self) { try Self.foundation([leaf]) }
      do {
        _ = try PackJSON.encode([leaf])
        Issue.record("\(bad) was encoded")
      } catch EncodingError.invalidValue(_, let context) {
        #expect(context.codingPath.map(\.stringValue) == ["Index 0", "maybe"])
      } catch {
        Issue.record("unexpected \(error)")
      }
    }
  }
}
