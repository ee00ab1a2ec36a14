// swift-tools-version: 6.1
// The PeerLens benchmark harness: a separate package (as swift-collections
// keeps its benchmarks) so the main package's build and tests stay lean.
import Foundation
import PackageDescription

// A path dependency's identity is its folder's name, which differs between
// clones (main, ci-check, …), so it is read from this file's location.
let parent = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .lastPathComponent.lowercased()

let package = Package(
  name: "PeerLensBenchmarks",
  platforms: [.macOS(.v13)],
  dependencies: [.package(path: "..")],
  targets: [
    .executableTarget(
      name: "peerlens-bench",
      dependencies: [.product(name: "PeerLens", package: parent)],
      path: "Sources/peerlens-bench"
    )
  ]
)
