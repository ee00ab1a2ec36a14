#!/usr/bin/env bash
# One command for the whole comparison: PeerLens against R, statsmodels and
# scikit-learn on the same inputs from the data mirror.
#   bash Benchmarks/run.sh           full run (25 indicators, 1,000 bootstrap resamples)
#   bash Benchmarks/run.sh --quick   a few minutes
#   bash Benchmarks/run.sh --smoke   PeerLens side only, tiny inputs (the harness's own check; CI runs this)
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE=full
case "${1:-}" in --quick) SIZE=quick ;; --smoke) SIZE=smoke ;; "") ;; *) echo "usage: bash Benchmarks/run.sh [--quick|--smoke]" >&2; exit 64 ;; esac
WORK="Benchmarks/work"
rm -rf "$WORK"; mkdir -p "$WORK"
CONFIG=release; [ "$SIZE" = smoke ] && CONFIG=debug
echo "Building the harness ($CONFIG)…" >&2
swift build -c "$CONFIG" --package-path Benchmarks >&2
BENCH="Benchmarks/.build/$CONFIG/peerlens-bench"
# The data: $PEERLENS_DATA, else the snapshot embedded in PeerLens (extracted once into the cache).
DATA="${PEERLENS_DATA:-$("$BENCH" --data-path)}"
"$BENCH" --data "$DATA" --work "$WORK" --models Models --size "$SIZE" --prepare >&2
WORKLOADS="dgemm selection nb_bootstrap nb_bootstrap_1core poisson_fits knn kmeans ingest packs pack_on_demand rank_bootstrap"
[ "$SIZE" = smoke ] && WORKLOADS="dgemm selection nb_bootstrap nb_bootstrap_1core poisson_fits knn kmeans ingest"
for wl in $WORKLOADS; do
  echo "PeerLens: $wl" >&2
  "$BENCH" --data "$DATA" --work "$WORK" --models Models --size "$SIZE" --workload "$wl" | tee -a "$WORK/peerlens.jsonl"
done
# serve: the explorer's route latencies under 16 concurrent clients (no peer), against the
# release 'peerlens serve' on a free port; the address is the first line it prints.
serve_workload() {
  swift build -c "$CONFIG" --product peerlens >&2
  local out="$WORK/serve.out" pid base=""
  PEERLENS_DATA="$DATA" ".build/$CONFIG/peerlens" serve --port 0 >"$out" 2>"$WORK/serve.err" &
  pid=$!
  for _ in $(seq 600); do
    base=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$out" 2>/dev/null || true)
    [ -n "$base" ] || ! kill -0 "$pid" 2>/dev/null && break
    sleep 0.2
  done
  if [ -z "$base" ]; then kill "$pid" 2>/dev/null || true; echo "peerlens serve printed no address" >&2; return 1; fi
  local requests=400; [ "$SIZE" = smoke ] && requests=48
  command -v wrk >/dev/null || echo "wrk is not installed (apt-get install wrk): the serve client falls back to Python threads, whose own contention adds to the tail latency" >&2
  /usr/bin/python3 Benchmarks/serve_latency.py "$base" --clients 16 --requests "$requests" | tee -a "$WORK/peerlens.jsonl" || { kill -INT "$pid"; return 1; }
  kill -INT "$pid"; wait "$pid" || true
}
if [ "$SIZE" != smoke ] || [ -n "${PEERLENS_BENCH_SERVE:-}" ]; then
  echo "PeerLens: serve" >&2
  serve_workload
fi
if [ "$SIZE" = smoke ]; then
  echo "smoke run: $(wc -l < "$WORK/peerlens.jsonl") workloads ran"; exit 0
fi
VENV=Benchmarks/.venv
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q numpy scipy statsmodels scikit-learn pandas threadpoolctl
fi
echo "Python peers (statsmodels, scikit-learn, pandas)…" >&2
# OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE slow a current numpy where set: unset for the peer alone.
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$VENV/bin/python" Benchmarks/peers/python_peer.py --work "$WORK" --data "$DATA" --size "$SIZE" | tee -a "$WORK/peers.jsonl"
if command -v Rscript >/dev/null && Rscript -e 'library(MASS)' >/dev/null 2>&1; then
  echo "R peers (lm.fit, glm, MASS::glm.nb; the rank bootstrap)…" >&2
  Rscript Benchmarks/peers/r_peer.R "$WORK" "$SIZE" | tee -a "$WORK/peers.jsonl"
else
  echo "R with MASS is not installed (apt-get install r-base-core r-cran-mass r-cran-lme4): R comparisons skipped." >&2
fi
"$VENV/bin/python" Benchmarks/peers/report.py --work "$WORK" --out Benchmarks/results/latest.json
