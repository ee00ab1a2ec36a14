/// A pack page as the explorer serves it at `/pack/<code>.html`.
///
/// The page comes from the packs' own template (`Reports/authority.mustache`,
/// shared with `peerlens packs`, whose output must not change), and that
/// template always links "All packs" to `../index.html`: a page of a written
/// pack folder, which the explorer has not got (it answered 404). The
/// served page links to the explorer's home instead.
enum ServedPack {
  /// The template's link to the pack folder's index.
  static let packIndexLink = "<a href=\"../index.html\">All packs</a>"
  /// What the explorer links to in its place.
  static let explorerLink = "<a href=\"/\">Explorer home</a>"

  static func page(_ html: String) -> String {
    html.replacingOccurrences(of: packIndexLink, with: explorerLink)
  }
}
