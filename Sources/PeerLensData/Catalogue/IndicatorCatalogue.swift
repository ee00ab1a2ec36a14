import Foundation
import TOMLKit

/// The indicator catalogue, read from `Models/indicators.toml`.
///
/// The catalogue is data: adding an indicator means adding a table to the
/// file, with no code change. Each entry says what the indicator means
/// (title, framework area, polarity, description, caveats) and how to
/// compute it (numerator and denominator sources with filters), so every
/// report reads the same definition.
public struct IndicatorCatalogue: Sendable {
  public let frameworks: [FrameworkArea]
  public let indicators: [Indicator]
  public let notComputable: [UncomputableIndicator]

  struct File: Codable {
    let framework: [FrameworkArea]
    let indicator: [Indicator]
    let not_computable: [UncomputableIndicator]?
  }

  public init(frameworks: [FrameworkArea], indicators: [Indicator], notComputable: [UncomputableIndicator]) {
    self.frameworks = frameworks
    self.indicators = indicators
    self.notComputable = notComputable
  }

  /// Parses catalogue TOML text.
  /// - Throws: `CatalogueError` naming the file and what is wrong.
  public static func parse(_ text: String, source: String) throws -> IndicatorCatalogue {
    let file = try TOMLFile.decode(File.self, from: text, source: source)
    var seen = Set<String>()
    for i in file.indicator {
      guard seen.insert(i.id).inserted else { throw CatalogueError.duplicateID(file: source, id: i.id) }
      guard file.framework.contains(where: { $0.id == i.framework }) else {
        throw CatalogueError.unknownFramework(file: source, id: i.id, framework: i.framework)
      }
      guard i.hasCounts || i.published != nil else {
        throw CatalogueError.invalidEntry(file: source, reason: "indicator '\(i.id)' needs a numerator and denominator, or a published value")
      }
    }
    return IndicatorCatalogue(frameworks: file.framework, indicators: file.indicator,
                              notComputable: file.not_computable ?? [])
  }

  public static func load(from url: URL) throws -> IndicatorCatalogue {
    let text: String
    do { text = try String(contentsOf: url, encoding: .utf8) } catch {
      throw CatalogueError.reading(url)
    }
    return try parse(text, source: url.lastPathComponent)
  }

  public func indicator(id: String) -> Indicator? { indicators.first { $0.id == id } }

  /// The columns the indicators read from each DfE file (numerators,
  /// denominators, published figures and what they subtract), by file
  /// name: the cells the checks hold to being numbers of zero or more.
  public var columnsRead: [String: Set<String>] {
    var out: [String: Set<String>] = [:]
    for ind in indicators {
      out.merge(ind.columnsRead) { $0.union($1) }
    }
    return out
  }

  public func framework(id: String) -> FrameworkArea? { frameworks.first { $0.id == id } }
}

/// Problems with a catalogue or model specification file.
public enum CatalogueError: Error, LocalizedError, Equatable, Sendable {
  /// The file exists and cannot be read as text: why, in words.
  case unreadable(file: String, reason: String)
  /// No file at the path; `suggestion` is the nearest `.toml` file in
  /// the same folder, for a slip such as `cla_rates.toml`.
  case missingFile(file: String, suggestion: String?)
  case invalidTOML(file: String, line: Int, reason: String)
  case invalidEntry(file: String, reason: String)
  case duplicateID(file: String, id: String)
  case unknownFramework(file: String, id: String, framework: String)
  case unknownIndicator(id: String, known: [String])

  public var errorDescription: String? {
    switch self {
    case .unreadable(let f, let r): return "\(f): cannot read the file (\(r))."
    case .missingFile(let f, let s): return "\(f): no such file.\(s.map { " Did you mean \(ErrorText.quoted($0))?" } ?? "")"
    case .invalidTOML(let f, let l, let r): return "\(f), line \(l): not valid TOML (\(r))."
    case .invalidEntry(let f, let r): return "\(f): \(r)."
    case .duplicateID(let f, let id): return "\(f): the indicator id '\(id)' is used twice."
    case .unknownFramework(let f, let id, let fw): return "\(f): indicator '\(id)' names framework area '\(fw)', which is not defined."
    case .unknownIndicator(let id, let known):
      return "No indicator '\(ErrorText.quoted(id))' in the catalogue.\(NameSuggestion.hint(for: id, among: known)) "
        + "Known indicators: \(known.joined(separator: ", "))."
    }
  }
}

extension CatalogueError {
  /// The error for a specification file that could not be read. One that
  /// is not there is said to be missing, with the nearest `.toml` name in
  /// its folder: "cannot read the file" read like a permissions problem
  /// when the name had a slip in it.
  public static func reading(_ url: URL) -> CatalogueError {
    let fm = FileManager.default
    var isFolder: ObjCBool = false
    if fm.fileExists(atPath: url.path, isDirectory: &isFolder) {
      // Each said only "cannot read the file"; the CSV readers said why.
      if isFolder.boolValue { return .unreadable(file: url.path, reason: "it is a folder, not a file") }
      guard let data = fm.contents(atPath: url.path) else { return .unreadable(file: url.path, reason: "permission denied") }
      if String(data: data, encoding: .utf8) == nil {
        let at = Self.firstInvalidUTF8(data)
        return .unreadable(file: url.path, reason: "it is not UTF-8 text: the byte 0x\(String(format: "%02X", data[at])) at offset \(at) "
          + "starts no UTF-8 character; a TOML file is UTF-8, so save it as such")
      }
      return .unreadable(file: url.path, reason: "reading it failed")
    }
    let folder = url.deletingLastPathComponent()
    let names = ((try? fm.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".toml") }
    let near = NameSuggestion.closest(to: url.lastPathComponent, among: names)
    return .missingFile(file: url.path, suggestion: near.map { folder.appendingPathComponent($0).path })
  }

  /// The offset of the first byte that is not part of a valid UTF-8
  /// sequence (the data must hold one).
  static func firstInvalidUTF8(_ data: Data) -> Int {
    let bytes = [UInt8](data)
    var i = 0
    while i < bytes.count {
      let b = bytes[i]
      let length = b < 0x80 ? 1 : b >> 5 == 0b110 ? 2 : b >> 4 == 0b1110 ? 3 : b >> 3 == 0b11110 ? 4 : 0
      guard length > 0, i + length <= bytes.count,
            bytes[(i + 1)..<(i + length)].allSatisfy({ $0 >> 6 == 0b10 }),
            String(bytes: bytes[i..<(i + length)], encoding: .utf8) != nil else { return i }
      i += length
    }
    return max(0, bytes.count - 1)
  }
}
