#!/usr/bin/env bash
# Runs one libFuzzer target for a while:
#   bash Tests/Fuzz/run.sh TARGET SECONDS [extra libFuzzer flags]
# TARGET: csv, formula, model-spec, neighbours, ees-zip. New inputs that raise
# coverage go to Tests/Fuzz/work/TARGET (not committed; copy the useful
# ones into corpus/TARGET); crashes go to Tests/Fuzz/crashes/TARGET, which
# `swift test` replays (FuzzCorpusReplayTests) once the bug is fixed.
set -euo pipefail
cd "$(dirname "$0")"
target="${1:?usage: bash Tests/Fuzz/run.sh TARGET SECONDS}"
seconds="${2:?usage: bash Tests/Fuzz/run.sh TARGET SECONDS}"
shift 2
[ -d "corpus/$target" ] || { echo "unknown target '$target' (no corpus/$target)" >&2; exit 64; }
swift build -c release --product peerlens-fuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -gnone -Xcc -g0 -Xcxx -g0 >&2
bin="$(swift build -c release --show-bin-path)/peerlens-fuzz"
mkdir -p "work/$target" "crashes/$target"
# 2 GiB RSS limit and 10 s per input: memory and time must stay bounded.
# Leak detection is off: TOMLKit's decoder keeps a few kilobytes per
# document alive (a reference cycle in a dependency, not PeerLens), which
# would stop the model-spec run on its first seed; the RSS limit still
# catches memory that grows with the input.
PEERLENS_FUZZ_TARGET="$target" "$bin" "work/$target" "corpus/$target" \
  -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -max_len=65536 \
  -artifact_prefix="crashes/$target/" -print_final_stats=1 -detect_leaks=0 "$@"
