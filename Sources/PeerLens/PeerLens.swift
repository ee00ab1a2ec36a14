// The umbrella module: `import PeerLens` brings in every layer.
@_exported import PeerLensAnalysis
@_exported import PeerLensData
@_exported import PeerLensNumerics
@_exported import PeerLensReports
@_exported import PeerLensStatistics
