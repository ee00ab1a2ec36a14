#!/usr/bin/env bash
# An import killed part-way leaves nothing half-imported (issue 13, bad input;
# issue 16, item 4): `data import` killed with SIGKILL at random moments leaves
# the data directory's store passing `PRAGMA integrity_check`, holding either
# the old vintages or the old ones and the complete new one, every recorded
# vintage's data folder complete; and the next import clears what the killed
# one left behind.
#
#   bash Tests/Scripts/kill_import.sh [KILLS] [PEERLENS_BINARY]
#
# KILLS defaults to 20 (the documented full length); .ci/run uses 5.
set -euo pipefail
cd "$(dirname "$0")/../.."
kills="${1:-20}"
bin="${2:-$(swift build --show-bin-path)/peerlens}"
work="$(mktemp -d "${TMPDIR:-/tmp}/peerlens-killimport.XXXXXX")"
trap 'rm -rf "$work"' EXIT
export XDG_CACHE_HOME="${XDG_CACHE_HOME:-$work/cache}"
unset PEERLENS_DATA PEERLENS_DATA_HOME

# Two releases as a user downloads them: ZIPs with a renamed CSV, each with
# one more revision of Rutland's 2023 children in care.
python3 - "$work" <<'PY'
import sys, zipfile, os
work = sys.argv[1]
src = zipfile.ZipFile("Data/snapshot.zip").read("dfe/cla_number_and_rate_per_10k_children.csv")
row = b"Rutland,E06000017,Children looked after on 31 March each year,8045,32,40"
assert row in src, "no Rutland 2023 row to revise"
for name, new in (("a", b"8045,36,45"), ("b", b"8045,40,50")):
    with zipfile.ZipFile(os.path.join(work, name + ".zip"), "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("data/children_looked_after_" + name + ".csv", src.replace(row, row.replace(b"8045,32,40", new)))
        z.writestr("data-guidance/data-guidance.txt", "guidance")
PY

state() {  # integrity, vintages and rows per vintage, each vintage's folder complete
  python3 - "$1" <<'PY'
import sqlite3, sys, os, json
home = sys.argv[1]
db = sqlite3.connect(os.path.join(home, "peerlens.sqlite"))
ok = db.execute("PRAGMA integrity_check").fetchone()[0]
out = [ok]
for vid, path, origin in db.execute("SELECT id, data_path, origin FROM vintage ORDER BY id"):
    rows = db.execute("SELECT count(*) FROM indicator_value WHERE vintage_id = ?", (vid,)).fetchone()[0]
    complete = True
    if origin == "import":
        path = os.path.join(home, path)  # recorded relative to the data directory
        listed = json.load(open(os.path.join(path, "sources.json")))
        complete = all(os.path.getsize(os.path.join(path, f["path"])) == f["bytes"] for f in listed)
    out.append((vid, rows, complete))
print(out)
PY
}

"$bin" data import "$work/a.zip" --data-home "$work/base" --label a >/dev/null
old_state="$(state "$work/base")"
cp -a "$work/base" "$work/expected"
start=$(date +%s%N)
"$bin" data import "$work/b.zip" --data-home "$work/expected" --label b >/dev/null
total=$(awk -v a="$start" -v b="$(date +%s%N)" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
new_state="$(state "$work/expected")"
[ "$old_state" != "$new_state" ] || { echo "the second import should add a vintage" >&2; exit 1; }

seen_old=0; seen_new=0
for i in $(seq 1 "$kills"); do
  rm -rf "$work/home"; cp -a "$work/base" "$work/home"
  delay=$(awk -v t="$total" -v s="$RANDOM" 'BEGIN { srand(s); printf "%.2f", 0.05 + rand() * t }')
  "$bin" data import "$work/b.zip" --data-home "$work/home" --label b >/dev/null 2>&1 &
  pid=$!
  sleep "$delay"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  now="$(state "$work/home")"
  if [ "$now" = "$old_state" ]; then seen_old=$((seen_old + 1)); what=old
  elif [ "$now" = "$new_state" ]; then seen_new=$((seen_new + 1)); what=new
  else
    echo "kill $i after ${delay}s: neither the old vintages nor the complete new one: $now" >&2
    echo "  old: $old_state" >&2; echo "  new: $new_state" >&2
    exit 1
  fi
  # Whatever the kill left, commands read a complete vintage.
  "$bin" data sources --data-home "$work/home" --format csv >/dev/null
  echo "kill $i after ${delay}s of ${total}s: intact, $what vintages"
done
# The next import finishes the job and leaves no staging or orphan folder.
"$bin" data import "$work/b.zip" --data-home "$work/home" --label b >/dev/null
[ "$(state "$work/home")" = "$new_state" ] || { echo "re-import after the kills did not give the new state" >&2; exit 1; }
folders=$(ls -A "$work/home/versions" | wc -l)
[ "$folders" = "2" ] || { echo "expected 2 vintage folders after re-import, found: $(ls -A "$work/home/versions")" >&2; exit 1; }
echo "kill_import: $kills kills, old vintages $seen_old times, complete new vintage $seen_new times"
