import Foundation
import PeerLensAnalysis
import PeerLensData

/// The authorities an authority is compared with on an explorer page,
/// chosen by the query string (`group=official|model|region|all|custom`,
/// with `members=` for `custom`).
///
/// `members` never holds the focus authority itself: medians and means are
/// of the comparators, as the DfE dashboard's neighbour median is, while
/// ranks and bands place the focus authority among the comparators and
/// itself. Every figure computed for a group carries its `label`.
public struct ComparatorGroup: Sendable, Equatable {
  public enum Kind: String, Sendable, CaseIterable {
    case official, model, region, all, custom
  }

  public let kind: Kind
  /// Current authority codes, in the order given (official and model: neighbour rank; others: code).
  public let members: [String]
  /// What the page calls the group ("official neighbours (…)", "North East", "custom group of 5").
  public let label: String

  /// At most this many authorities in a custom group.
  public static let maximumCustom = 200

  /// The query string that selects this group (for links that keep it).
  public var query: String {
    kind == .custom ? "group=custom&members=" + members.joined(separator: ",") : "group=" + kind.rawValue
  }

  /// Reads the group from a query.
  ///
  /// - Parameters:
  ///   - focus: the authority the page is about (`nil` on an indicator page
  ///     without `la=`; then only `all` and `custom` make sense, and `all`
  ///     is the default).
  /// - Throws: `ExplorerError.badRequest` for an unknown group name, too
  ///   many members, or a group that needs an authority; `.notFound` for a
  ///   member that is not a current authority.
  static func resolve(_ query: QueryString, focus: Authority?, run: NationalRun) throws(ExplorerError) -> ComparatorGroup {
    let name = query.value("group")?.lowercased() ?? (focus == nil ? "all" : "official")
    guard let kind = Kind(rawValue: name) else {
      throw .badRequest("Unknown comparator group '\(ExplorerText.shown(name))'. Use group=official, model, region, all or custom (with members=CODE,CODE,…).")
    }
    let me = focus?.code
    switch kind {
    case .official:
      guard let focus else { throw .badRequest("group=official needs an authority (la=CODE).") }
      let list = (run.officialNeighbours[focus.code] ?? []).map(\.code)
      return ComparatorGroup(kind: .official, members: list, label: "official neighbours (\(run.officialLabel))")
    case .model:
      guard let focus else { throw .badRequest("group=model needs an authority (la=CODE).") }
      let list = (run.modelNeighbours?.lists[focus.code] ?? []).map(\.neighbour)
      return ComparatorGroup(kind: .model, members: list, label: "model neighbours (Models/neighbours.toml)")
    case .region:
      guard let focus else { throw .badRequest("group=region needs an authority (la=CODE).") }
      let list = run.authorities.filter { run.registry.isIn($0, region: focus.regionCode) && $0.code != me }.map(\.code)
      let region = run.registry.regionName(code: focus.regionCode) ?? focus.regionName
      return ComparatorGroup(kind: .region, members: list, label: "other authorities in \(region)")
    case .all:
      let list = run.authorities.map(\.code).filter { $0 != me }
      // Current authorities: in years before a boundary change the run's
      // national ranks also hold the authorities since replaced (Cumbria
      // to 2023), so the label says which "all" this is.
      return ComparatorGroup(kind: .all, members: list, label: me == nil ? "all current authorities" : "all other current authorities")
    case .custom:
      var once = Set<String>()
      let asked = query.list("members").filter { once.insert($0.uppercased()).inserted }
      guard asked.count <= maximumCustom else {
        throw .badRequest("A custom group holds at most \(maximumCustom) authorities; \(asked.count) were given.")
      }
      guard !asked.isEmpty else {
        throw .badRequest("group=custom needs members=CODE,CODE,… (new or old codes of current authorities).")
      }
      var list: [String] = []
      for code in asked {
        guard let a = Explorer.currentAuthority(code, run: run) else {
          throw .notFound(UnknownAuthority.message(code, run: run, place: "in the custom group"))
        }
        if a.code != me && !list.contains(a.code) { list.append(a.code) }
      }
      // A group of the authority alone compares it with nobody: said, not
      // shown as "custom group of 0".
      guard !list.isEmpty else {
        throw .badRequest("group=custom compares an authority with others: members= named only the authority itself (\(me ?? "")). Add other authorities.")
      }
      return ComparatorGroup(kind: .custom, members: list, label: "custom group of \(list.count)")
    }
  }
}
