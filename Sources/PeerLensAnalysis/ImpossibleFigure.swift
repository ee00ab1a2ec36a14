import Foundation
import PeerLensData

/// A figure that parses, is not negative, and still cannot be right:
/// - a count above its own denominator, or a published percentage above
///   100, for an indicator whose numerator counts some of its
///   denominator's children (`Indicator.isBoundedAt100`);
/// - a count above 0 over a denominator of 0, for a rate;
/// - more children counted than the child population of a rate per
///   10,000 children;
/// - a count of children with a fraction (32.5 children), for an
///   indicator whose funnel limits come from a distribution of counts
///   (negative binomial, beta-binomial).
///
/// Nothing else catches these: a count edited above its denominator
/// agrees with its own rate when the rate is computed here, and a
/// fractional count parses as a number. A funnel plot leaves an authority
/// above 100% out, and the count distributions round a fraction away, so
/// the pack would lose or alter the figure without a word. `data check`
/// reports them as errors and `data import` and `ingest` refuse them.
public struct ImpossibleFigure: Sendable, Equatable, CustomStringConvertible {
  public enum Kind: Sendable, Equatable {
    case countAboveDenominator(count: Double, denominator: Double)
    /// A count above 0 over a denominator of 0, for a rate (per 10,000
    /// children, per worker): the value cannot be computed, and the
    /// authority showed as missing beside its published figure.
    case countOverZero(count: Double, published: Double?)
    /// More children counted than the child population they are a rate
    /// of (30,000 children in care among 21,090 children).
    case countAbovePopulation(count: Double, population: Double, rate: Double)
    case publishedAbove100(Double)
    /// The part ("count" or "denominator"), its value and what it counts
    /// ("children", "referrals").
    case fractionalCount(part: String, value: Double, counts: String)
  }

  public let indicatorID: String
  public let level: GeographicLevel
  public let period: TimePeriod
  public let areaCode: String
  public let name: String
  public let kind: Kind
  /// The files the figure comes from.
  public let files: [String]
  /// Where the figure's parts are, as "dfe/FILE.csv line N (count
  /// COLUMN)" (`DataConsistency.check` finds them): the sentence named
  /// only the file, and a reader had to search it for the row.
  public var locations: [String] = []

  /// The sentence naming the files only: what identifies the figure (a
  /// line can move between two versions of a file).
  public var statement: String { sentence(source: " (\(files.joined(separator: ", ")))") }

  public var description: String {
    sentence(source: locations.isEmpty ? " (\(files.joined(separator: ", ")))" : "; see " + locations.joined(separator: " and "))
  }

  private func sentence(source: String) -> String {
    let place = "\(indicatorID) \(period.label) \(areaCode.isEmpty ? "" : areaCode + " ")\(name)"
    switch kind {
    case .countAboveDenominator(let count, let denominator) where denominator == 0:
      return "\(place): count \(Self.exact(count)) with a denominator of 0; the count is part of the denominator, "
        + "so it cannot be above 0\(source)."
    case .countAboveDenominator(let count, let denominator):
      return "\(place): count \(Self.exact(count)) is above its denominator "
        + "\(Self.exact(denominator)), a percentage of \(String(format: "%.1f", 100 * count / denominator)); "
        + "the count is part of the denominator, so the percentage cannot exceed 100\(source)."
    case .countOverZero(let count, let published):
      return "\(place): count \(Self.exact(count)) over a denominator of 0, so no rate can be computed"
        + (published.map { " (the published figure is \(Self.exact($0)))" } ?? "")
        + "; a denominator of 0 cannot hold a count above 0, so it is probably missing or mistyped\(source)."
    case .countAbovePopulation(let count, let population, let rate):
      return "\(place): count \(Self.exact(count)) is above the population of \(Self.exact(population)) it is a rate of "
        + "(\(String(format: "%.0f", rate)) per 10,000); the children counted live among those children, so the rate "
        + "cannot exceed 10,000\(source)."
    case .publishedAbove100(let p):
      return "\(place): the published percentage \(Self.exact(p)) is above 100, "
        + "which a percentage whose count is part of its denominator cannot be\(source)."
    case .fractionalCount(let part, let value, let counts):
      return "\(place): the \(part) \(Self.exact(value)) is not a whole number, "
        + "but it counts \(counts)\(source)."
    }
  }

  /// A figure as read, to the digits that tell it apart from a neighbour
  /// (12.0000000001 printed as "12" beside "not a whole number").
  static func exact(_ v: Double) -> String {
    v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : "\(v)"
  }

  /// Whether an indicator counts children: its funnel limits come from a
  /// distribution of counts, so its counts are whole numbers.
  static func countsChildren(_ indicator: Indicator) -> Bool {
    ["negative-binomial", "beta-binomial"].contains(indicator.funnelLimits)
  }

  /// A rate per 10,000 children of children (children in care, in need,
  /// on a plan): the children counted are some of the population's.
  static func countsChildrenOfItsPopulation(_ indicator: Indicator) -> Bool {
    indicator.unit == .ratePer10000 && indicator.countNoun == .children && indicator.denominatorNoun == .children
  }

  /// Whether any of the checks applies to an indicator's values.
  public static func applies(to indicator: Indicator) -> Bool {
    indicator.isBoundedAt100 || countsChildren(indicator) || indicator.hasCounts
  }

  /// The rows, at every level, of one indicator's values that hold an
  /// impossible figure. `DataConsistency.check` runs it over every
  /// indicator.
  public static func find(in values: [IndicatorValue], indicator: Indicator) -> [ImpossibleFigure] {
    guard applies(to: indicator) else { return [] }
    let countsChildren = countsChildren(indicator)
    func files(_ parts: [IndicatorSource?]) -> [String] {
      Array(Set(parts.compactMap { $0 }.map { indicator.resolved($0).file })).sorted()
    }
    var out: [ImpossibleFigure] = []
    for v in values {
      func add(_ kind: Kind, _ parts: [IndicatorSource?]) {
        out.append(ImpossibleFigure(indicatorID: indicator.id, level: v.level, period: v.period, areaCode: v.areaCode,
                                    name: v.name, kind: kind, files: files(parts)))
      }
      if countsChildren {
        if let x = v.numerator, x != x.rounded() {
          add(.fractionalCount(part: "count", value: x, counts: indicator.countNoun.many), [indicator.numerator])
          continue
        }
        // Rates of children per 10,000 have a population denominator,
        // which is a whole number of children too.
        if let n = v.denominator, n != n.rounded() {
          add(.fractionalCount(part: "denominator", value: n, counts: indicator.denominatorNoun.many), [indicator.denominator])
          continue
        }
      }
      guard indicator.isBoundedAt100 else {
        if let x = v.numerator, x > 0, v.denominator == 0 {
          add(.countOverZero(count: x, published: v.published), [indicator.numerator, indicator.denominator])
        } else if let x = v.numerator, let n = v.denominator, n > 0, x > n, countsChildrenOfItsPopulation(indicator) {
          add(.countAbovePopulation(count: x, population: n, rate: x / n * 10_000), [indicator.numerator, indicator.denominator])
        }
        continue
      }
      if let x = v.numerator, let n = v.denominator, x > n, n >= 0 {
        add(.countAboveDenominator(count: x, denominator: n), [indicator.numerator, indicator.denominator])
      } else if let p = v.published ?? (v.fromPublished ? v.value : nil), p.isFinite, p > 100 {
        add(.publishedAbove100(p), [indicator.published])
      }
    }
    return out
  }
}
