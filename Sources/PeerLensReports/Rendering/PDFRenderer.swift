import Foundation

/// Prints HTML pages to PDF through headless Chromium (Debian's `chromium`),
/// so a regional lead gets a file to email or print without opening a
/// browser. PeerLens draws nothing itself: Chromium's print engine lays out
/// the same page, print stylesheet and SVG charts a reader sees on screen.
///
/// Chromium stamps each PDF with the time of printing and numbers the
/// accessibility tags from a process-wide counter, so two prints of the same
/// page differ. The renderer rewrites both in place, at the same byte
/// length so the cross-reference table stays valid: the dates become the
/// given data date and the tags are renumbered in order of appearance. The
/// same inputs then give byte-identical PDFs, as they give identical HTML.
public struct PDFRenderer: Sendable {
  /// The Chromium executable.
  public let chromium: URL
  /// `D:YYYYMMDDHHmmSS` written as the creation and modification date.
  public let date: String
  /// How long one page may take before Chromium is stopped: a Chromium
  /// that never exits (a hung profile, a wrapper script waiting on input)
  /// held the whole run for ever, its staging folder left behind.
  public let timeout: TimeInterval

  public init(chromium: URL, date: String, timeout: TimeInterval = 120) {
    self.chromium = chromium
    self.date = date
    self.timeout = timeout
  }

  /// Chromium from `$PEERLENS_CHROMIUM`, else `chromium`, `chromium-browser`
  /// or `google-chrome` on the PATH; `nil` when none is installed.
  public static func locateChromium() -> URL? {
    let fm = FileManager.default
    let env = ProcessInfo.processInfo.environment
    if let path = env["PEERLENS_CHROMIUM"], !path.isEmpty {
      return fm.isExecutableFile(atPath: path) ? URL(fileURLWithPath: path) : nil
    }
    let dirs = (env["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
    for name in ["chromium", "chromium-browser", "google-chrome"] {
      for dir in dirs where fm.isExecutableFile(atPath: dir + "/" + name) {
        return URL(fileURLWithPath: dir + "/" + name)
      }
    }
    return nil
  }

  /// What to tell a user who asked for PDFs on a machine without Chromium.
  public static let installHint =
    "PDF output needs Chromium, which is not installed: on Debian or Ubuntu run `sudo apt-get install chromium` (or set PEERLENS_CHROMIUM to a Chrome or Chromium executable). The other formats were written."

  /// The PDF date for data whose latest period ends in `year` (31 March,
  /// the end of DfE's reporting year), so the date follows the data, not
  /// the clock.
  public static func date(forDataYear year: Int) -> String {
    String(format: "D:%04d0331000000", year)
  }

  /// Prints `html` to `pdf` (written atomically).
  ///
  /// The page is opened through a link in a temporary folder whose path
  /// has the same length on every run (`page/` beside Chromium's profile),
  /// never at its own path: Chromium writes links as absolute `file://`
  /// addresses, which `normalised` makes relative and pads to their
  /// former length, so a print from `out` and one from `sp dir/p1`
  /// differed by the padding. The pages are self-contained (styles and
  /// charts inline), so nothing else needs to be found beside them.
  public func render(html: URL, to pdf: URL) throws {
    let fm = FileManager.default
    let profile = fm.temporaryDirectory.appendingPathComponent("peerlens-chromium-\(UUID().uuidString)")
    let raw = profile.appendingPathComponent("page.pdf")
    try fm.createDirectory(at: profile, withIntermediateDirectories: true)
    defer { try? fm.removeItem(at: profile) }
    let folder = profile.appendingPathComponent("page")
    try fm.createSymbolicLink(at: folder, withDestinationURL: html.deletingLastPathComponent().standardizedFileURL)
    let page = folder.appendingPathComponent(html.lastPathComponent)
    // Standard error to a file, not a pipe: a Chromium that hangs holds
    // a pipe open, and reading it to the end waited past any time limit.
    let errorLog = profile.appendingPathComponent("stderr.txt")
    var environment = ProcessInfo.processInfo.environment
    environment["HOME"] = profile.path  // Chromium writes caches under HOME
    let process = TimedProcess(
      executable: chromium.path,
      arguments: [
        "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-pdf-header-footer",
        "--user-data-dir=\(profile.path)", "--print-to-pdf=\(raw.path)", page.absoluteString,
      ],
      environment: environment, errorLog: errorLog.path)
    let outcome: TimedProcess.Outcome
    do { outcome = try process.run(timeout: timeout) } catch {
      throw PDFError.cannotStart(chromium.path, error.localizedDescription)
    }
    if outcome == .timedOut { throw PDFError.timedOut(page: html.lastPathComponent, seconds: timeout, chromium: chromium.path) }
    let status: Int32
    switch outcome {
    case .exited(let code): status = code
    case .signalled(let signal): status = 128 + signal
    case .timedOut: status = -1
    }
    guard status == 0, let data = try? Data(contentsOf: raw), data.starts(with: Data("%PDF".utf8))
    else {
      let stderr = (try? Data(contentsOf: errorLog)) ?? Data()
      let detail = String(decoding: stderr, as: UTF8.self).split(separator: "\n").filter { !$0.contains("dbus") }
        .suffix(3).joined(separator: " ")
      throw PDFError.failed(page: html.lastPathComponent, status: status, detail: detail)
    }
    try AtomicFile.write(Self.normalised(data, date: date, page: page), to: pdf)
  }

  /// The PDF with its dates set to `date`, its tag ids renumbered in
  /// order of first appearance and, given the `page` it was printed from,
  /// its links to other files made relative to it; every replacement
  /// keeps the length, so the file's offsets stay right.
  public static func normalised(_ pdf: Data, date: String, page: URL? = nil) -> Data {
    var bytes = [UInt8](pdf)
    if let page { relativeLinks(&bytes, base: page.deletingLastPathComponent().standardizedFileURL.path) }
    let stamp = Array(date.utf8)
    for key in ["/CreationDate (", "/ModDate ("] {
      let pattern = Array(key.utf8)
      var i = 0
      while let at = find(pattern, in: bytes, from: i) {
        let start = at + pattern.count
        // Replace "D:YYYYMMDDHHmmSS" when it is there, keeping the length.
        if start + stamp.count <= bytes.count, bytes[start] == UInt8(ascii: "D"), stamp.count == 16 {
          for k in 0..<stamp.count { bytes[start + k] = stamp[k] }
        }
        i = start
      }
    }
    // Tag ids: "(node" + 8 digits + ")".
    let prefix = Array("(node".utf8)
    var ids: [ArraySlice<UInt8>: Int] = [:]
    var i = 0
    while let at = find(prefix, in: bytes, from: i) {
      let start = at + prefix.count, end = start + 8
      guard end < bytes.count, bytes[end] == UInt8(ascii: ")"),
            bytes[start..<end].allSatisfy({ $0 >= 48 && $0 <= 57 }) else { i = start; continue }
      let key = bytes[start..<end]
      let n: Int
      if let known = ids[key] { n = known } else { n = ids.count; ids[key] = n }
      let digits = Array(String(format: "%08d", n).utf8)
      for k in 0..<8 { bytes[start + k] = digits[k] }
      i = end
    }
    return Data(bytes)
  }

  /// Chromium writes a page's relative links (`../index.html`) as absolute
  /// `file://` URIs, which name the folder the pack was printed in: they
  /// break when the folder is copied, and two prints in different folders
  /// differ. Each is rewritten relative to the page, padded with spaces
  /// after the string (PDF whitespace) to its former length.
  static func relativeLinks(_ bytes: inout [UInt8], base: String) {
    let pattern = Array("/URI (file://".utf8)
    var i = 0
    while let at = find(pattern, in: bytes, from: i) {
      let open = at + 5, start = at + pattern.count
      guard let close = bytes[start...].firstIndex(of: UInt8(ascii: ")")) else { return }
      i = close
      let path = String(decoding: bytes[start..<close], as: UTF8.self)
      guard !path.contains("\\"), let rel = relative(path, from: base) else { continue }
      let replacement = Array(("(" + rel + ")").utf8)
      guard replacement.count <= close + 1 - open else { continue }
      for k in open...close { bytes[k] = k - open < replacement.count ? replacement[k - open] : UInt8(ascii: " ") }
    }
  }

  /// `path` (absolute, percent-encoded as in a URI) relative to the folder `base`.
  static func relative(_ path: String, from base: String) -> String? {
    let target = path.split(separator: "/")
    let b = base.split(separator: "/").map { String($0).addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? String($0) }
    var common = 0
    while common < b.count, common < target.count - 1, String(target[common]) == b[common] { common += 1 }
    guard common > 0 else { return nil }
    let parts = Array(repeating: "..", count: b.count - common) + target[common...].map(String.init)
    return parts.joined(separator: "/")
  }

  static func find(_ pattern: [UInt8], in bytes: [UInt8], from: Int) -> Int? {
    guard !pattern.isEmpty, bytes.count >= pattern.count else { return nil }
    var i = from
    let last = bytes.count - pattern.count
    while i <= last {
      if bytes[i] == pattern[0] {
        var k = 1
        while k < pattern.count && bytes[i + k] == pattern[k] { k += 1 }
        if k == pattern.count { return i }
      }
      i += 1
    }
    return nil
  }
}

/// Problems printing a page to PDF.
public enum PDFError: Error, LocalizedError, Sendable {
  case cannotStart(String, String)
  case failed(page: String, status: Int32, detail: String)
  case timedOut(page: String, seconds: TimeInterval, chromium: String)

  public var errorDescription: String? {
    switch self {
    case .cannotStart(let path, let why): return "Cannot start Chromium (\(path)) to print PDFs: \(why)."
    case .timedOut(let page, let seconds, let chromium):
      return "Chromium (\(chromium)) had not printed \(page) to PDF after \(Int(seconds)) seconds and was stopped; nothing "
        + "was written. Check that it prints headless on this machine ('\(chromium) --headless --no-sandbox "
        + "--print-to-pdf=x.pdf about:blank'), or set PEERLENS_CHROMIUM to another Chrome or Chromium."
    case .failed(let page, let status, let detail):
      return "Chromium could not print \(page) to PDF (exit status \(status))\(detail.isEmpty ? "" : ": \(detail)")."
    }
  }
}
