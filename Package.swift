// swift-tools-version: 6.1
import PackageDescription

/// The computing layers are optimised in debug builds too. The tests and the
/// CI main job run debug builds, and at -Onone the statistics (leave-one-out
/// refits of every model, funnel limits from exact distributions) spend most
/// of their time in unspecialised generic code: a national run took 90 s in
/// debug and a few seconds optimised. To step through these layers in a
/// debugger, build with `-Xswiftc -Onone`.
let optimisedEvenInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
  name: "PeerLens",
  // macOS 14: Hummingbird 2 (the explorer, PeerLensServer) needs it.
  platforms: [.macOS(.v14)],
  products: [
    .executable(name: "peerlens", targets: ["peerlens"]),
    .library(name: "PeerLensCLI", targets: ["PeerLensCLI"]),
    .library(name: "PeerLens", targets: ["PeerLens"]),
    // For the libFuzzer harness in Tests/Fuzz (its own package).
    .library(name: "PeerLensFuzzTargets", targets: ["PeerLensFuzzTargets"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
    .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
    .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
    .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
  ],
  targets: [
    // MARK: - C at the edge
    .systemLibrary(
      name: "CLAPACKE",
      pkgConfig: "lapacke",
      providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]
    ),

    // zlib, for the workbooks' deflate at a level of our choosing
    // (ZIPFoundation fixes zlib's default level, most of a workbook's cost).
    .systemLibrary(
      name: "CDeflate",
      pkgConfig: "zlib",
      providers: [.apt(["zlib1g-dev"])]
    ),

    // MARK: - Layers (each depends only on the ones above it)
    .target(name: "PeerLensNumerics", dependencies: ["CLAPACKE", "CDeflate"], swiftSettings: optimisedEvenInDebug),
    .target(name: "PeerLensStatistics", dependencies: ["PeerLensNumerics"], swiftSettings: optimisedEvenInDebug),
    .target(
      name: "PeerLensData",
      dependencies: [
        "PeerLensStatistics",
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "TOMLKit", package: "TOMLKit"),
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "ZIPFoundation", package: "ZIPFoundation"),
      ],
      swiftSettings: optimisedEvenInDebug
    ),
    .target(
      name: "PeerLensAnalysis",
      dependencies: [
        "PeerLensData", "PeerLensStatistics", .product(name: "TOMLKit", package: "TOMLKit"),
      ],
      swiftSettings: optimisedEvenInDebug
    ),
    .target(
      name: "PeerLensReports",
      dependencies: [
        "PeerLensAnalysis", "PeerLensData", "PeerLensStatistics", "PeerLensNumerics",
        .product(name: "Mustache", package: "swift-mustache"),
      ],
      swiftSettings: optimisedEvenInDebug
    ),
    // The explorer (`peerlens serve`): the engine's numbers behind a local
    // web server. Between Reports and CLI, so the layers still depend one way.
    .target(
      name: "PeerLensServer",
      dependencies: [
        "PeerLensReports", "PeerLensAnalysis", "PeerLensData", "PeerLensStatistics",
        .product(name: "Hummingbird", package: "hummingbird"),
      ]
    ),
    .target(
      name: "PeerLensCLI",
      dependencies: [
        "PeerLensServer", "PeerLensReports", "PeerLensAnalysis", "PeerLensData", "PeerLensStatistics", "PeerLensNumerics",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .executableTarget(name: "peerlens", dependencies: ["PeerLensCLI"]),
    .target(
      name: "PeerLens",
      dependencies: ["PeerLensNumerics", "PeerLensStatistics", "PeerLensData", "PeerLensAnalysis", "PeerLensReports"]
    ),

    // MARK: - Test support and test bundles
    // The parsers as fuzz targets: driven by libFuzzer (Tests/Fuzz) and
    // replayed over the committed corpus by `swift test`.
    .target(name: "PeerLensFuzzTargets", dependencies: ["PeerLensAnalysis", "PeerLensData", "PeerLensStatistics"]),
    .target(name: "_PeerLensTestSupport", dependencies: ["PeerLensNumerics", "PeerLensData"], path: "Sources/_PeerLensTestSupport"),
    .testTarget(name: "PeerLensNumericsTests", dependencies: ["PeerLensNumerics", "_PeerLensTestSupport"]),
    .testTarget(name: "PeerLensStatisticsTests", dependencies: ["PeerLensStatistics", "PeerLensData", "_PeerLensTestSupport"]),
    .testTarget(name: "PeerLensDataTests", dependencies: ["PeerLensData", "_PeerLensTestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
    .testTarget(name: "PeerLensAnalysisTests", dependencies: ["PeerLensAnalysis", "_PeerLensTestSupport"]),
    .testTarget(
      name: "PeerLensReportsTests",
      dependencies: ["PeerLensReports", "_PeerLensTestSupport", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
      exclude: ["Snapshots"]  // read through #filePath, compared byte for byte
    ),
    .testTarget(
      name: "PeerLensServerTests",
      dependencies: [
        "PeerLensServer", "PeerLensReports", "PeerLensAnalysis", "PeerLensData", "_PeerLensTestSupport",
        .product(name: "HummingbirdTesting", package: "hummingbird"),
      ]
    ),
    .testTarget(name: "PeerLensFuzzTargetsTests", dependencies: ["PeerLensFuzzTargets", "_PeerLensTestSupport"]),
    .testTarget(name: "PeerLensCLITests", dependencies: ["PeerLensCLI", "PeerLensData", "PeerLensNumerics", "_PeerLensTestSupport", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
  ]
)
