import Foundation

/// The DfE Children's Services statistical neighbours in the DfE layout:
/// `LA num, LA Name, LA number, GOInd, GOReg, SN1, SNP, SN2, SNP, …,
/// SN10, SNP` (old 3-digit codes, closest first; each followed by a
/// closeness band), with a byte-order mark and a trailing empty column.
///
/// Lists are on the boundaries of their release, so `mapped(to:)` carries
/// them onto current authorities: an authority created since takes its
/// predecessor's list, and an abolished neighbour is replaced by its
/// successors (keeping the closest ten, without repeats).
public struct OfficialNeighbourList: Sendable {
  public struct Entry: Sendable, Equatable {
    public let oldCode: String
    public let name: String
    /// Neighbours' old codes, closest first, with their closeness bands.
    public let neighbours: [(oldCode: String, band: String)]

    public static func == (a: Entry, b: Entry) -> Bool {
      a.oldCode == b.oldCode && a.neighbours.map(\.oldCode) == b.neighbours.map(\.oldCode)
    }
  }

  public let source: String
  public let entries: [Entry]

  public static func load(from url: URL) throws -> OfficialNeighbourList {
    let t = try CSVReader.read(contentsOf: url, source: url.lastPathComponent, allowDuplicateColumns: true)
    guard let codeColumn = t.columnNames.firstIndex(of: "LA num") ?? t.columnNames.firstIndex(of: "LA number"),
          let nameColumn = t.columnNames.firstIndex(of: "LA Name") ?? t.columnNames.firstIndex(of: "LA name") else {
      throw CSVError.missingColumn(file: t.source, name: "LA num", available: t.columnNames)
    }
    var snColumns: [(Int, Int?)] = []
    for k in 1...10 {
      guard let j = t.columnNames.firstIndex(of: "SN\(k)") else {
        throw CSVError.missingColumn(file: t.source, name: "SN\(k)", available: t.columnNames)
      }
      let band = j + 1 < t.columnNames.count && t.columnNames[j + 1].hasPrefix("SNP") ? j + 1 : nil
      snColumns.append((j, band))
    }
    var entries: [Entry] = []
    for i in 0..<t.rowCount {
      let code = t.cells[codeColumn][i].trimmingCharacters(in: .whitespaces)
      guard !code.isEmpty else { continue }
      let list = snColumns.compactMap { (j, b) -> (String, String)? in
        let c = t.cells[j][i].trimmingCharacters(in: .whitespaces)
        guard !c.isEmpty else { return nil }
        return (c, b.map { t.cells[$0][i].trimmingCharacters(in: .whitespaces) } ?? "")
      }
      entries.append(Entry(oldCode: code, name: t.cells[nameColumn][i], neighbours: list.map { (oldCode: $0.0, band: $0.1) }))
    }
    return OfficialNeighbourList(source: url.lastPathComponent, entries: entries)
  }

  /// Each current authority's neighbours as current `new_la_code`s,
  /// closest first, with bands.
  public func mapped(to registry: AuthorityRegistry) -> [String: [(code: String, band: String)]] {
    // Old code → entry; for old codes reused after recoding, the entry is
    // the same list.
    let byOld = Dictionary(entries.map { ($0.oldCode, $0) }, uniquingKeysWith: { a, _ in a })
    var out: [String: [(code: String, band: String)]] = [:]
    for a in registry.current {
      var entry = byOld[a.oldCode]
      if entry == nil {
        // A new authority: use the first predecessor that has a list.
        for p in registry.predecessors(of: a.code) { if let e = byOld[p.oldCode] { entry = e; break } }
      }
      guard let entry else { continue }
      var list: [(code: String, band: String)] = []
      for n in entry.neighbours {
        // The authority that number meant at the list's release (2021 for
        // this file; the latest otherwise), then its current successors.
        let meant = registry.authority(oldCode: n.oldCode, year: 2021) ?? registry.authority(oldCode: n.oldCode)
        guard let meant else { continue }
        for c in registry.currentSuccessors(of: meant.code) where c != a.code && !list.contains(where: { $0.code == c }) {
          list.append((c, n.band))
        }
      }
      out[a.code] = Array(list.prefix(10))
    }
    return out
  }
}

extension DataMirror {
  /// `neighbours/dfe_statistical_neighbours_2021.csv`, or another file in the same layout.
  public func officialNeighbours(file: URL? = nil) throws -> OfficialNeighbourList {
    try OfficialNeighbourList.load(from: file ?? url("neighbours/dfe_statistical_neighbours_2021.csv"))
  }
}
