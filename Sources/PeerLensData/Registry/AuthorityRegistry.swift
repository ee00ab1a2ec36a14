import Foundation

/// Every upper-tier authority in the DfE files 2013–2025, with regions and
/// the boundary changes between them, from `lookups/la_codes.csv`.
///
/// Answers the questions time series and neighbour lists need: what is
/// code X now (`currentSuccessors`), what came before authority Y
/// (`predecessors`), and which authority a 3-digit number meant in a
/// given year (`authority(oldCode:year:)`: 815 was North Yorkshire county
/// until 2023 and the new unitary after).
public struct AuthorityRegistry: Sendable {
  public let authorities: [Authority]
  private let byCode: [String: Authority]

  /// Region codes and names (E12…), in code order.
  public let regions: [(code: String, name: String)]

  /// Inner London boroughs as DfE groups them (the City of London included).
  static let innerLondonBoroughs: Set<String> = [
    "E09000001", "E09000007", "E09000011", "E09000012", "E09000013", "E09000019", "E09000020", "E09000022",
    "E09000023", "E09000025", "E09000028", "E09000030", "E09000032", "E09000033",
  ]

  /// Former codes of an authority whose area did not change, to the
  /// code it has now: the `codeAliases` ONS recodings, and each county
  /// that became a unitary authority over the same area, keeping its DfE
  /// number (Buckinghamshire 825 in 2020; North Yorkshire 815 and
  /// Somerset 933 in 2023).
  ///
  /// Why: DfE files give such an authority's earlier years under the old
  /// code in some files and under the new one in others. Read as two
  /// authorities, North Yorkshire's referrals began in 2024 while its
  /// children in care went back to 2021, and the three were missing from
  /// every neighbour median before their change (Staffordshire's 2016
  /// neighbour median of 15.8 where its ten neighbours' figures give 3.0).
  /// An area that was divided or joined to another (Northamptonshire,
  /// Bournemouth) is a boundary change, not a recoding, and keeps its code.
  public let recodings: [String: String]

  public init(authorities: [Authority]) {
    self.authorities = authorities
    self.byCode = Dictionary(authorities.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
    var recodings = Self.codeAliases
    let codes = Set(authorities.map(\.code))
    for a in authorities where a.successorCodes.count == 1 && recodings[a.code] == nil {
      let successor = a.successorCodes[0]
      if codes.contains(successor), authorities.contains(where: { $0.code == successor && $0.oldCode == a.oldCode }),
         !authorities.contains(where: { $0.code != a.code && $0.successorCodes.contains(successor) }) {
        recodings[a.code] = successor
      }
    }
    self.recodings = recodings
    var seen: [String: String] = [:]
    for a in authorities where seen[a.regionCode] == nil { seen[a.regionCode] = a.regionName }
    self.regions = seen.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
  }

  /// Loads `lookups/la_codes.csv`.
  public static func load(from url: URL) throws -> AuthorityRegistry {
    let t = try CSVReader.read(contentsOf: url, source: url.lastPathComponent)
    let old = try t.text("old_la_code"), new = try t.text("new_la_code"), name = try t.text("la_name")
    let rc = try t.text("region_code"), rn = try t.text("region_name")
    let first = try t.values("first_year"), last = try t.values("last_year")
    let succ = try t.text("successor_new_la_codes")
    var list: [Authority] = []
    for i in 0..<t.rowCount {
      guard let f = first[i].number, let l = last[i].number else {
        throw CSVError.unparsableNumber(file: t.source, line: t.lineNumbers[i], column: "first_year", text: "")
      }
      let successors = succ[i].split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
      list.append(Authority(code: new[i], oldCode: old[i], name: name[i], regionCode: rc[i], regionName: rn[i],
                            firstYear: Int(f), lastYear: Int(l), successorCodes: successors))
    }
    return AuthorityRegistry(authorities: list)
  }

  /// ONS recodings that DfE files still use for some years: the old (or
  /// new) code on the left denotes the same authority as the registry's
  /// code on the right.
  public static let codeAliases: [String: String] = [
    "E06000048": "E06000057",  // Northumberland (recoded 2009; DfE used the old code until 2019)
    "E08000020": "E08000037",  // Gateshead (recoded 2013)
    "E08000038": "E08000016",  // Barnsley (recoded 2024)
    "E08000039": "E08000019",  // Sheffield (recoded 2024)
  ]

  /// The registry's code for a code found in a file (after aliases).
  public func canonicalCode(_ code: String) -> String { recodings[code] ?? code }

  /// Whether a code is a joint return of several authorities
  /// (`E06000061 / E06000062` in the workforce census).
  public static func isJointReturn(_ code: String) -> Bool { code.contains("/") }

  public func authority(code: String) -> Authority? { byCode[canonicalCode(code)] }

  /// The authority a 3-digit number denoted in a reporting year (or the
  /// current one when `year` is nil).
  public func authority(oldCode: String, year: Int? = nil) -> Authority? {
    let matches = authorities.filter { $0.oldCode == oldCode }
    if let year { return matches.first { $0.existed(in: year) } ?? matches.max { $0.lastYear < $1.lastYear } }
    return matches.first { $0.isCurrent } ?? matches.max { $0.lastYear < $1.lastYear }
  }

  /// Current authorities (no successor), sorted by code.
  public var current: [Authority] { authorities.filter(\.isCurrent).sorted { $0.code < $1.code } }

  /// The current authorities that cover what `code` covered, following
  /// successors until none remain (Bournemouth → BCP; Northamptonshire →
  /// North and West Northamptonshire).
  public func currentSuccessors(of code: String) -> [String] {
    guard let a = byCode[code] else { return [] }
    if a.isCurrent { return [code] }
    var out: [String] = []
    for s in a.successorCodes { for c in currentSuccessors(of: s) where !out.contains(c) { out.append(c) } }
    return out
  }

  /// Authorities whose area became (part of) `code`, directly or through
  /// a chain of changes, oldest last.
  public func predecessors(of code: String) -> [Authority] {
    var out: [Authority] = []
    var frontier = [code]
    while let c = frontier.popLast() {
      for a in authorities where a.successorCodes.contains(c) && !out.contains(a) {
        out.append(a)
        frontier.append(a.code)
      }
    }
    return out
  }

  /// London as one region (E12000007), as readers and the DfE dashboard
  /// know it. DfE files code each borough Inner (E13000001) or Outer
  /// (E13000002) London and publish figures for all three.
  public static let london = (code: "E12000007", name: "London")
  public static let innerLondon = (code: "E13000001", name: "Inner London")
  public static let outerLondon = (code: "E13000002", name: "Outer London")

  /// The region name for a region code (E12…, London, or Inner/Outer London E13…).
  public func regionName(code: String) -> String? {
    if code == Self.innerLondon.code { return Self.innerLondon.name }
    if code == Self.outerLondon.code { return Self.outerLondon.name }
    if code == Self.london.code { return Self.london.name }
    return regions.first { $0.code == code }?.name
  }

  /// The region code for a region name.
  public func regionCode(name: String) -> String? { regionCode(matching: name) }

  /// The region a reader names, by name or code, case-insensitively:
  /// the regions of the files, and London as a whole (`London`,
  /// `E12000007`) beside `Inner London` and `Outer London`.
  public func regionCode(matching query: String) -> String? {
    let q = query.trimmingCharacters(in: .whitespaces).lowercased()
    return regionChoices.first { $0.code.lowercased() == q || $0.name.lowercased() == q }?.code
  }

  /// Every region `regionCode(matching:)` accepts: the nine English
  /// regions (London whole) in code order, then Inner and Outer London.
  public var regionChoices: [(code: String, name: String)] {
    var out = packRegions
    for r in [Self.innerLondon, Self.outerLondon] where regions.contains(where: { $0.code == r.code }) { out.append(r) }
    return out
  }

  /// The regions a national run writes a pack for: the regions of the
  /// files, with Inner and Outer London as one London (the London pack
  /// shows the Inner and Outer figures beside London's).
  public var packRegions: [(code: String, name: String)] {
    var out = regions.filter { $0.code != Self.innerLondon.code && $0.code != Self.outerLondon.code }
    if regions.count != out.count, !out.contains(where: { $0.code == Self.london.code }) { out.append(Self.london) }
    return out.sorted { $0.code < $1.code }
  }

  /// Whether an authority lies in a region: London holds both Inner and
  /// Outer London.
  public func isIn(_ authority: Authority, region code: String) -> Bool {
    if authority.regionCode == code { return true }
    return code == Self.london.code
      && (authority.regionCode == Self.innerLondon.code || authority.regionCode == Self.outerLondon.code)
  }

  /// For London, the parts DfE publishes figures for (Inner and Outer
  /// London); empty for any other region.
  public func parts(ofRegion code: String) -> [(code: String, name: String)] {
    code == Self.london.code ? [Self.innerLondon, Self.outerLondon] : []
  }
}
