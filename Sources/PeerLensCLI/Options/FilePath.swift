import ArgumentParser
import Foundation

/// A file given on the command line, as a URL.
///
/// An empty path (an unset shell variable, `--data "$FILE"`) is refused in
/// so many words: as a URL it is the current folder, and the error then
/// said that folder "is a folder, not a file", naming a path the user never
/// typed.
enum FilePath {
  static func csv(_ text: String) throws -> URL {
    try url(text, what: "--data", expected: "the path of a CSV file")
  }

  static func specification(_ text: String) throws -> URL {
    try url(text, what: "The model specification", expected: "the path of a .toml file such as Models/context/cla_rate.toml")
  }

  /// A store file named with `--store`. SQLite takes an empty name for a
  /// temporary database it throws away, so `ingest --store ""` said it had
  /// stored a vintage that was nowhere.
  static func store(_ text: String) throws -> String {
    try url(text, what: "--store", expected: "the path of a store file, such as peerlens.sqlite").path
  }

  static func url(_ text: String, what: String, expected: String) throws -> URL {
    guard !text.trimmingCharacters(in: .whitespaces).isEmpty else {
      throw ValidationError("\(what) is empty: give \(expected).")
    }
    return URL(fileURLWithPath: text)
  }
}
