import ArgumentParser
import PeerLensData

/// The current authority a `--la` value names: its 9-character code, its
/// DfE number, or its name as the explorer's search reads it.
///
/// Why more than an exact match: people type "Bristol" for "Bristol, City
/// of" and "st helens" for "St. Helens", as they do in the explorer's
/// search box, which opens a single match. A name part matching one
/// authority is that authority; matching several, the error lists them; a
/// former authority's code, or its exact name, names the authorities now
/// covering its area ("Northamptonshire" is not a part of two names).
enum AuthorityChoice {
  static func resolve(_ q: String, in registry: AuthorityRegistry) throws -> Authority {
    let current = registry.current
    let key = SearchText.normalised(q)
    if let exact = current.first(where: { $0.code == q.uppercased() || $0.oldCode == q || SearchText.normalised($0.name) == key }),
       !key.isEmpty {
      return exact
    }
    // A former code of an authority whose area did not change (North
    // Yorkshire's county code E10000023) is that authority.
    if let recoded = registry.recodings[q.uppercased()], let a = registry.authority(code: recoded), a.isCurrent { return a }
    let advice = " Give a 9-character code (E06000001), a DfE number (805) or a name."
    // A former authority's exact name answers as its code does, before a
    // name part can match its successors ("Northamptonshire" is in
    // "North Northamptonshire") or nothing at all ("Cumbria").
    if !key.isEmpty, let former = registry.authorities.filter({ !$0.isCurrent && SearchText.normalised($0.name) == key })
      .max(by: { $0.lastYear < $1.lastYear }) {
      throw noLongerCurrent(q, former, in: registry, advice: advice)
    }
    let partial = key.isEmpty ? [] : current.filter { (" " + SearchText.normalised($0.name)).contains(" " + key) }
    if partial.count == 1 { return partial[0] }
    if partial.count > 1 {
      let names = partial.map { "\($0.name) (\($0.code))" }
      throw ValidationError("'\(ErrorText.quoted(q))' matches \(partial.count) authorities: \(names.joined(separator: "; ")). Give the full name or the code.")
    }
    if let former = registry.authority(code: q.uppercased()) ?? registry.authority(oldCode: q), !former.isCurrent {
      throw noLongerCurrent(q, former, in: registry, advice: advice)
    }
    // A joint return's code, as the workforce files print it: each member
    // authority has its own pack, which shows the shared figures.
    if AuthorityRegistry.isJointReturn(q) {
      let members = q.split(separator: "/").map { $0.trimmingCharacters(in: .whitespaces) }
      let known = members.compactMap { registry.authority(code: $0.uppercased()) }
      if known.count == members.count, known.count > 1 {
        let names = known.map { "\($0.name) (\($0.code))" }
        throw ValidationError("'\(ErrorText.quoted(q))' is a joint return of \(names.joined(separator: " and ")), which share "
          + "a children's services workforce; packs are made for each authority, and each member's pack shows the joint "
          + "figures. Give one of \(known.map(\.code).joined(separator: " or ")).")
      }
    }
    // "Bristol" as well as "Bristol, City of", so a slip in the short name is caught.
    let names = current.map(\.name) + current.compactMap { $0.name.split(separator: ",").first.map(String.init) }
    let hint = NameSuggestion.hint(for: q, among: names + current.map(\.code))
    throw ValidationError("No current authority '\(ErrorText.quoted(q))'.\(hint)\(advice)")
  }

  /// The refusal for a former authority, naming the current ones that
  /// now cover its area, so the reader can choose one.
  private static func noLongerCurrent(_ q: String, _ former: Authority, in registry: AuthorityRegistry,
                                      advice: String) -> ValidationError {
    let successors = registry.currentSuccessors(of: former.code).compactMap { registry.authority(code: $0) }
      .map { "\($0.name) (\($0.code))" }
    let now = successors.isEmpty ? "" : " Its area is now covered by \(successors.joined(separator: " and "))."
    return ValidationError("'\(ErrorText.quoted(q))' is \(former.name), which is no longer a current authority.\(now)\(advice)")
  }
}
