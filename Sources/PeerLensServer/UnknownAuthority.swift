import PeerLensAnalysis
import PeerLensData
import PeerLensStatistics

/// What the explorer says about a code that is not a current authority.
///
/// A former authority's code is a real code: `la=E10000006` (Cumbria) was
/// told to "use a 9-character code (E06000001)", which it is. So a code of
/// an authority that has been replaced says so, with its last reporting
/// year and the current authorities that now cover its area; anything else
/// gets the advice on codes.
enum UnknownAuthority {
  /// The authority, no longer current, with this new or old code, or `nil`.
  static func former(_ code: String, run: NationalRun) -> Authority? {
    guard !code.isEmpty, code.count <= 12, code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { return nil }
    if let a = run.registry.authority(code: code.uppercased()), !a.isCurrent { return a }
    if let a = run.registry.authority(oldCode: code), !a.isCurrent { return a }
    return nil
  }

  /// The message for `code`; `place` says where it was asked for ("in the custom group").
  static func message(_ code: String, run: NationalRun, place: String? = nil) -> String {
    if let other = notAnAuthority(code, run: run) { return other }
    guard let a = former(code, run: run) else {
      return "No current authority with code '\(ExplorerText.shown(code))'\(place.map { " " + $0 } ?? ""). Use a 9-character code (E06000001) or a DfE number (805); search at /."
    }
    let successors = run.registry.currentSuccessors(of: a.code).map { c in
      run.registry.authority(code: c).map { "\($0.name) (\($0.code))" } ?? c
    }
    var text = "\(a.name) (\(a.code), DfE \(a.oldCode))\(place.map { ", asked for " + $0 + "," } ?? "") no longer exists: its last reporting year was \(a.lastYear)."
    switch successors.count {
    case 0: break
    case 1: text += " Its area is now \(successors[0]); use that code."
    default: text += " Its area is now covered by \(successors.dropLast().joined(separator: ", ")) and \(successors.last!); use one of those codes."
    }
    return text
  }

  /// A code that is real but names something other than one authority: a
  /// joint return (`E09000021 / E09000027`, as the workforce files print
  /// it), a region or England. Each was told to "use a 9-character code",
  /// which a region's code already is.
  static func notAnAuthority(_ code: String, run: NationalRun) -> String? {
    let trimmed = code.trimmingCharacters(in: .whitespaces)
    guard trimmed.count <= 40 else { return nil }
    if AuthorityRegistry.isJointReturn(trimmed) {
      let members = trimmed.split(separator: "/").compactMap { Explorer.currentAuthority($0.trimmingCharacters(in: .whitespaces), run: run) }
      guard members.count > 1 else { return nil }
      return "'\(ExplorerText.shown(trimmed))' is the joint return of "
        + EnglishList.joined(members.map { "\($0.name) (\($0.code))" })
        + ", which share a children's services workforce. Each has its own page, showing the joint figures: use one of those codes."
    }
    let upper = trimmed.uppercased()
    if upper == "E92000001" {
      return "E92000001 is England, not an authority. Each indicator's page (/indicator/ID) shows every authority beside England's figure."
    }
    if upper.hasPrefix("E12") || upper.hasPrefix("E13"), let region = run.registry.regionName(code: upper) {
      return "\(upper) is \(region), a region, not an authority. Choose an authority in it (search at /); group=region then compares it with the region's other authorities."
    }
    return nil
  }
}
