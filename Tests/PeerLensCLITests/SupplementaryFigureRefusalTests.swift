import Foundation
import Testing
import PeerLensAnalysis
import _PeerLensTestSupport

/// `peerlens indicators` lists the figures shown beside the indicators
/// (Ofsted's judgement, social workers by ethnic group, adoption
/// timeliness); the commands that compute one value per authority and
/// year refuse them by saying what they are and where they are, not
/// "no indicator in the catalogue".
@Suite(.serialized) struct SupplementaryFigureRefusalTests {
  @Test(arguments: SupplementaryFigure.all.map(\.id))
  func commandsSayWhereTheFigureIs(id: String) throws {
    let data = TestData.data.path
    for args in [["values", "--indicator", id, "--data", data],
                 ["data", "agreement", "--indicator", id, "--data", data],
                 ["model", "select", "--indicator", id, "--candidates", "imd19_avg_score", "--data", data]] {
      #expect { try runCommand(args) } throws: { error in
        let text = error.localizedDescription
        return text.contains("is a figure the packs show beside the indicators") && text.contains("values.csv")
          && !text.contains("No indicator")
      }
    }
    let listed = try runCommand(["indicators", "--data", data])
    #expect(listed.contains("\(id)  [beside the indicators]"))
  }
}
