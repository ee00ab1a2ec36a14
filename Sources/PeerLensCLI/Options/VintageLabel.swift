import Foundation
import ArgumentParser

/// The rule for a vintage's `--label`, shared by `data import` and `ingest`.
///
/// Why: `--vintage` and `changes` name a vintage by its id or its label.
/// An empty label cannot be named back, and a label that is a whole number
/// was matched before the vintage with that id (`--label 1` on vintage 3
/// made `--vintage 1` read vintage 3).
enum VintageLabel {
  static func validate(_ label: String?) throws {
    guard let label else { return }
    let trimmed = label.trimmingCharacters(in: .whitespaces)
    guard !trimmed.isEmpty else {
      throw ValidationError("--label is empty: give a name for the vintage (such as 'CLA 2025'), or leave it out for the time.")
    }
    guard Int64(trimmed) == nil else {
      throw ValidationError("--label '\(label)' is a whole number, which --vintage and changes read as a vintage id; "
        + "give a label with a word in it (such as 'release \(trimmed)').")
    }
  }
}
