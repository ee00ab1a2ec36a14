#!/usr/bin/env bash
# A `packs` run is all or nothing (issue 21, item 6): kill a national run with
# SIGKILL at random moments over an earlier run's output, and check that the
# output folder is then exactly the earlier run or exactly the new one, never
# a mix; then check that the next run clears the killed runs' staging folders.
#
#   bash Tests/Scripts/kill_packs.sh [KILLS] [PEERLENS_BINARY]
#
# KILLS defaults to 20 (the documented full length); .ci/run uses 5.
set -euo pipefail
cd "$(dirname "$0")/../.."
kills="${1:-20}"
bin="${2:-$(swift build --show-bin-path)/peerlens}"
work="$(mktemp -d "${TMPDIR:-/tmp}/peerlens-killpacks.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# The earlier run (2024) and the new one (latest year): every file differs.
old=(packs --year 2024 --format html,csv)
new=(packs --format html,csv)

manifest() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum) ; }

"$bin" "${old[@]}" --out "$work/old" >/dev/null 2>&1
cp -a "$work/old" "$work/expected-new"
start=$(date +%s%N)
"$bin" "${new[@]}" --out "$work/expected-new" >/dev/null 2>&1
total=$(awk -v a="$start" -v b="$(date +%s%N)" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
manifest "$work/old" > "$work/old.sha"
manifest "$work/expected-new" > "$work/new.sha"
cmp -s "$work/old.sha" "$work/new.sha" && { echo "the two runs should differ" >&2; exit 1; }

seen_old=0; seen_new=0
for i in $(seq 1 "$kills"); do
  rm -rf "$work/out"; cp -a "$work/old" "$work/out"
  # A moment anywhere in the run, most of which is spent writing files.
  delay=$(awk -v t="$total" -v s="$RANDOM" 'BEGIN { srand(s); printf "%.2f", 0.2 + rand() * (t + 0.5) }')
  "$bin" "${new[@]}" --out "$work/out" >/dev/null 2>&1 &
  pid=$!
  sleep "$delay"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  manifest "$work/out" > "$work/out.sha"
  if cmp -s "$work/out.sha" "$work/old.sha"; then seen_old=$((seen_old + 1)); state=old
  elif cmp -s "$work/out.sha" "$work/new.sha"; then seen_new=$((seen_new + 1)); state=new
  else
    echo "kill $i after ${delay}s: the output is a mix of the two runs" >&2
    diff "$work/old.sha" "$work/out.sha" | head -5 >&2
    exit 1
  fi
  echo "kill $i after ${delay}s of ${total}s: output entirely $state"
done

# The next run clears the staging folders the killed runs left behind.
"$bin" "${new[@]}" --out "$work/out" >/dev/null 2>&1
left=$(find "$work" -maxdepth 1 -name '.out.staging-*' | wc -l)
[ "$left" -eq 0 ] || { echo "$left stale staging folder(s) left after the next run" >&2; exit 1; }
manifest "$work/out" > "$work/out.sha"
cmp -s "$work/out.sha" "$work/new.sha" || { echo "the run after the kills did not give the new output" >&2; exit 1; }
echo "kill_packs: $kills kills, output entirely old $seen_old times and entirely new $seen_new times; staging cleared"
