import Foundation

/// A NIST StRD linear regression dataset read from its `.dat` file.
public struct StRDDataset: Sendable {
  public let name: String
  public let estimates: [Double]
  public let standardDeviations: [Double]
  public let residualStandardDeviation: Double
  public let rSquared: Double
  public let variableNames: [String]
  /// Rows of the data block, in the file's column order.
  public let rows: [[Double]]

  public init(named name: String) throws {
    let text = try TestData.text("strd/\(name).dat", in: TestData.reference)
    var est: [Double] = [], sd: [Double] = []
    var rsd = Double.nan, r2 = Double.nan
    var vars: [String] = []
    var rows: [[Double]] = []
    var inData = false
    for raw in text.split(whereSeparator: \.isNewline) {
      let line = raw.trimmingCharacters(in: .whitespaces)
      let f = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
      if inData {
        let v = f.compactMap(Double.init)
        if v.count == vars.count { rows.append(v) }
        continue
      }
      if line.hasPrefix("Data:") {
        vars = Array(f.dropFirst())
        inData = true
      } else if f.count == 3, f[0].first == "B", Int(f[0].dropFirst()) != nil,
                let e = Double(f[1]), let s = Double(f[2]) {
        est.append(e); sd.append(s)
      } else if line.hasPrefix("Standard Deviation"), let v = f.last.flatMap(Double.init) {
        rsd = v
      } else if line.hasPrefix("R-Squared"), let v = f.last.flatMap(Double.init) {
        r2 = v
      }
    }
    self.name = name
    self.estimates = est
    self.standardDeviations = sd
    self.residualStandardDeviation = rsd
    self.rSquared = r2
    self.variableNames = vars
    self.rows = rows
  }

  /// The data as CSV text (header plus rows, full precision).
  public var csv: String {
    ([variableNames.joined(separator: ",")] + rows.map { $0.map { "\($0)" }.joined(separator: ",") })
      .joined(separator: "\n")
  }
}
