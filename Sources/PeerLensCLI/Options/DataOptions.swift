import ArgumentParser
import Foundation
import PeerLensAnalysis
import PeerLensData

/// `--data DIR`: where the data mirror is.
struct DataOptions: ParsableArguments {
  @Option(name: .long, help: ArgumentHelp("A data folder in the mirror layout (default: --vintage if given, then $PEERLENS_DATA, then the newest release brought in by 'data import', then the data embedded in PeerLens).", valueName: "dir"))
  var data: String?

  @Option(name: .long, help: ArgumentHelp("An imported release to read, by vintage id or label (default: $PEERLENS_DATA if set, else the newest import, else the embedded data). See 'peerlens data sources'.", valueName: "v"))
  var vintage: String?

  @Option(name: .customLong("data-home"), help: ArgumentHelp("The data directory of imported releases (default: $PEERLENS_DATA_HOME, $XDG_DATA_HOME/peerlens, ~/.local/share/peerlens).", valueName: "dir"))
  var dataHome: String?

  var library: DataLibrary { DataLibrary.locate(dataHome) }

  func mirror() throws -> DataMirror { try DataMirror.locate(data, vintage: vintage, library: library) }
}

/// `--catalogue FILE`: the indicator catalogue.
struct CatalogueOptions: ParsableArguments {
  @Option(name: .long, help: ArgumentHelp("The indicator catalogue (default: Models/indicators.toml).", valueName: "file"))
  var catalogue: String?

  func load() throws -> IndicatorCatalogue {
    try IndicatorCatalogue.load(from: ModelFiles.locate(catalogue, default: "indicators.toml"))
  }
}

/// Finds files under the project's `Models/` folder whatever the working
/// directory: an explicit path, `$PEERLENS_MODELS`, `./Models`, or the
/// `Models` folder beside the executable's package.
enum ModelFiles {
  static func folder() -> URL {
    let fm = FileManager.default
    if let env = ProcessInfo.processInfo.environment["PEERLENS_MODELS"], !env.isEmpty {
      return URL(fileURLWithPath: env)
    }
    if fm.fileExists(atPath: "Models") { return URL(fileURLWithPath: "Models").standardizedFileURL }
    // …/.build/<config>/peerlens → package root
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    for _ in 0..<5 {
      let candidate = dir.appendingPathComponent("Models")
      if fm.fileExists(atPath: candidate.appendingPathComponent("indicators.toml").path) { return candidate }
      dir = dir.deletingLastPathComponent()
    }
    // Source checkout fallback (tests run from anywhere).
    let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Models")
    return source
  }

  /// The contextual model specifications of a `Models/` folder (its
  /// `context/*.toml`), read before a long run so that a folder without
  /// any is refused at once (`ModelFolderError`), not after minutes of work.
  @discardableResult
  static func specifications(in models: URL) throws -> [(URL, ContextModelSpec)] {
    try ContextModelSpec.loadAll(in: models.appendingPathComponent("context"))
  }

  /// A folder beside `Models/` (such as `Reports/`).
  static func sibling(_ name: String) -> URL {
    folder().deletingLastPathComponent().appendingPathComponent(name)
  }

  static func locate(_ explicit: String?, default name: String) -> URL {
    if let explicit { return URL(fileURLWithPath: explicit) }
    return folder().appendingPathComponent(name)
  }
}
