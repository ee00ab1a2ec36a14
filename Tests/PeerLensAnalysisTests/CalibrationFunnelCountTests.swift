import Testing
import PeerLensStatistics
import PeerLensAnalysis

/// The calibration report's before-context count (issue 17.5): every flag
/// other than "within" is outside 95%, only the 99.8% flags outside 99.8%.
@Suite struct CalibrationFunnelCountTests {
  @Test func funnelFlagsAreCountedByLimit() {
    let flags: [FunnelPlot.Flag] = [.within, .within, .above95, .below95, .above998, .below998, .within, .within, .within, .within]
    let c = ModelCalibration.count(funnelFlags: flags)
    #expect(c.authorities == 10)
    #expect(c.outside95 == 4)
    #expect(c.outside998 == 2)
    #expect(abs(c.expected95 - 0.5) < 1e-12 && abs(c.expected998 - 0.02) < 1e-12)
    #expect(ModelCalibration.count(funnelFlags: []).authorities == 0)
  }
}
