import Foundation
import PeerLensAnalysis
import PeerLensData
import PeerLensStatistics

/// The parsers that read what users hand PeerLens, as fuzz targets.
///
/// One function per target takes arbitrary bytes and must return normally:
/// an error thrown for bad input is the expected outcome, a crash, a hang
/// or unbounded memory is a bug. The libFuzzer harness (`Tests/Fuzz`) and
/// the corpus replay test (`FuzzCorpusReplayTests`) call the same
/// functions, so every input the fuzzer ever found stays a regression test.
public enum FuzzTarget: String, CaseIterable, Sendable {
  /// The CSV reader and the EES layout on top of it.
  case csv
  /// The formula parser, then the model frame and a least-squares fit on a
  /// small fixed table (the parse-and-fit path).
  case formula
  /// The TOML contextual-model specification loader.
  case modelSpec = "model-spec"
  /// DfE's statistical-neighbour list loader (2021 and 2025 layouts).
  case neighbours
  /// A release ZIP as `data import` reads it: the archive, each CSV in it
  /// (CRC-checked and bounded in size), then the CSV reader and EES layout.
  case eesZip = "ees-zip"

  /// Runs one input through the target and tells whether it was accepted
  /// all the way through. Errors are swallowed: they are the correct
  /// response to bad input.
  @discardableResult
  public func run(_ data: Data) -> Bool {
    switch self {
    case .csv: return Self.csv(data)
    case .formula: return Self.formula(data)
    case .modelSpec: return Self.viaFile(data, suffix: ".toml") { _ = try ContextModelSpec.load(from: $0) }
    case .neighbours: return Self.viaFile(data, suffix: ".csv") { _ = try OfficialNeighbourList.load(from: $0) }
    case .eesZip: return Self.eesZip(data)
    }
  }

  static func csv(_ data: Data) -> Bool {
    guard let table = try? CSVReader.parse(data, source: "fuzz.csv") else { return false }
    guard let ees = try? EESFile(table: table) else { return true }
    _ = FileCheck.check(ees, registry: nil)
    return true
  }

  static func eesZip(_ data: Data) -> Bool {
    guard let members = try? ReleaseImport.csvMembers(of: data, path: "fuzz.zip") else { return false }
    for (_, bytes) in members { _ = csv(bytes) }
    return true
  }

  /// A small table with numeric and categorical columns for formulas to
  /// refer to.
  static let table: CSVTable? = try? CSVReader.parse(
    """
    y,x,z,w,a,b,n,k
    1.5,1,2,1,p,u,10,3
    2.5,2,1,2,q,v,12,5
    2.0,3,4,1,r,u,9,2
    4.5,4,3,2,p,v,15,7
    3.0,5,6,1,q,u,11,4
    6.5,6,5,3,r,v,20,9
    5.0,7,8,1,p,u,14,6
    7.5,8,7,2,q,v,18,8
    """, source: "fuzz-table.csv")

  static func formula(_ data: Data) -> Bool {
    let text = String(decoding: data.prefix(1 << 20), as: UTF8.self)
    guard let table, let parsed = try? FormulaParser.parse(text, columns: table.columnNames, weights: "w") else {
      return false
    }
    guard let frame = try? ModelFrame.build(formula: parsed, table: table) else { return false }
    if case .values(let y)? = frame.response {
      return (try? LinearModel().fit(frame.design, response: y, weights: frame.weights, offset: frame.offset)) != nil
    }
    return true
  }

  /// The loaders read files, so the input goes through a temporary file
  /// (in memory where `/dev/shm` exists).
  static func viaFile(_ data: Data, suffix: String, _ body: (URL) throws -> Void) -> Bool {
    let fm = FileManager.default
    let base = fm.fileExists(atPath: "/dev/shm") ? URL(fileURLWithPath: "/dev/shm") : fm.temporaryDirectory
    let url = base.appendingPathComponent("peerlens-fuzz-\(getpid())-\(UUID().uuidString)\(suffix)")
    guard (try? data.write(to: url)) != nil else { return false }
    defer { try? fm.removeItem(at: url) }
    return (try? body(url)) != nil
  }
}
