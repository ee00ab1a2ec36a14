import Foundation
import PeerLensData
import PeerLensStatistics
import TOMLKit

/// A contextual model for one indicator, read from a TOML file in
/// `Models/` (one file per model, as data).
///
/// ```toml
/// indicator = "cla_rate"
/// family = "negative-binomial"
/// formula = "numerator ~ imd19_avg_score + pct_ethnic_minority_excl_white_minorities + offset(log(denominator))"
/// notes = "Why this family and these variables."
/// ```
///
/// The formula is evaluated over one row per current authority with the
/// indicator's `numerator`, `denominator` and `value` for the year and
/// every column of `context/la_context.csv`.
///
/// A Gaussian model of a mean score may add `sampling_variance =
/// "pupil_sd"`: each authority's value then varies by chance with variance
/// σ²/n (σ the indicator's `pupil_sd`, n its denominator, the pupils), and
/// the model is a random-effects meta-regression, weighted by
/// 1/(τ² + σ²/n) with τ² by REML (``SamplingVariance``).
public struct ContextModelSpec: Sendable, Codable, Equatable {
  public let indicator: String
  public let family: FamilyName
  public let link: String?
  public let formula: String
  public let notes: String?
  /// Optional: the reporting year to fit (default: the latest with data).
  public let year: String?
  /// Where each authority's own chance variance comes from, for a
  /// weighted (random-effects) Gaussian model; nil for an unweighted one.
  public let samplingVariance: SamplingVariance?

  /// The sources of a value's chance variance a specification can name.
  public enum SamplingVariance: String, Sendable, Codable, CaseIterable {
    /// σ²/n: σ the catalogue's `pupil_sd` for the indicator, n the value's
    /// denominator (pupils).
    case pupilSD = "pupil_sd"
  }

  enum CodingKeys: String, CodingKey {
    case indicator, family, link, formula, notes, year
    case samplingVariance = "sampling_variance"
  }

  public init(indicator: String, family: FamilyName, link: String? = nil, formula: String, notes: String? = nil,
              year: String? = nil, samplingVariance: SamplingVariance? = nil) {
    self.indicator = indicator
    self.family = family
    self.link = link
    self.formula = formula
    self.notes = notes
    self.year = year
    self.samplingVariance = samplingVariance
  }

  public static func load(from url: URL) throws -> ContextModelSpec {
    let text: String
    do { text = try String(contentsOf: url, encoding: .utf8) } catch { throw CatalogueError.reading(url) }
    return try decode(text, source: url.lastPathComponent)
  }

  /// Decodes a specification's text, naming `source` in every error.
  public static func decode(_ text: String, source: String) throws -> ContextModelSpec {
    let spec = try TOMLFile.decode(ContextModelSpec.self, from: text, source: source, layout: layout)
    // A link that names none (`link = ""`, `link = "lgo"`) read as no link,
    // and the family's canonical one was fitted without a word.
    if let link = spec.link, Link(rawValue: link) == nil {
      throw CatalogueError.invalidEntry(
        file: source, reason: "the key 'link' holds \"\(link)\", which names no link; expected "
          + (layout.expected(at: "link") ?? "a link") + ", or no link key for the family's canonical link")
    }
    return spec
  }

  /// The keys of a specification, for messages about a file that is not
  /// one (another TOML file given by mistake, a key misspelt, a year
  /// written as a number).
  public static let layout = TOMLLayout(noun: "model specification", keys: [
    .init("indicator", expected: "a string naming an indicator of the catalogue, e.g. indicator = \"cla_rate\""),
    .init("family", expected: "one of " + FamilyName.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")),
    .init("formula", expected: "a string holding the model formula, e.g. formula = \"numerator ~ imd19_avg_score + "
      + "offset(log(denominator))\""),
    .init("link", expected: "one of " + Link.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "), required: false),
    .init("notes", expected: "a string", required: false),
    .init("year", expected: "a string naming the period to fit, e.g. year = \"2024\"", required: false),
    .init("sampling_variance", expected: "one of " + SamplingVariance.allCases.map { "\"\($0.rawValue)\"" }
      .joined(separator: ", ") + " (a Gaussian model of a mean score, weighted by its chance variance)", required: false),
  ])

  /// Every `*.toml` model spec in a folder (the catalogue and neighbour
  /// specs excluded), sorted by file name.
  ///
  /// - Throws: `ModelFolderError` when the folder does not exist, is a
  ///   file, or holds no `.toml` file (a run over no models would pass for
  ///   a run whose models all passed); the decoding errors of a file that
  ///   is not a specification.
  public static func loadAll(in folder: URL) throws -> [(URL, ContextModelSpec)] {
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder) else {
      throw ModelFolderError.missing(folder: folder.path)
    }
    guard isFolder.boolValue else { throw ModelFolderError.notAFolder(folder: folder.path) }
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".toml") }
    guard !names.isEmpty else { throw ModelFolderError.noSpecifications(folder: folder.path) }
    return try names.sorted().map { name in
      let u = folder.appendingPathComponent(name)
      return (u, try load(from: u))
    }
  }

  public var parsedLink: Link? { link.flatMap(Link.init(rawValue:)) }
}
