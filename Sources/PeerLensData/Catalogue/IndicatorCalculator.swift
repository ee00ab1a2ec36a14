import Foundation
import PeerLensStatistics

/// Computes catalogue indicators from the mirror's EES files.
///
/// For an indicator with counts, `value = Σ numerator columns /
/// Σ denominator columns × multiplier`, matched by geography, area and
/// period (with the denominator's period offset). A numerator that is
/// missing for any reason gives a missing value with that reason — never
/// zero, and never back-calculated from a published rate. Where there is no
/// numerator and denominator the published value is used as is.
public struct IndicatorCalculator: Sendable {
  public let mirror: DataMirror

  public init(mirror: DataMirror) {
    self.mirror = mirror
  }

  struct Key: Hashable {
    let level: GeographicLevel
    let code: String
    let period: TimePeriod
  }

  /// Sums the part's columns on one row; the first missing reason wins.
  ///
  /// A negative figure is a missing-value code, never a value. Why: the
  /// files reshaped from the DfE dashboard's processed data write DfE's
  /// symbols as numbers (−100 `c`, −200 `low` and `k`, −250 `u`, −300 `x`,
  /// −400 `z`: spending for Birmingham, Slough and Cumberland and OHID
  /// injury admissions for the City of London and the Isles of Scilly are
  /// −300), and every quantity a catalogue indicator reads (counts,
  /// populations, pounds, rates, percentages, scores) is non-negative. Any
  /// other negative figure is read as not available.
  static func sum(_ columns: [[CellValue]], row: Int) -> CellValue {
    var total = 0.0
    for c in columns {
      switch c[row] {
      case .number(let v) where v < 0: return .missing(dashboardCode(v))
      case .number(let v): total += v
      case .missing(let r): return .missing(r)
      }
    }
    return .number(total)
  }

  /// Whether a negative figure is one of the dashboard's missing-value codes.
  static func isDashboardCode(_ v: Double) -> Bool { [-100, -200, -250, -300, -400].contains(v) }

  /// The missing-value reason the DfE dashboard's negative code stands for.
  static func dashboardCode(_ v: Double) -> MissingReason {
    switch v {
    case -100: return .suppressed
    case -200: return .roundsToZero
    case -250: return .lowReliability
    case -400: return .notApplicable
    default: return .notAvailable
    }
  }

  /// One part's figure on one row: Σ columns − Σ subtract, times scale.
  static func value(_ columns: [[CellValue]], minus: [[CellValue]], scale: Double, row: Int) -> CellValue {
    guard case .number(let plus) = sum(columns, row: row) else { return sum(columns, row: row) }
    var total = plus
    if !minus.isEmpty {
      switch sum(minus, row: row) {
      case .number(let m): total -= m
      case .missing(let r): return .missing(r)
      }
    }
    return .number(total * scale)
  }

  /// Rows of a part, keyed by geography/area/period. Two rows for one key
  /// that give different figures are refused (`AmbiguousRows`): the
  /// entry's filters do not pick one row.
  func index(_ indicator: Indicator, _ part: IndicatorSource) throws -> (rows: [Key: (EESFile.Row, CellValue)], file: EESFile) {
    let (fileName, filters) = indicator.resolved(part)
    let file = try mirror.eesFile(fileName)
    let registry = try? mirror.registry()
    let rows = try file.rows(matching: filters)
    let columns = try part.columns.map { try file.table.values($0) }
    let minus = try part.subtract.map { try file.table.values($0) }
    let read = Set([indicator.numerator, indicator.denominator, indicator.published].compactMap { $0 }
      .filter { indicator.resolved($0).file == fileName }.flatMap { $0.columns + $0.subtract })
    var out: [Key: (EESFile.Row, CellValue)] = [:]
    out.reserveCapacity(rows.count)
    for r in rows {
      let code = registry?.canonicalCode(r.areaCode) ?? r.areaCode
      let key = Key(level: r.level, code: code, period: r.period.shifted(years: -part.periodOffset))
      guard let (first, _) = out[key] else {
        out[key] = (r, Self.value(columns, minus: minus, scale: part.scale, row: r.index))
        continue
      }
      if let problem = AmbiguousRows.find(indicator: indicator.id, file: fileName, table: file.table, area: r.name.isEmpty ? code : "\(r.name) (\(code))",
                                          period: r.period.label, first: first.index, second: r.index,
                                          figureColumns: part.columns + part.subtract, read: read) {
        throw problem
      }
    }
    return (out, file)
  }

  /// Every value of an indicator, at every level, sorted by level, area
  /// code and period.
  public func values(_ indicator: Indicator) throws -> [IndicatorValue] {
    let driverPart = indicator.numerator ?? indicator.published!
    let driver = try index(indicator, driverPart).rows
    let denominators = try indicator.denominator.map { try index(indicator, $0).rows }
    let published = try indicator.published.map { try index(indicator, $0).rows }
    let multiplier = indicator.unit.multiplier
    var out: [IndicatorValue] = []
    out.reserveCapacity(driver.count)
    for (key, (row, cell)) in driver {
      let pub = published?[key]?.1.number
      var value: Double? = nil
      var numerator: Double? = nil, denominator: Double? = nil
      var status = ValueStatus.ok
      var fromPublished = !indicator.hasCounts
      if indicator.hasCounts {
        let den = denominators?[key]?.1 ?? .missing(.notAvailable)
        switch (cell, den) {
        case (.number(let n), .number(let d)):
          numerator = n
          denominator = d
          if d > 0 { value = n / d * multiplier } else { status = .zeroDenominator }
        case (.missing(let r), _):
          status = .missing(r)
          if case .number(let d) = den { denominator = d }
        case (.number(let n), .missing(let r)):
          numerator = n
          status = .missing(r)
        }
        // DfE computes from unrounded counts; regional and national counts
        // are published rounded to the nearest 10, and workforce FTEs to one
        // decimal. Where the rate from published counts does not round to
        // the published figure, the published figure is the value.
        if let v = value, let pub, PublishedRounding.round(v, decimals: indicator.decimals) != pub {
          value = pub
          fromPublished = true
        }
        if value == nil, let pub, status != .zeroDenominator {
          fromPublished = true
          // A published figure without usable counts (counts suppressed
          // but a percentage given) is shown as published.
          value = pub
          status = .ok
        }
      } else {
        switch cell {
        case .number(let v): value = v
        case .missing(let r): status = .missing(r)
        }
      }
      out.append(IndicatorValue(
        indicatorID: indicator.id, level: row.level, areaCode: key.code, oldCode: row.oldCode, name: row.name,
        period: row.period, value: value, numerator: numerator, denominator: denominator,
        published: indicator.hasCounts ? pub : value, status: status, fromPublished: fromPublished))
    }
    if let clustering = indicator.pupilClustering { out = try withEffectiveDenominators(out, indicator, clustering) }
    out.sort { a, b in
      if a.level != b.level { return GeographicLevel.allCases.firstIndex(of: a.level)! < GeographicLevel.allCases.firstIndex(of: b.level)! }
      if a.areaCode != b.areaCode { return a.areaCode < b.areaCode }
      return a.period < b.period
    }
    return out
  }
}

extension IndicatorCalculator {
  /// Each value with its effective denominator: its pupils × (κ + 1),
  /// κ fitted to England's share of pupils absent at least the threshold
  /// in the same period (`PupilClusteredRate`). A value whose pupils are
  /// not published keeps none, and is left out of funnels and rank
  /// intervals rather than counted in sessions.
  func withEffectiveDenominators(_ values: [IndicatorValue], _ indicator: Indicator,
                                 _ clustering: PupilClustering) throws -> [IndicatorValue] {
    let pupils = try index(indicator, IndicatorSource(columns: clustering.pupils)).rows
    let absent = try index(indicator, IndicatorSource(columns: clustering.absentAtLeast)).rows
    var concentration: [TimePeriod: Double] = [:]
    for v in values where v.level == .national {
      let key = Key(level: v.level, code: v.areaCode, period: v.period)
      guard let x = v.numerator, let n = v.denominator, n > 0, let m = pupils[key]?.1.number, m > 0,
            let a = absent[key]?.1.number else { continue }
      concentration[v.period] = PupilClusteredRate.concentration(mean: x / n, threshold: clustering.threshold,
                                                                 share: a / m)
    }
    return values.map { v in
      var v = v
      if let m = pupils[Key(level: v.level, code: v.areaCode, period: v.period)]?.1.number, m > 0 {
        v.pupilCounts = PupilCounts(
          pupils: m, effectiveDenominator: PupilClusteredRate.effectiveDenominator(pupils: m, concentration: concentration[v.period]))
      }
      return v
    }
  }
}

/// How a published figure's last digit is rounded.
///
/// DfE rounds "five up", half away from zero (`half_up`): 59.5 is
/// published as 60 and 12.35 as 12.4. `half_even` (banker's rounding, what
/// R's `round` and IEEE default do) is there for sources that use it, so
/// that a catalogue entry can say so rather than the code guessing.
public enum RoundingRule: String, Sendable, Codable, CaseIterable {
  case halfUp = "half_up"
  case halfEven = "half_even"
}

/// Rounding as DfE publishes: half away from zero ("round five up"), not
/// to even, unless the indicator's `rounding` says otherwise.
public enum PublishedRounding {
  public static func round(_ x: Double, decimals: Int, rule: RoundingRule = .halfUp) -> Double {
    let f = pow(10, Double(decimals))
    // Nudge by a few ulps so that 2.675 stored as 2.67499… is treated as
    // the exact decimal 2.675 it stands for, as DfE's tools (which round
    // the exact decimal) do.
    let scaled = x * f
    let nudged = scaled + (scaled >= 0 ? 1 : -1) * abs(scaled) * 4 * Double.ulpOfOne
    switch rule {
    case .halfUp:
      return (nudged >= 0 ? (nudged + 0.5).rounded(.down) : -((-nudged + 0.5).rounded(.down))) / f
    case .halfEven:
      // Ties are exact halves of the scaled value (within the nudge).
      let floor = scaled.rounded(.down)
      let fraction = scaled - floor
      if abs(fraction - 0.5) <= abs(scaled) * 8 * Double.ulpOfOne {
        return (floor.truncatingRemainder(dividingBy: 2) == 0 ? floor : floor + 1) / f
      }
      return scaled.rounded(.toNearestOrAwayFromZero) / f
    }
  }
}
