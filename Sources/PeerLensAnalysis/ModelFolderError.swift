import Foundation

/// Why a folder of contextual model specifications gave none.
///
/// Why an error and not an empty list: a run over no models looks like a
/// run over models that all passed. `model check --models` with a
/// misspelt folder printed two empty tables and exited 0, and `serve` and
/// `packs` went on without any expected values.
public enum ModelFolderError: Error, LocalizedError, Equatable, Sendable {
  /// Nothing is at the path.
  case missing(folder: String)
  /// The path is a file, not a folder.
  case notAFolder(folder: String)
  /// The folder holds no `.toml` files.
  case noSpecifications(folder: String)

  public var errorDescription: String? {
    switch self {
    case .missing(let f): return "No model specifications in \(f): the folder does not exist."
    case .notAFolder(let f): return "No model specifications in \(f): it is a file, not a folder."
    case .noSpecifications(let f):
      return "No model specifications in \(f): the folder holds no .toml files (one model specification per file)."
    }
  }
}
