// swift-tools-version: 6.1
// The libFuzzer harness: a separate package so the main build never needs
// the fuzzer runtime. Build and run one target with
//   bash Tests/Fuzz/run.sh TARGET SECONDS
// The same targets run in `swift test` as a corpus replay
// (FuzzCorpusReplayTests), without the fuzzer.
import Foundation
import PackageDescription

// A path dependency's identity is its folder's name, which differs between
// clones, so it is read from this file's location.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent().lastPathComponent.lowercased()

let package = Package(
  name: "PeerLensFuzz",
  platforms: [.macOS(.v13)],
  dependencies: [.package(path: "../..")],
  targets: [
    .target(name: "CFuzzerDriver", path: "Sources/CFuzzerDriver"),
    .executableTarget(
      name: "peerlens-fuzz",
      dependencies: ["CFuzzerDriver", .product(name: "PeerLensFuzzTargets", package: root)],
      path: "Sources/peerlens-fuzz"
    )
  ]
)
