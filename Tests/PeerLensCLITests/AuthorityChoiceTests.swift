import Foundation
import Testing
@testable import PeerLensCLI
import PeerLensData
import _PeerLensTestSupport

/// `packs --la`: names as people type them ("Bristol", "st helens"), a
/// name part that fits several authorities listed, a former authority's
/// code answered with the authorities now covering its area, and a slip
/// in a short name caught.
@Suite struct AuthorityChoiceTests {
  static func registry() throws -> AuthorityRegistry { try DataMirror(root: TestData.data).registry() }

  @Test(arguments: [("Bristol", "Bristol, City of"), ("st helens", "St. Helens"), ("E06000017", "Rutland"),
                    ("857", "Rutland"), ("kings lynn", nil), ("stockton on tees", "Stockton-on-Tees")])
  func namesResolveAsTheExplorerSearchReadsThem(query: String, name: String?) throws {
    let registry = try Self.registry()
    if let name {
      #expect(try AuthorityChoice.resolve(query, in: registry).name == name)
    } else {
      // King's Lynn is a town, not an authority: refused, not matched to something else.
      #expect(throws: (any Error).self) { try AuthorityChoice.resolve(query, in: registry) }
    }
  }

  @Test func aNamePartFittingSeveralListsThem() throws {
    let registry = try Self.registry()
    #expect { try AuthorityChoice.resolve("Kingston", in: registry) } throws: { error in
      let text = "\(error)"
      return text.contains("matches 2 authorities") && text.contains("Kingston upon Hull, City of (E06000010)")
        && text.contains("Kingston upon Thames (E09000021)")
    }
  }

  @Test func aFormerAuthorityNamesItsSuccessors() throws {
    let registry = try Self.registry()
    // Its exact name answers as its code does: "Northamptonshire" said it
    // matched North and West Northamptonshire, "Cumbria" that there was
    // no such authority.
    for q in ["928", "E10000021", "Northamptonshire", "northamptonshire"] {
      #expect { try AuthorityChoice.resolve(q, in: registry) } throws: { error in
        "\(error)".contains("Northamptonshire, which is no longer a current authority")
          && "\(error)".contains("North Northamptonshire (E06000061) and West Northamptonshire (E06000062)")
      }
    }
    #expect { try AuthorityChoice.resolve("Cumbria", in: registry) } throws: { error in
      "\(error)".contains("Cumbria, which is no longer a current authority") && !"\(error)".contains("No current authority")
    }
  }

  @Test func aSlipInAShortNameIsCaught() throws {
    let registry = try Self.registry()
    #expect { try AuthorityChoice.resolve("Brstol", in: registry) } throws: { "\($0)".contains("Bristol") }
    #expect(throws: (any Error).self) { try AuthorityChoice.resolve("", in: registry) }
  }

  /// A joint return's code, as the workforce files print it, names its
  /// members and sends the reader to either one's pack.
  @Test func aJointReturnNamesItsMembers() throws {
    let registry = try Self.registry()
    for q in ["E09000021 / E09000027", "e09000021/e09000027"] {
      #expect { try AuthorityChoice.resolve(q, in: registry) } throws: { error in
        let text = "\(error)"
        return text.contains("joint return of Kingston upon Thames (E09000021) and Richmond upon Thames (E09000027)")
          && text.contains("Give one of E09000021 or E09000027") && !text.contains("No current authority")
      }
    }
    // A slash between codes that are not both authorities is not a joint return.
    #expect { try AuthorityChoice.resolve("E09000021 / E99999999", in: registry) } throws: {
      "\($0)".contains("No current authority")
    }
  }
}
