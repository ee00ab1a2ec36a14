import Foundation
import Mustache

/// The page templates and stylesheet from `Reports/`, loaded once.
///
/// Every `{{value}}` is escaped for HTML by `HTMLEscaping` (names and text from data
/// can hold `<script>`); only the charts, built by PeerLens's own escaping
/// SVG builder, and the stylesheet are inserted raw with `{{{…}}}`.
public struct TemplateSet: Sendable {
  let library: MustacheLibrary
  public let css: String

  public init(folder: URL) throws {
    var library = MustacheLibrary()
    MustacheContentTypes.register(HTMLEscaping(), named: HTMLEscaping.name)
    // Every template escapes with `HTMLEscaping`: the pragma goes on a
    // line of its own before the file's text, which Mustache drops as a
    // standalone tag, so the pages are as the files alone would give.
    let pragma = "{{% CONTENT_TYPE: \(HTMLEscaping.name) }}\n"
    // `glossary` is a partial, included by every page; `index` is the run's front page.
    for name in ["authority", "region", "england", "glossary", "index"] {
      let url = folder.appendingPathComponent("\(name).mustache")
      guard let text = try? String(contentsOf: url, encoding: .utf8) else {
        throw ReportError.missingTemplate(url.path)
      }
      do { try library.register(pragma + text, named: name) } catch {
        throw ReportError.invalidTemplate(url.path, "\(error)")
      }
    }
    guard let css = try? String(contentsOf: folder.appendingPathComponent("style.css"), encoding: .utf8) else {
      throw ReportError.missingTemplate(folder.appendingPathComponent("style.css").path)
    }
    self.library = library
    self.css = css
  }

  func render(_ name: String, _ context: [String: Any]) throws -> String {
    var c = context
    c["css"] = css
    guard let out = library.render(c, withTemplate: name) else { throw ReportError.missingTemplate(name) }
    return out
  }
}

public enum ReportError: Error, LocalizedError, Sendable {
  case missingTemplate(String)
  case invalidTemplate(String, String)
  case unknownSelection(String)

  public var errorDescription: String? {
    switch self {
    case .missingTemplate(let p): return "Missing report template: \(p)."
    case .invalidTemplate(let p, let e): return "The template \(p) is not valid Mustache: \(e)."
    case .unknownSelection(let s): return s
    }
  }
}
