import Foundation
import PeerLensStatistics

/// Why `data import` refused its input. Every case names the file and what
/// was expected; an import that throws leaves the store and the data
/// directory exactly as they were.
public enum ImportError: Error, LocalizedError, Sendable, Equatable {
  case missingInput(path: String)
  /// The path is a folder: `data import` takes a ZIP or CSV files, and
  /// "no such file" would send the reader looking for a path that exists.
  case inputIsFolder(path: String)
  case unreadableZIP(path: String, reason: String)
  case noCSV(path: String, entries: [String])
  /// No catalogue file has these columns; `closest` is the nearest layout.
  case unknownLayout(file: String, closest: String, missing: [String])
  /// The columns of a catalogue file, but one or more of them missing.
  case missingColumns(file: String, layout: String, missing: [String])
  /// The columns fit several catalogue files and the filter values do not decide.
  case ambiguousLayout(file: String, candidates: [String])
  /// Two inputs are the same catalogue file.
  case duplicateTarget(layout: String, files: [String])
  /// The file has the right columns but fails `data check`'s rules.
  case invalidFile(file: String, layout: String, reason: String)
  case notWritable(path: String, reason: String)
  /// The data with the imported files in place fails a check across files
  /// (a count that contradicts its own published rate): `problems` are
  /// the checks' own sentences.
  case inconsistentData(files: [String], problems: [String])
  case unknownVintage(String, available: [String])
  case missingVintageFolder(vintage: Int64, path: String)
  /// A vintage stored from a folder the user named, whose DfE files have changed since.
  case changedVintageFolder(vintage: Int64, label: String, path: String, files: [String])

  public var errorDescription: String? {
    switch self {
    case .missingInput(let p):
      return "Cannot read \(p): no such file. Give the ZIP from a release's \"Download all data\" link, or its CSV files."
    case .inputIsFolder(let p):
      return "\(p) is a folder, not a file. Give the ZIP from a release's \"Download all data\" link, or the CSV files in the folder (\(p)/*.csv). Nothing was imported."
    case .unreadableZIP(let p, let r):
      return "\(p) is not a readable ZIP archive (\(r)). It may be truncated: download it again. Nothing was imported."
    case .noCSV(let p, let entries):
      let listed = entries.isEmpty ? "it is empty"
        : entries.allSatisfy({ $0.hasSuffix("/") }) ? "it holds only folders: " + Self.brief(entries)
        : "it holds " + Self.brief(entries)
      return "\(p) has no CSV file (\(listed)). Expected the ZIP from a release's \"Download all data\" link, with data/*.csv inside. Nothing was imported."
    case .unknownLayout(let f, let closest, let missing):
      return "\(f): its columns match no file PeerLens reads. The closest is \(closest), which also needs the columns \(Self.brief(missing)). Nothing was imported."
    case .missingColumns(let f, let layout, let missing):
      return "\(f) looks like \(layout) but lacks the column\(missing.count == 1 ? "" : "s") \(Self.brief(missing)). Nothing was imported."
    case .ambiguousLayout(let f, let c):
      return "\(f) has the columns of several files PeerLens reads (\(c.joined(separator: ", "))) and its filter values do not say which. Nothing was imported."
    case .duplicateTarget(let layout, let files):
      return "\(files.joined(separator: " and ")) are both \(layout): give one of them. Nothing was imported."
    case .invalidFile(let f, let layout, let r):
      return "\(f) (recognised as \(layout)) fails the data checks: \(r) Nothing was imported."
    case .notWritable(let p, let r):
      return "Cannot write to the data directory \(p): \(r). Set PEERLENS_DATA_HOME or --data-home to a writable folder. Nothing was imported."
    case .inconsistentData(let files, let problems):
      let more = problems.count > 1 ? " (and \(problems.count - 1) more: 'peerlens data check --data <folder>' lists them)" : ""
      return "\(files.joined(separator: ", ")): the data with \(files.count == 1 ? "this file" : "these files") in place contradicts itself: \(problems.first ?? "")\(more) Nothing was imported."
    case .unknownVintage(let v, let available):
      guard available.isEmpty else { return "No vintage '\(v)': the vintages are \(available.joined(separator: ", "))." }
      // Vintage 1 is the data in use before the first import, recorded by
      // that import: on a fresh install the name the README gives for
      // "the data before" does not exist yet, which is worth saying.
      return "No vintage '\(v)': no data has been imported yet, so there are no vintages; PeerLens reads the data embedded "
        + "in it (leave out --vintage). The first 'peerlens data import' records the data in use before it as vintage 1 "
        + "(see 'peerlens data import --help')."
    case .missingVintageFolder(let id, let p):
      return "The data folder of vintage \(id) is missing (\(p)). Import the release again, or name another vintage."
    case .changedVintageFolder(let id, let label, let p, let files):
      // The data in use at the first import is labelled with its folder: named once.
      let named = label == p ? "Vintage \(id)" : "Vintage \(id) (\(label))"
      return "\(named) was stored from the folder \(p), whose files have changed since: "
        + "\(EnglishList.first(8, of: files)). Its figures would no longer be those stored as the vintage. "
        + "To read the folder as it is now, give --data \(p); or name another vintage."
    }
  }

  /// At most eight names, then a count, so a message stays readable.
  static func brief(_ names: [String]) -> String {
    EnglishList.first(8, of: names.map { "'\(String($0.prefix(80)))'" })
  }
}
