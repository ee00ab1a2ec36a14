import Foundation
import Testing
@testable import PeerLensReports

/// Section anchors replace every underscore with a hyphen, as
/// `replacingOccurrences(of: "_", with: "-")` did (which, on Linux, leaves
/// an underscore that a combining mark joins to another character).
@Suite struct AnchorTests {
  @Test func anchorsReplaceEveryUnderscore() {
    for id in ["cla_rate", "_a__b_", "plain", "", "x_\u{301}y", "é_ü"] {
      #expect(PackBuilder.anchor(id) == "indicator-" + id.replacingOccurrences(of: "_", with: "-"), "\(id)")
    }
  }
}
