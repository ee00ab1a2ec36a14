import Foundation
import PeerLensData

/// The CSV reader as it was before issue 18 made it faster: a record array of
/// field strings, split first and then laid out by column. Kept verbatim as
/// the reference that the fast reader must agree with cell by cell, quote
/// flag by quote flag and line by line, on every file of the data.
enum ReferenceCSVReader {
  /// Reads and parses a file.
  /// - Parameter source: the name used in messages (default: the path).
  static func read(contentsOf url: URL, source: String? = nil,
                          allowDuplicateColumns: Bool = false) throws(CSVError) -> CSVTable {
    let name = source ?? url.path
    let data: Data
    do { data = try Data(contentsOf: url) } catch {
      throw .unreadable(file: url.path, reason: (error as NSError).localizedDescription)
    }
    return try parse(data, source: name, allowDuplicateColumns: allowDuplicateColumns)
  }

  /// Parses CSV text held in memory.
  static func parse(_ text: String, source: String) throws(CSVError) -> CSVTable {
    try parse(Data(text.utf8), source: source)
  }

  /// - Parameter allowDuplicateColumns: accept a header that repeats a
  ///   name (the DfE neighbour layout repeats `SNP`); such columns are
  ///   then read by position.
  static func parse(_ data: Data, source: String, allowDuplicateColumns: Bool = false) throws(CSVError) -> CSVTable {
    var bytes = [UInt8](data)
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
    guard String(validating: bytes, as: UTF8.self) != nil else { throw .invalidEncoding(file: source) }
    let records = try split(bytes, source: source)
    guard let header = records.first, !(header.fields.count == 1 && header.fields[0].text.isEmpty) else {
      throw .empty(file: source)
    }
    var names = header.fields.map { $0.text.trimmingCharacters(in: .whitespaces) }
    // A trailing empty header cell with empty cells below is a layout
    // artefact (rows ending in a comma), not a column.
    var dropTrailing = false
    if names.count > 1, names.last == "" { dropTrailing = true; names.removeLast() }
    var seen = Set<String>()
    for n in names where !n.isEmpty {
      if !seen.insert(n).inserted && !allowDuplicateColumns { throw .duplicateColumn(file: source, name: n) }
    }
    let width = names.count
    var columns = [[String]](repeating: [], count: width)
    var quoted = [[Bool]](repeating: [], count: width)
    var lines: [Int] = []
    for record in records.dropFirst() {
      var fields = record.fields
      if fields.count == 1 && fields[0].text.isEmpty && !fields[0].quoted { continue }  // blank line
      if dropTrailing && fields.count == width + 1 && fields[width].text.isEmpty { fields.removeLast() }
      guard fields.count == width else {
        throw .raggedRow(file: source, line: record.line, expected: width, found: fields.count)
      }
      for j in 0..<width {
        columns[j].append(fields[j].text)
        quoted[j].append(fields[j].quoted)
      }
      lines.append(record.line)
    }
    return CSVTable(source: source, columnNames: names, cells: columns, quoted: quoted, lineNumbers: lines)
  }

  struct Field { var text: String; var quoted: Bool }
  struct Record { var fields: [Field]; var line: Int }

  static func split(_ bytes: [UInt8], source: String) throws(CSVError) -> [Record] {
    // A buffer pointer, so each field's String is made by the contiguous
    // UTF-8 fast path (an ArraySlice takes a slow generic one).
    try bytes.withUnsafeBufferPointer { (b) throws(CSVError) -> [Record] in try split(b, source: source) }
  }

  static func split(_ b: UnsafeBufferPointer<UInt8>, source: String) throws(CSVError) -> [Record] {
    let quote: UInt8 = 0x22, comma: UInt8 = 0x2C, cr: UInt8 = 0x0D, lf: UInt8 = 0x0A
    var records: [Record] = []
    var fields: [Field] = []
    var line = 1
    var recordLine = 1
    var i = 0
    let n = b.count
    var fieldStart = 0
    func text(_ s: Int, _ e: Int) -> String { String(decoding: UnsafeBufferPointer(rebasing: b[s..<e]), as: UTF8.self) }
    while i <= n {
      // Start of a field.
      if i < n && b[i] == quote {
        var buf: [UInt8] = []
        let startLine = line
        i += 1
        while true {
          guard i < n else { throw .unterminatedQuote(file: source, line: startLine) }
          let c = b[i]
          if c == quote {
            if i + 1 < n && b[i + 1] == quote { buf.append(quote); i += 2; continue }
            i += 1
            break
          }
          if c == lf || (c == cr && !(i + 1 < n && b[i + 1] == lf)) { line += 1 }
          buf.append(c)
          i += 1
        }
        fields.append(Field(text: String(decoding: buf, as: UTF8.self), quoted: true))
        // After a closing quote: a separator, a line end or the end.
        if i < n && b[i] != comma && b[i] != cr && b[i] != lf {
          throw .unexpectedCharacterAfterQuote(file: source, line: startLine, column: fields.count)
        }
      } else {
        fieldStart = i
        while i < n && b[i] != comma && b[i] != cr && b[i] != lf { i += 1 }
        fields.append(Field(text: text(fieldStart, i), quoted: false))
      }
      if i >= n {
        if !(fields.count == 1 && fields[0].text.isEmpty && !fields[0].quoted) {
          records.append(Record(fields: fields, line: recordLine))
        }
        break
      }
      if b[i] == comma { i += 1; if i == n { fields.append(Field(text: "", quoted: false)) } else { continue } }
      if i < n && b[i] == cr { i += 1 }
      if i < n && b[i] == lf { i += 1 }
      records.append(Record(fields: fields, line: recordLine))
      fields = []
      line += 1
      recordLine = line
      if i >= n { break }
    }
    return records
  }
}
