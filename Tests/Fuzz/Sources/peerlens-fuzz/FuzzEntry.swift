import Foundation
import PeerLensFuzzTargets

/// The target named by `$PEERLENS_FUZZ_TARGET` (run.sh sets it).
let selectedTarget: FuzzTarget = {
  let name = ProcessInfo.processInfo.environment["PEERLENS_FUZZ_TARGET"] ?? ""
  guard let target = FuzzTarget(rawValue: name) else {
    let known = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
    FileHandle.standardError.write(Data("PEERLENS_FUZZ_TARGET must be one of: \(known)\n".utf8))
    exit(64)
  }
  return target
}()

/// libFuzzer's entry point: one input, any bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
  let data = start.map { Data(bytes: $0, count: count) } ?? Data()
  selectedTarget.run(data)
  return 0
}
