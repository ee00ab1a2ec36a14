import Foundation

/// An RFC 4180 CSV reader that keeps what statistical reading needs and
/// general-purpose CSV packages drop: whether each field was quoted (a
/// quoted `"1"` is a category label, an unquoted `1` a number, as in R's
/// `read.csv` with `colClasses` from quoting) and the physical line each
/// row starts on (for error messages that point into the file).
///
/// Handles a UTF-8 byte-order mark, CRLF or LF line ends, quoted fields
/// with embedded commas, doubled quotes and newlines, a trailing empty
/// column on every row (the DfE neighbour file has one), and blank lines.
///
/// Why it is written the way it is (issue 18, reading the mirror at least
/// 1.5× as fast as pandas): the file is read once and parsed where it lies
/// (not memory-mapped: a file truncated by another program while mapped
/// would stop the process with a bus error instead of an error message); each
/// row's fields are first found as byte ranges in one reusable buffer and
/// become strings only once the row is known to be whole; and a cell whose
/// bytes repeat the cell above it (the area name, the period, the filter
/// labels of a tidy DfE file) shares that cell's string instead of
/// allocating its own, which also keeps the tables small in memory.
/// `DataMirror.preload` reads several files in parallel.
///
/// - Complexity: one pass over the bytes, plus one UTF-8 check that is a
///   word-at-a-time ASCII scan for the usual all-ASCII file.
public enum CSVReader {
  /// Reads and parses a file.
  /// - Parameter source: the name used in messages (default: the path).
  public static func read(contentsOf url: URL, source: String? = nil,
                          allowDuplicateColumns: Bool = false) throws(CSVError) -> CSVTable {
    let name = source ?? url.path
    // Foundation's own words for these ("NSCocoaErrorDomain error 256")
    // say nothing a person can act on.
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue {
      throw .notAFile(file: url.path)
    }
    let data: Data
    do { data = try Data(contentsOf: url) } catch {
      // Foundation will not read a pipe or a device (`--data <(…)`,
      // /dev/stdin, /dev/null) and calls it "permission denied": such a
      // file is read as a stream instead; a file truly unreadable fails
      // both ways and keeps the first reason.
      let original = error
      do {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        data = try handle.readToEnd() ?? Data()
      } catch {
        throw .unreadable(file: url.path, reason: FileErrorText.reason(original))
      }
    }
    return try parse(data, source: name, allowDuplicateColumns: allowDuplicateColumns)
  }

  /// Parses CSV text held in memory.
  public static func parse(_ text: String, source: String) throws(CSVError) -> CSVTable {
    try parse(Data(text.utf8), source: source)
  }

  /// - Parameter allowDuplicateColumns: accept a header that repeats a
  ///   name (the DfE neighbour layout repeats `SNP`); such columns are
  ///   then read by position.
  public static func parse(_ data: Data, source: String, allowDuplicateColumns: Bool = false) throws(CSVError) -> CSVTable {
    let parsed: Result<CSVTable, CSVError> = data.withUnsafeBytes { raw in
      var b = raw.bindMemory(to: UInt8.self)
      if b.count >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF { b = UnsafeBufferPointer(rebasing: b[3...]) }
      guard isValidUTF8(b) else {
        guard let at = firstInvalidUTF8(b) else { return .failure(.invalidEncoding(file: source)) }
        let bom = b.count == raw.count ? 0 : 3
        // Lines end in LF, CRLF or a lone CR (old Mac files), as the parser counts them.
        let before = UnsafeBufferPointer(rebasing: b[..<at])
        let line = 1 + before.indices.reduce(0) { count, k in
          before[k] == 0x0A || (before[k] == 0x0D && (k + 1 == before.count ? b[at] != 0x0A : before[k + 1] != 0x0A)) ? count + 1 : count
        }
        return .failure(.invalidEncodingAt(file: source, line: line, byteOffset: at + bom, byte: b[at]))
      }
      var parser = Parser(bytes: b, source: source)
      return Result { () throws(CSVError) -> CSVTable in try parser.table(allowDuplicateColumns: allowDuplicateColumns) }
    }
    return try parsed.get()
  }

  /// Whether the bytes are UTF-8: eight bytes at a time while they are
  /// ASCII, and the standard library's validation from the first byte
  /// that is not.
  static func isValidUTF8(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = b.baseAddress else { return true }
    let n = b.count
    var i = 0
    let high: UInt64 = 0x8080_8080_8080_8080
    while i + 8 <= n {
      if UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) & high != 0 { break }
      i += 8
    }
    while i < n && b[i] < 0x80 { i += 1 }
    if i == n { return true }
    // Everything before i is ASCII, so a sequence starts at i.
    return String(validating: UnsafeBufferPointer(rebasing: b[i...]), as: UTF8.self) != nil
  }

  /// The offset of the first byte that does not begin a well-formed UTF-8
  /// sequence (RFC 3629: no overlong forms, surrogates or code points past
  /// U+10FFFF), or nil if there is none. Only for the message once
  /// `isValidUTF8` has said no, so it is written for clarity, not speed.
  static func firstInvalidUTF8(_ b: UnsafeBufferPointer<UInt8>) -> Int? {
    var i = 0
    let n = b.count
    while i < n {
      let c = b[i]
      if c < 0x80 { i += 1; continue }
      // The sequence's length and the range its second byte may take.
      let length: Int, second: ClosedRange<UInt8>
      switch c {
      case 0xC2...0xDF: length = 2; second = 0x80...0xBF
      case 0xE0: length = 3; second = 0xA0...0xBF
      case 0xE1...0xEC, 0xEE...0xEF: length = 3; second = 0x80...0xBF
      case 0xED: length = 3; second = 0x80...0x9F
      case 0xF0: length = 4; second = 0x90...0xBF
      case 0xF1...0xF3: length = 4; second = 0x80...0xBF
      case 0xF4: length = 4; second = 0x80...0x8F
      default: return i
      }
      guard i + 1 < n, second.contains(b[i + 1]) else { return i }
      for k in 2..<length where !(i + k < n && (0x80...0xBF).contains(b[i + k])) { return i }
      i += length
    }
    return nil
  }
}

extension CSVReader {
  /// One field of the row being read, as a range of the file's bytes.
  struct Span {
    var start: Int
    var end: Int
    var quoted: Bool
    /// Quoted with doubled quotes inside, so the text is not the bytes as they stand.
    var escaped: Bool
  }

  /// The state of one pass over a file's bytes.
  struct Parser {
    let b: UnsafeBufferPointer<UInt8>
    let source: String
    var i = 0
    var line = 1
    var spans: [Span] = []

    init(bytes: UnsafeBufferPointer<UInt8>, source: String) {
      self.b = bytes
      self.source = source
      spans.reserveCapacity(64)
    }

    static let quote: UInt8 = 0x22, comma: UInt8 = 0x2C, cr: UInt8 = 0x0D, lf: UInt8 = 0x0A

    /// Reads the next record's fields into `spans`; returns the line it
    /// started on, or nil at the end of the bytes. A record that is a
    /// single empty unquoted field (a blank line) is returned as such.
    mutating func nextRecord() throws(CSVError) -> Int? {
      let n = b.count
      guard i < n else { return nil }
      spans.removeAll(keepingCapacity: true)
      let recordLine = line
      while true {
        if i < n && b[i] == Self.quote {
          let startLine = line
          i += 1
          let start = i
          var escaped = false
          while true {
            guard i < n else { throw .unterminatedQuote(file: source, line: startLine) }
            let c = b[i]
            if c == Self.quote {
              if i + 1 < n && b[i + 1] == Self.quote { escaped = true; i += 2; continue }
              break
            }
            // A line break inside quotes still moves the line count on: LF,
            // or a CR not followed by LF (a file with CR-only line ends).
            if c == Self.lf || (c == Self.cr && !(i + 1 < n && b[i + 1] == Self.lf)) { line += 1 }
            i += 1
          }
          spans.append(Span(start: start, end: i, quoted: true, escaped: escaped))
          i += 1
          // After a closing quote: a separator, a line end or the end.
          if i < n && b[i] != Self.comma && b[i] != Self.cr && b[i] != Self.lf {
            throw .unexpectedCharacterAfterQuote(file: source, line: startLine, column: spans.count)
          }
        } else {
          let start = i
          while i < n {
            let c = b[i]
            if c == Self.comma || c == Self.cr || c == Self.lf { break }
            i += 1
          }
          spans.append(Span(start: start, end: i, quoted: false, escaped: false))
        }
        if i >= n { return recordLine }
        if b[i] == Self.comma {
          i += 1
          if i == n { spans.append(Span(start: n, end: n, quoted: false, escaped: false)) } else { continue }
        }
        if i < n && b[i] == Self.cr { i += 1 }
        if i < n && b[i] == Self.lf { i += 1 }
        line += 1
        return recordLine
      }
    }

    var isBlank: Bool { spans.count == 1 && !spans[0].quoted && spans[0].start == spans[0].end }

    func text(_ s: Span) -> String {
      guard s.escaped else {
        return String(decoding: UnsafeBufferPointer(rebasing: b[s.start..<s.end]), as: UTF8.self)
      }
      var buf: [UInt8] = []
      buf.reserveCapacity(s.end - s.start)
      var k = s.start
      while k < s.end {
        buf.append(b[k])
        k += b[k] == Self.quote ? 2 : 1
      }
      return String(decoding: buf, as: UTF8.self)
    }

    /// Whether two fields have the same bytes and quoting (so the same text).
    @inline(__always)
    func sameBytes(_ x: Span, _ y: Span) -> Bool {
      let len = x.end - x.start
      guard len == y.end - y.start, x.quoted == y.quoted, let base = b.baseAddress else { return false }
      if len <= 8 {
        var k = 0
        while k < len { if base[x.start + k] != base[y.start + k] { return false }; k += 1 }
        return true
      }
      return memcmp(base + x.start, base + y.start, len) == 0
    }

    /// Refuses a header that has no comma but splits into two or more
    /// names at `;` or a tab. Checked on the raw first line, before it is
    /// parsed as CSV: read with commas, such a file is one column named
    /// `y;x`, and the error that follows (a missing column, a ragged row,
    /// text after a quote) would point anywhere but at the separator.
    func checkSeparator() throws(CSVError) {
      var end = 0
      var hasComma = false, hasSemicolon = false, hasTab = false
      while end < b.count && b[end] != Self.lf && b[end] != Self.cr {
        switch b[end] {
        case Self.comma: hasComma = true
        case 0x3B: hasSemicolon = true
        case 0x09: hasTab = true
        default: break
        }
        end += 1
      }
      guard !hasComma, hasSemicolon || hasTab else { return }
      let header = String(decoding: UnsafeBufferPointer(rebasing: b[0..<end]), as: UTF8.self)
      // The likelier separator is the one that splits the header into more names.
      let candidates: [Character] = [";", "\t"]
      let splits = candidates.map { sep in
        (sep, header.split(separator: sep, omittingEmptySubsequences: false).map {
          $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        })
      }
      guard let best = splits.max(by: { $0.1.count < $1.1.count }) else { return }
      let names = best.1.filter { !$0.isEmpty }
      guard names.count >= 2 else { return }
      throw .foreignSeparator(file: source, separator: String(best.0), names: names)
    }

    mutating func table(allowDuplicateColumns: Bool) throws(CSVError) -> CSVTable {
      try checkSeparator()
      guard try nextRecord() != nil, !(spans.count == 1 && spans[0].start == spans[0].end) else {
        throw .empty(file: source)
      }
      var names = spans.map { text($0).trimmingCharacters(in: .whitespaces) }
      // A trailing empty header cell with empty cells below is a layout
      // artefact (rows ending in a comma), not a column.
      var dropTrailing = false
      if names.count > 1, names.last == "" { dropTrailing = true; names.removeLast() }
      var seen = Set<String>()
      for name in names where !name.isEmpty {
        if !seen.insert(name).inserted && !allowDuplicateColumns { throw .duplicateColumn(file: source, name: name) }
      }
      let width = names.count
      var columns = [[String]](repeating: [], count: width)
      var quoted = [[Bool]](repeating: [], count: width)
      var lines: [Int] = []
      // The previous row's span in each column, for sharing repeated text.
      var previous = [Span](repeating: Span(start: 0, end: -1, quoted: false, escaped: false), count: width)
      // Once 64 rows are read, their length tells how many the file holds:
      // room for them all is made at once instead of by repeated doubling.
      let bodyStart = i
      var sized = false
      try columns.withUnsafeMutableBufferPointer { (columns) throws(CSVError) in
        try quoted.withUnsafeMutableBufferPointer { (quoted) throws(CSVError) in
          while let recordLine = try nextRecord() {
            if isBlank { continue }
            var count = spans.count
            // Quoted or not, an empty trailing cell under the dropped header cell goes.
            if dropTrailing && count == width + 1 && spans[width].start == spans[width].end { count = width }
            guard count == width else {
              throw .raggedRow(file: source, line: recordLine, expected: width, found: spans.count)
            }
            for j in 0..<width {
              let s = spans[j]
              if sameBytes(previous[j], s), let last = columns[j].last {
                columns[j].append(last)
              } else {
                columns[j].append(text(s))
                previous[j] = s
              }
              quoted[j].append(s.quoted)
            }
            lines.append(recordLine)
            if !sized && lines.count == 64 {
              sized = true
              let expected = Int(Double(b.count - bodyStart) / Double(max(1, i - bodyStart)) * 64 * 1.05) + 16
              for j in 0..<width { columns[j].reserveCapacity(expected); quoted[j].reserveCapacity(expected) }
              lines.reserveCapacity(expected)
            }
          }
        }
      }
      return CSVTable(source: source, columnNames: names, cells: columns, quoted: quoted, lineNumbers: lines)
    }
  }
}
