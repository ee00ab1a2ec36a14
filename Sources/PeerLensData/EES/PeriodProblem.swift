import Foundation

/// A period in a DfE file that cannot be right: outside any plausible
/// range (a `9999` row), or reported by only a handful of authorities
/// when the file's other periods cover most of England.
///
/// Either would otherwise become "the latest year" of every indicator
/// read from the file: one row dated 9999 made Rutland's pack say "data
/// to 9999".
public struct PeriodProblem: Sendable, Equatable, CustomStringConvertible {
  public enum Kind: Sendable, Equatable {
    case outOfRange(plausible: ClosedRange<Int>)
    /// `authorities` report the period; the best-covered period has `typical`.
    case sparse(authorities: Int, typical: Int)
  }

  public let file: String
  /// The period as published (`time_period`).
  public let period: String
  /// The lines of its rows (the first few, for messages).
  public let lines: [Int]
  public let rowCount: Int
  public let kind: Kind

  public var description: String { "\(file): \(detail)" }

  /// What is wrong, without the file's name: for messages that name the
  /// file themselves (`ingest`, `data import`).
  public var detail: String {
    let shown = lines.prefix(10).map(String.init).joined(separator: ", ") + (rowCount > 10 ? ", …" : "")
    switch kind {
    case .outOfRange(let r):
      return "period '\(ErrorText.quoted(period))' is outside the plausible range \(r.lowerBound)–\(r.upperBound) "
        + "(\(rowCount) row(s), lines \(shown))."
    case .sparse(let n, let typical):
      return "period '\(ErrorText.quoted(period))' is reported by only \(n) authorit\(n == 1 ? "y" : "ies") "
        + "(the best-covered period has \(typical)); a partial period would be taken as the latest year (lines \(shown))."
    }
  }

  /// The years a DfE period can plausibly end in: children's social care
  /// statistics start in the 1990s, and no release reports beyond next year.
  public static func plausibleYears(now: Date = Date()) -> ClosedRange<Int> {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    return 1990...(calendar.component(.year, from: now) + 1)
  }

  /// A period is sparse when fewer than a quarter of the authorities of
  /// the file's best-covered period report it (only judged when that
  /// period has at least 20 authorities).
  public static func find(in file: EESFile, plausible: ClosedRange<Int> = plausibleYears()) -> [PeriodProblem] {
    var rowsByPeriod: [TimePeriod: [Int]] = [:]
    var authorities: [TimePeriod: Set<String>] = [:]
    for r in file.rows {
      rowsByPeriod[r.period, default: []].append(file.table.lineNumbers[r.index])
      if r.level == .localAuthority { authorities[r.period, default: []].insert(r.areaCode) }
    }
    let typical = authorities.values.map(\.count).max() ?? 0
    var out: [PeriodProblem] = []
    for (period, lines) in rowsByPeriod.sorted(by: { $0.key < $1.key }) {
      let code = period.code
      if !plausible.contains(period.endYear) {
        out.append(PeriodProblem(file: file.name, period: code, lines: Array(lines.prefix(10)), rowCount: lines.count,
                                 kind: .outOfRange(plausible: plausible)))
      } else if typical >= 20, let n = authorities[period]?.count, n * 4 < typical {
        out.append(PeriodProblem(file: file.name, period: code, lines: Array(lines.prefix(10)), rowCount: lines.count,
                                 kind: .sparse(authorities: n, typical: typical)))
      }
    }
    return out
  }
}
