import Foundation

/// The rows of one time series put in time order, or the reason they
/// cannot be.
///
/// Sorting period codes as text puts `2023-10` before `2023-2`, and a
/// series that mixes years with months has no single time axis, so each
/// period is parsed in its own format and a series must keep to one format
/// and name each period once.
public enum PeriodSeries {
  /// The row indices of a series in time order.
  ///
  /// - Parameters:
  ///   - rows: indices into `codes` (the series' rows, in file order).
  ///   - codes: the period column, for every row of the file.
  ///   - identifiers: the `time_identifier` column, if there is one.
  ///   - lines: the physical line of each row, for messages.
  ///   - file, column: named in messages.
  public static func ordered(rows: [Int], codes: [String], identifiers: [String]?, lines: [Int],
                             file: String, column: String) throws(PeriodSeriesError) -> [Int] {
    var parsed: [(row: Int, period: TimePeriod)] = []
    parsed.reserveCapacity(rows.count)
    var firstLineOf: [TimePeriod: Int] = [:]
    for i in rows {
      guard let p = TimePeriod(code: codes[i], identifier: identifiers?[i]) else {
        throw .unparsable(file: file, line: lines[i], column: column, text: ErrorText.quoted(codes[i]))
      }
      if let first = parsed.first, first.period.kind != p.kind {
        throw .mixedFormats(file: file, column: column, firstLine: lines[first.row], firstText: ErrorText.quoted(codes[first.row]),
                            firstKind: first.period.kind.rawValue, line: lines[i], text: ErrorText.quoted(codes[i]),
                            kind: p.kind.rawValue)
      }
      if let earlier = firstLineOf[p] {
        throw .duplicate(file: file, column: column, period: p.label, firstLine: earlier, line: lines[i])
      }
      firstLineOf[p] = lines[i]
      parsed.append((i, p))
    }
    return parsed.sorted { $0.period < $1.period }.map(\.row)
  }

  /// Each period's place on its time axis, counting the periods that have
  /// no row, for a series already in time order (`ordered`).
  ///
  /// Why: a period missing from the file is a gap in the series, as a
  /// suppressed value is; laid end to end, the rows either side of it would
  /// be compared as neighbours (an SPC moving range across two periods).
  /// - Returns: `at[k]`, the place of the k-th period; `length`, the
  ///   places in all; `absent`, each run of missing periods in words
  ///   ("between 2008 and 2010").
  public static func places(of periods: [TimePeriod]) -> (at: [Int], length: Int, absent: [String]) {
    var at: [Int] = [], absent: [String] = []
    var place = 0
    for (k, p) in periods.enumerated() {
      if k > 0 {
        let a = periods[k - 1], missing = p.step - a.step - 1
        if missing > 0 {
          place += missing
          absent.append((missing == 1 ? "" : "\(missing) ") + "between \(a.label) and \(p.label)")
        }
        place += 1
      }
      at.append(place)
    }
    return (at, periods.isEmpty ? 0 : place + 1, absent)
  }
}

/// Why a period column cannot be put in time order.
public enum PeriodSeriesError: Error, Equatable, LocalizedError, Sendable {
  case unparsable(file: String, line: Int, column: String, text: String)
  case mixedFormats(file: String, column: String, firstLine: Int, firstText: String, firstKind: String,
                    line: Int, text: String, kind: String)
  case duplicate(file: String, column: String, period: String, firstLine: Int, line: Int)

  public var errorDescription: String? {
    switch self {
    case .unparsable(let f, let l, let c, let t):
      return "\(f), line \(l), column '\(c)': expected a period such as 2025, 202425, 2024/25, 2024Q3 or 2023-7, found '\(t)'."
    case .mixedFormats(let f, let c, let fl, let ft, let fk, let l, let t, let k):
      return "\(f), line \(l), column '\(c)': the series mixes period formats: '\(ft)' (\(fk.lowercased()), line \(fl)) "
        + "and '\(t)' (\(k.lowercased())). A series needs one kind of period to have one time axis."
    case .duplicate(let f, let c, let p, let fl, let l):
      return "\(f), line \(l), column '\(c)': the period \(p) appears again in the same series (first at line \(fl))."
    }
  }
}
