import Foundation
import Testing

/// The snapshot comparison must still see a real change.
@Suite struct JSONComparisonTests {
  func differences(_ a: String, _ b: String) throws -> [String] {
    try JSONComparison.differences(Data(a.utf8), Data(b.utf8))
  }

  @Test func lastDigitsPassAndRealChangesAreFound() throws {
    #expect(try differences(#"{"a":[438.46541615798293,1]}"#, #"{"a":[438.46541615798407,1]}"#).isEmpty)
    #expect(try differences(#"{"a":[438.4654,1]}"#, #"{"a":[438.4655,1]}"#) == ["a[0]: 438.4654 against 438.4655"])
    #expect(try differences(#"{"a":0}"#, #"{"a":1e-300}"#).count == 1)
    #expect(try differences(#"{"s":"within"}"#, #"{"s":"above"}"#).count == 1)
    #expect(try differences(#"{"a":1}"#, #"{"a":1,"b":2}"#).count == 1)
    #expect(try differences(#"{"a":[1,2]}"#, #"{"a":[1]}"#).count == 1)
    #expect(try differences(#"{"a":null}"#, #"{"a":0}"#).count == 1)
    #expect(try differences(#"{"a":"1"}"#, #"{"a":1}"#).count == 1)
  }
}
