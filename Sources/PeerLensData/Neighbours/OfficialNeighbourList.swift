import Foundation
import PeerLensStatistics

/// DfE's Children's Services statistical neighbours, in either of the two
/// layouts DfE has published (told apart by the header):
///
/// - **2021** (April 2021 release, old boundaries): `LA num, LA Name,
///   LA number, GOInd, GOReg, SN1, SNP, SN2, SNP, …, SN10, SNP`, with a
///   byte-order mark and a trailing empty column.
/// - **2025** (the 2025 model, current boundaries, as the DfE dashboard
///   and LAIT hold it): `old_la_code, la_name, region_ind, region_name,
///   SN_1, SN_1P, …, SN_10, SN_10P`, with a byte-order mark; some
///   closeness labels carry a trailing space and the bands include
///   "Extremely close".
///
/// Neighbours are old 3-digit codes, closest first, each followed by a
/// closeness band. A list is on the boundaries of its release, so
/// `mapped(to:)` reads each number as it was meant in the list's year and
/// carries it onto current authorities: an authority created since takes
/// its predecessor's list, and an abolished neighbour is replaced by its
/// successors (keeping the closest ten, without repeats).
public struct OfficialNeighbourList: Sendable {
  public struct Entry: Sendable, Equatable {
    public let oldCode: String
    public let name: String
    /// Neighbours' old codes, closest first, with their closeness bands.
    public let neighbours: [(oldCode: String, band: String)]
    /// The entry's line in the file (1 = the header), for messages.
    public var line: Int = 0

    public static func == (a: Entry, b: Entry) -> Bool {
      a.oldCode == b.oldCode && a.neighbours.map(\.oldCode) == b.neighbours.map(\.oldCode)
        && a.neighbours.map(\.band) == b.neighbours.map(\.band)
    }
  }

  /// The two layouts DfE has published.
  public enum Layout: String, Sendable {
    case dfe2021, dfe2025
  }

  /// The file name the list was read from.
  public let source: String
  /// The year of the list (`"2021"`, `"2025"`): the boundaries its old
  /// codes refer to, and the year readers know it by.
  public let release: String
  public let layout: Layout
  public let entries: [Entry]

  /// The list as a reader knows it ("DfE statistical neighbours, 2025 model").
  public var label: String {
    switch layout {
    case .dfe2025: return "DfE statistical neighbours, \(release) model"
    case .dfe2021: return "DfE statistical neighbours, \(release) release"
    }
  }

  /// The label with the file it came from, as packs name it.
  public var description: String { "\(label) (\(source))" }

  /// The lists in the data folder that `--neighbours` accepts by year, the
  /// default first.
  public static let builtIn: [(release: String, path: String)] = [
    ("2025", "neighbours/dfe_statistical_neighbours_2025.csv"),
    ("2021", "neighbours/dfe_statistical_neighbours_2021.csv"),
  ]

  public static func load(from url: URL) throws -> OfficialNeighbourList {
    let t = try CSVReader.read(contentsOf: url, source: url.lastPathComponent, allowDuplicateColumns: true)
    let layout: Layout
    let codeColumn: Int, nameColumn: Int
    if let c = t.columnNames.firstIndex(of: "old_la_code"), t.columnNames.contains("SN_1") {
      layout = .dfe2025
      codeColumn = c
      nameColumn = t.columnNames.firstIndex(of: "la_name") ?? c
    } else if let c = t.columnNames.firstIndex(of: "LA num") ?? t.columnNames.firstIndex(of: "LA number"),
              t.columnNames.contains("SN1") {
      layout = .dfe2021
      codeColumn = c
      nameColumn = t.columnNames.firstIndex(of: "LA Name") ?? t.columnNames.firstIndex(of: "LA name") ?? c
    } else {
      throw DataError.invalid(
        "\(t.source) is not a DfE statistical neighbour list: expected the 2025 layout (old_la_code, la_name, SN_1, SN_1P, …, SN_10, SN_10P) "
          + "or the 2021 layout (LA num, LA Name, SN1, SNP, …, SN10, SNP); the header has \(t.columnNames.prefix(8).joined(separator: ", "))"
          + (t.columnNames.count > 8 ? ", …" : "") + ".")
    }
    var snColumns: [(Int, Int?)] = []
    for k in 1...10 {
      let name = layout == .dfe2025 ? "SN_\(k)" : "SN\(k)"
      guard let j = t.columnNames.firstIndex(of: name) else {
        throw CSVError.missingColumn(file: t.source, name: name, available: t.columnNames)
      }
      let bandName = layout == .dfe2025 ? "SN_\(k)P" : "SNP"
      let band = j + 1 < t.columnNames.count && t.columnNames[j + 1].hasPrefix(bandName) ? j + 1 : nil
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
      entries.append(Entry(oldCode: code, name: t.cells[nameColumn][i].trimmingCharacters(in: .whitespaces),
                           neighbours: list.map { (oldCode: $0.0, band: $0.1) }, line: t.lineNumbers[i]))
    }
    return OfficialNeighbourList(source: url.lastPathComponent, release: release(of: url, layout: layout),
                                 layout: layout, entries: entries)
  }

  /// The list's year: a year in the file name (`…_2025.csv`), else the
  /// year of its layout.
  static func release(of url: URL, layout: Layout) -> String {
    let name = url.deletingPathExtension().lastPathComponent
    // Years of DfE's lists only (they begin in the 2000s): a run of digits
    // such as a UUID's "1973" is not a year.
    let years = name.split { !$0.isNumber }.filter { $0.count == 4 && $0.hasPrefix("20") }
    if let y = years.last { return String(y) }
    return layout == .dfe2025 ? "2025" : "2021"
  }

  /// What in the list cannot be what DfE meant, in words with the line:
  /// a number that names no authority in the list's year, an authority
  /// listed as its own neighbour or twice in one row, a row with fewer
  /// than ten neighbours, an authority given two rows, and current authorities the list gives no
  /// neighbours (nor to a predecessor). DfE's own lists have none.
  ///
  /// Why: a list named with `--neighbours` is read as given, and each of
  /// these silently shortens or empties an authority's neighbour median.
  public func problems(registry: AuthorityRegistry) -> [String] {
    let year = Int(release)
    func known(_ old: String) -> Bool {
      (year.flatMap { registry.authority(oldCode: old, year: $0) } ?? registry.authority(oldCode: old)) != nil
    }
    var out: [String] = []
    for e in entries {
      let place = "\(source), line \(e.line)"
      if !known(e.oldCode) { out.append("\(place): '\(ErrorText.quoted(e.oldCode))' is no authority's number in \(release).") }
      var seen = Set<String>()
      for (k, n) in e.neighbours.enumerated() {
        let column = layout == .dfe2025 ? "SN_\(k + 1)" : "SN\(k + 1)"
        if n.oldCode == e.oldCode {
          out.append("\(place), \(column): \(e.name) (\(e.oldCode)) is listed as its own neighbour.")
        } else if !known(n.oldCode) {
          out.append("\(place), \(column): '\(ErrorText.quoted(n.oldCode))' is no authority's number in \(release).")
        } else if !seen.insert(n.oldCode).inserted {
          out.append("\(place), \(column): \(n.oldCode) is listed twice for \(e.name).")
        }
      }
      if e.neighbours.count < 10 {
        out.append("\(place): \(e.name) has \(e.neighbours.count) neighbours, where DfE lists ten.")
      }
    }
    // A second row for an authority: `mapped` reads the first, so a
    // second with other neighbours was ignored without a word.
    var first: [String: Entry] = [:]
    for e in entries {
      guard let earlier = first[e.oldCode] else { first[e.oldCode] = e; continue }
      let same = earlier.neighbours.map(\.oldCode) == e.neighbours.map(\.oldCode)
      out.append("\(source), line \(e.line): \(e.name) (\(e.oldCode)) is listed again, after line \(earlier.line), "
                 + (same ? "with the same neighbours." : "with different neighbours; the list on line \(earlier.line) is the one used."))
    }
    let listed = Set(entries.map(\.oldCode))
    let missing = registry.current.filter { a in
      !listed.contains(a.oldCode) && !registry.predecessors(of: a.code).contains { listed.contains($0.oldCode) }
    }
    if !missing.isEmpty {
      let names = EnglishList.first(8, of: missing.map(\.name))
      out.append("\(source): \(missing.count) current \(missing.count == 1 ? "authority has" : "authorities have") no neighbours in the list (\(names)); their neighbour medians are left empty.")
    }
    return out
  }

  /// Each current authority's neighbours as current `new_la_code`s,
  /// closest first, with bands.
  public func mapped(to registry: AuthorityRegistry) -> [String: [(code: String, band: String)]] {
    // Old code → entry; for old codes reused after recoding, the entry is
    // the same list.
    let byOld = Dictionary(entries.map { ($0.oldCode, $0) }, uniquingKeysWith: { a, _ in a })
    let year = Int(release)
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
        // The authority that number meant in the list's year (815 is
        // North Yorkshire county in a 2021 list, the unitary in a 2025
        // one), then its current successors.
        let meant = year.flatMap { registry.authority(oldCode: n.oldCode, year: $0) } ?? registry.authority(oldCode: n.oldCode)
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
  /// The official list a run uses: `choice` is a year DfE published a list
  /// in (`2025`, `2021`: the files in the data folder's `neighbours/`) or a
  /// path to a list in either DfE layout. Without a choice, the 2025 list
  /// (the one the DfE dashboard and LAIT use), or the 2021 list in a data
  /// folder that predates it.
  ///
  /// - Parameter option: the option `choice` came from, named in the
  ///   refusal of a choice that is neither a year nor a file (`packs` and
  ///   `serve` take `--neighbours`, `neighbours compare` takes `--official`:
  ///   a message naming the other option sends the reader to one that
  ///   command does not have).
  public func officialNeighboursURL(_ choice: String? = nil, option: String = "--neighbours") throws -> URL {
    let years = OfficialNeighbourList.builtIn
    guard let choice = choice?.trimmingCharacters(in: .whitespaces), !choice.isEmpty else {
      for y in years where FileManager.default.fileExists(atPath: url(y.path).path) { return url(y.path) }
      throw DataError.missingFile(path: url(years[0].path).path)
    }
    if let y = years.first(where: { $0.release == choice }) {
      let u = url(y.path)
      guard FileManager.default.fileExists(atPath: u.path) else { throw DataError.missingFile(path: u.path) }
      return u
    }
    var isDir: ObjCBool = false
    if FileManager.default.fileExists(atPath: choice, isDirectory: &isDir), !isDir.boolValue {
      return URL(fileURLWithPath: choice)
    }
    throw DataError.invalid(
      "No neighbour list '\(ErrorText.quoted(choice))': \(option) takes "
        + years.map { "\($0.release) (\($0.release == years[0].release ? "DfE's 2025 model, the default" : "DfE's \($0.release) release"))" }.joined(separator: ", ")
        + ", or the path of a list file in either DfE layout.")
  }

  /// The official list (see `officialNeighboursURL`): the default list, or
  /// a file in either DfE layout.
  public func officialNeighbours(file: URL? = nil) throws -> OfficialNeighbourList {
    try OfficialNeighbourList.load(from: file ?? officialNeighboursURL())
  }
}
