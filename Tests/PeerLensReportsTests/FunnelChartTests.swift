import Foundation
import Testing
@testable import PeerLensReports

/// The funnel plot's small points as one path of dots (`SVG.dots`): every
/// authority's point, in order and where its circle was, with the
/// highlighted one drawn over its own dot.
@Suite struct FunnelChartTests {
  static let units: [(code: String, x: Double, y: Double)] = [
    ("A", 40, 12.5), ("B", 300, 20), ("C", 2_000, 18), ("D", 9_000, 31), ("E", 9_000, 31),
  ]
  static let limits: [(x: Double, l95: Double, u95: Double, l998: Double, u998: Double)] = [10.0, 100, 1_000, 10_000].map {
    (x: $0, l95: 20 - 60 / $0.squareRoot(), u95: 20 + 60 / $0.squareRoot(), l998: 20 - 95 / $0.squareRoot(),
     u998: 20 + 95 / $0.squareRoot())
  }

  static func chart() -> FunnelChart {
    FunnelChart(id: "funnel-t", title: "Test", units: units, limits: limits, target: 20, decimals: 1, width: 340, height: 116)
  }

  /// The dots' centres, from the path's `M x y h0` moves.
  static func dots(_ svg: String) throws -> [(Double, Double)] {
    let paths = svg.components(separatedBy: "<path").dropFirst().filter { $0.contains("stroke-linecap=\"round\"") }
    try #require(paths.count == 1, "one path of dots")
    let d = try #require(paths[0].components(separatedBy: " d=\"").dropFirst().first?.components(separatedBy: "\"").first)
    return try d.split(separator: "M").map { move in
      #expect(move.hasSuffix("h0"), "a dot is a zero-length stroke: \(move)")
      let xy = move.dropLast(2).split(separator: " ").compactMap { Double($0) }
      try #require(xy.count == 2)
      return (xy[0], xy[1])
    }
  }

  static func circles(_ svg: String) -> [(cx: Double, cy: Double, r: Double)] {
    svg.components(separatedBy: "<circle").dropFirst().map { tag in
      func value(_ name: String) -> Double {
        Double(tag.components(separatedBy: " \(name)=\"").dropFirst().first?.components(separatedBy: "\"").first ?? "") ?? .nan
      }
      return (value("cx"), value("cy"), value("r"))
    }
  }

  @Test func everyAuthorityIsOneDotAndTheHighlightCoversItsOwn() throws {
    let chart = Self.chart()
    for code in ["A", "C", "E"] {
      let svg = chart.rendered(highlight: code, flag: nil, polarity: "neither")
      let dots = try Self.dots(svg)
      #expect(dots.count == Self.units.count)
      // In the units' order: denominators rise along the log axis, and
      // equal values share a place.
      #expect(zip(dots, dots.dropFirst()).allSatisfy { $0.0 <= $1.0 })
      #expect(dots[3] == dots[4])
      #expect(dots[2].1 > dots[1].1, "18 is drawn below 20 (y grows downwards)")
      // One large point, drawn after the dots, exactly over the
      // highlighted authority's dot (radius 5 against a dot of 2.2).
      let marks = Self.circles(svg)
      try #require(marks.count == 1)
      let k = Self.units.firstIndex { $0.code == code }!
      #expect(marks[0].cx == dots[k].0 && marks[0].cy == dots[k].1 && marks[0].r == 5)
      #expect(svg.range(of: "<circle")!.lowerBound > svg.range(of: "<path")!.lowerBound)
      #expect(svg.contains("stroke-width=\"4.4\"") && svg.hasSuffix("</svg>"))
    }
  }

  @Test func packsShareTheDotsAndAnAuthorityOutsideTheFunnelHasNoMark() throws {
    let chart = Self.chart()
    let a = chart.rendered(highlight: "A", flag: nil, polarity: "neither")
    let none = chart.rendered(highlight: "Z", flag: nil, polarity: "neither")
    #expect(try Self.dots(a).elementsEqual(try Self.dots(none), by: ==))
    #expect(Self.circles(none).isEmpty)
    #expect(a.hasPrefix(String(none.dropLast("</svg>".count))))
  }

  @Test func noPointsGiveNoPath() {
    #expect(SVG.dots([], diameter: 4.4, colour: "#8A8A8A").isEmpty)
    #expect(SVG.dots([(x: 1.234, y: -5)], diameter: 4.4, colour: "#8A8A8A")
      == "<path d=\"M1.23 -5h0\" fill=\"none\" stroke=\"#8A8A8A\" stroke-width=\"4.4\" stroke-linecap=\"round\"/>")
  }
}
