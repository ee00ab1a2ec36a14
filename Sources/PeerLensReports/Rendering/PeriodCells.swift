import Foundation
import PeerLensData

/// A period in a workbook as two columns (issue 22.5):
///
/// - `time_period`: DfE's code (`2025`, `202425`) as a **number**, as in
///   DfE's files and `values.csv`, so the two can be joined; a code that
///   is not a number (`2024Q3`) stays text.
/// - `year_label`: the period as readers write it (`2025`, `2024/25`) as
///   **text**. Text order is time order ("2023/24" < "2024" < "2024/25"
///   < "2025"), so this is the column to sort or chart by; the numeric
///   codes mix four- and six-digit forms and do not sort in time order.
enum PeriodCells {
  /// A CSV header with `year_label` after `time_period` (CSV files keep
  /// DfE's code alone, as `values.csv` does).
  static func workbookHeader(_ header: [String]) -> [String] {
    header.flatMap { $0 == "time_period" ? ["time_period", "year_label"] : [$0] }
  }

  /// From DfE's code.
  static func code(_ code: String) -> [XLSXWorkbook.Cell] {
    let label = TimePeriod(code: code)?.label ?? code
    return [number(code), .string(label)]
  }

  /// From the label a pack shows ("2024/25" → 202425).
  static func label(_ label: String) -> [XLSXWorkbook.Cell] {
    [number(code(fromLabel: label)), .string(label)]
  }

  /// DfE's code for the label a pack shows ("2024/25" → "202425"; "2025"
  /// stays): what CSV files carry in `time_period`.
  static func code(fromLabel label: String) -> String {
    let parts = label.split(separator: "/", omittingEmptySubsequences: false)
    if parts.count == 2, parts[0].count == 4, parts[1].count == 2 { return String(parts[0] + parts[1]) }
    return label
  }

  /// All ASCII digits: a number cell; anything else: text (empty stays empty).
  static func number(_ code: String) -> XLSXWorkbook.Cell {
    guard !code.isEmpty, code.allSatisfy({ $0.isASCII && $0.isNumber }), let x = Double(code) else {
      return .string(code)
    }
    return .number(x)
  }
}
