import CFuzzerDriver
import Foundation
import PeerLensFuzzTargets

/// The target named by `$PEERLENS_FUZZ_TARGET` (run.sh sets it).
let selected: FuzzTarget = {
  let name = ProcessInfo.processInfo.environment["PEERLENS_FUZZ_TARGET"] ?? ""
  guard let target = FuzzTarget(rawValue: name) else {
    let known = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
    FileHandle.standardError.write(Data("PEERLENS_FUZZ_TARGET must be one of: \(known)\n".utf8))
    exit(64)
  }
  return target
}()

/// libFuzzer's entry point: one input, any bytes. The fuzzer runtime's
/// driver refers to it by this name.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
  selected.run(start.map { Data(bytes: $0, count: count) } ?? Data())
  return 0
}

// SwiftPM gives the executable its own main, so the harness hands control
// to libFuzzer's driver (libFuzzer's "use as a library" entry point).
_ = selected
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzOneInput))
