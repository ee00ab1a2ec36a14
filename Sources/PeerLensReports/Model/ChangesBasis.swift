/// What "since the last release" was compared against, so a pack with no
/// changes says why in words a meeting can read: no record of earlier
/// releases, a record of only one, or two releases that gave this
/// authority nothing new. (One sentence covered all three and told the
/// reader to run `peerlens ingest`.)
public enum ChangesBasis: Sendable, Equatable {
  /// The packs were made without a store of releases.
  case noStore
  /// The store holds fewer than two releases (its vintages' labels).
  case oneRelease(String?)
  /// The data in the packs is the earliest of the store's releases (its
  /// vintage's label): later ones are in the record, none before it.
  case earliest(String)
  /// The last two releases were compared.
  case compared(from: String, to: String)

  /// The note a pack shows where it lists no change.
  public var noChangeNote: String {
    switch self {
    case .noStore:
      return "Not compared with an earlier release: these packs were made without a record of earlier releases "
        + "(whoever produces them can add one: README, \"Next year's release\")."
    case .oneRelease(let label):
      return "Not compared with an earlier release: the record of releases holds only one"
        + (label.map { " (\($0))" } ?? "") + "."
    case .earliest(let label):
      return "Not compared with an earlier release: the data in these packs is the earliest release in the record (\(label))."
    case .compared(let from, let to):
      return "Nothing changed for this authority between release \(from) and release \(to)."
    }
  }
}
