// peerlens-bench: times PeerLens's performance-critical workloads and
// writes their inputs and outputs so peer scripts (R, statsmodels,
// scikit-learn) can run the same work and be checked against them.
//
//   peerlens-bench --data DIR --work DIR --workload NAME [--size smoke|quick|full] [--reps N]
//   peerlens-bench --data DIR --work DIR --prepare [--size …]
//   peerlens-bench --data-path     prints the data folder in use (the snapshot when no --data)
//
// Each workload prints one JSON line:
//   {"workload": …, "seconds": median, "reps": n, "peak_rss_mb": …, "output": "file"}
import Foundation
import PeerLens

let args = Array(CommandLine.arguments.dropFirst())
@MainActor func option(_ name: String) -> String? {
  guard let i = args.firstIndex(of: name), i + 1 < args.count else { return nil }
  return args[i + 1]
}
// No --data: $PEERLENS_DATA, else the data snapshot embedded in PeerLens.
let mirror: DataMirror
do { mirror = try DataMirror.locate(option("--data")) } catch {
  FileHandle.standardError.write(Data("peerlens-bench: \(error.localizedDescription)\n".utf8))
  exit(1)
}
if args.contains("--data-path") {
  print(mirror.root.path)
  exit(0)
}
let work = URL(fileURLWithPath: option("--work") ?? "Benchmarks/work")
let size = BenchSize(rawValue: option("--size") ?? "quick") ?? .quick
let reps = Int(option("--reps") ?? "") ?? size.reps
let models = URL(fileURLWithPath: option("--models") ?? "Models")
try? FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)

let bench = Bench(mirror: mirror, work: work, size: size, models: models)
do {
  if args.contains("--prepare") {
    try bench.prepare()
    print("{\"prepared\": \"\(work.path)\"}")
  } else if let name = option("--workload") {
    let result = try bench.run(name, reps: reps)
    print(result)
  } else {
    FileHandle.standardError.write(Data("usage: peerlens-bench --data DIR --work DIR (--prepare | --workload NAME) [--size smoke|quick|full]\n".utf8))
    exit(64)
  }
} catch {
  FileHandle.standardError.write(Data("peerlens-bench: \(error.localizedDescription)\n".utf8))
  exit(1)
}
