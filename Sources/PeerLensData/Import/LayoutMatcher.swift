import Foundation

/// Recognises which catalogue file a downloaded CSV is, from its columns
/// rather than its name: DfE renames files between releases, and users
/// rename downloads.
///
/// A CSV is a catalogue file when it holds every column of that file (a new
/// release may add columns). Where the columns of two files are the same
/// (care leavers' accommodation and activity, say), the values of the filter
/// columns decide: the file whose filter values the CSV shares most.
public struct LayoutMatcher: Sendable {
  /// One file PeerLens reads under `dfe/`, by its columns.
  public struct Layout: Sendable {
    public let name: String
    public let columns: Set<String>
    let url: URL
  }

  /// What a CSV was recognised as.
  public enum Recognition: Sendable, Equatable {
    case layout(String)
    /// No layout fits; the closest and the columns it would still need.
    case unknown(closest: String, missing: [String], overlap: Double)
    case ambiguous([String])
  }

  public let layouts: [Layout]

  /// The layouts of every CSV under the mirror's `dfe/` folder.
  public init(mirror: DataMirror) throws {
    var layouts: [Layout] = []
    for name in try mirror.eesFileNames() {
      let url = mirror.url("dfe/" + name)
      layouts.append(Layout(name: name, columns: Set(try Self.header(of: url)), url: url))
    }
    self.layouts = layouts
  }

  /// The column names of a CSV file (its first line, BOM removed).
  static func header(of url: URL) throws -> [String] {
    guard let handle = try? FileHandle(forReadingFrom: url) else { throw DataError.missingFile(path: url.path) }
    defer { try? handle.close() }
    var head = handle.readData(ofLength: 65_536)
    if let nl = head.firstIndex(of: 0x0A) { head = head[..<nl] }
    let table = try CSVReader.parse(Data(head) + Data("\n".utf8), source: url.lastPathComponent, allowDuplicateColumns: true)
    return table.columnNames
  }

  /// Recognises a parsed CSV.
  public func recognise(_ table: CSVTable) -> Recognition {
    let columns = Set(table.columnNames.map { $0.trimmingCharacters(in: .whitespaces) })
    let candidates = layouts.filter { $0.columns.isSubset(of: columns) }
    if candidates.count == 1 { return .layout(candidates[0].name) }
    if candidates.count > 1 { return disambiguate(table, candidates) }
    // Nothing fits: the layout sharing the largest share of its columns.
    let scored = layouts.map { l -> (Layout, Double) in
      (l, Double(l.columns.intersection(columns).count) / Double(max(1, l.columns.count)))
    }
    guard let best = scored.max(by: { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0.name > $1.0.name) }) else {
      return .unknown(closest: "(none: the data folder has no DfE files)", missing: [], overlap: 0)
    }
    return .unknown(closest: best.0.name, missing: best.0.columns.subtracting(columns).sorted(), overlap: best.1)
  }

  private func disambiguate(_ table: CSVTable, _ candidates: [Layout]) -> Recognition {
    let incoming = Self.filterValues(table)
    var scores: [(String, Int)] = []
    for c in candidates {
      guard let known = try? CSVReader.read(contentsOf: c.url, source: c.name) else { continue }
      let values = Self.filterValues(known)
      let shared = values.reduce(0) { sum, entry in sum + (incoming[entry.key]?.intersection(entry.value).count ?? 0) }
      scores.append((c.name, shared))
    }
    // Highest score first; a tie between the top two is ambiguous.
    scores.sort { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
    guard let top = scores.first, top.1 > 0 else { return .ambiguous(candidates.map(\.name).sorted()) }
    if scores.count > 1, scores[1].1 == top.1 { return .ambiguous(scores.filter { $0.1 == top.1 }.map(\.0)) }
    return .layout(top.0)
  }

  /// The distinct text values of each filter column: columns beyond the
  /// standard geography and time ones whose cells are words, not numbers.
  static func filterValues(_ table: CSVTable) -> [String: Set<String>] {
    var out: [String: Set<String>] = [:]
    for (j, name) in table.columnNames.enumerated() where !FileCheck.standardColumns.contains(name) {
      var values = Set<String>()
      var words = 0
      for cell in table.cells[j] {
        if values.insert(cell).inserted, Double(cell) == nil, cell.count > 2 { words += 1 }
        if values.count > 2_000 { break }
      }
      if words > 0 && values.count <= 2_000 { out[name] = values }
    }
    return out
  }
}
