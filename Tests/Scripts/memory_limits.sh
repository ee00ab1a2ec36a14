#!/usr/bin/env bash
# Memory and time stay bounded (issue 21, item 2): each hostile `peerlens fit`
# below runs under a 4 GiB address-space limit (`ulimit -v 4194304`) and a
# 60-second timeout, and must end with an error exit and a message, not a
# signal (SIGSEGV, SIGABRT, SIGKILL) or a timeout.
#
#   bash Tests/Scripts/memory_limits.sh [PEERLENS_BINARY]
set -euo pipefail
cd "$(dirname "$0")/../.."
bin="${1:-$(swift build --show-bin-path)/peerlens}"
work="$(mktemp -d "${TMPDIR:-/tmp}/peerlens-memlimits.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# A small table with twelve numeric columns a..l.
awk 'BEGIN { srand(7); print "y,a,b,c,d,e,f,g,h,i,j,k,l,w";
  for (r = 0; r < 40; r++) { line = sprintf("%.4f", rand() * 10);
    for (c = 0; c < 13; c++) line = line "," sprintf("%.4f", rand() * 10); print line } }' > "$work/small.csv"
# Two factors with 3,000 levels each, one row per level.
awk 'BEGIN { print "y,a,b"; for (r = 0; r < 3000; r++) printf "%d,a%d,b%d\n", r % 7, r, (r * 7) % 3000 }' > "$work/levels.csv"

repeat() { printf "%${2}s" "" | sed "s/ /$1/g"; }
sum12="(a + b + c + d + e + f + g + h + i + j + k + l)"

failures=0
check() {  # check NAME DATA FORMULA [extra options...]
  local name="$1" data="$2" formula="$3"; shift 3
  local rc=0
  ( ulimit -v 4194304; exec timeout 60 "$bin" fit --data "$data" --formula "$formula" "$@" ) \
    > "$work/out" 2> "$work/err" || rc=$?
  if [ "$rc" -ge 1 ] && [ "$rc" -le 100 ] && [ -s "$work/err" ]; then
    echo "ok   $name (exit $rc): $(head -c 160 "$work/err" | head -n 1)"
  else
    echo "FAIL $name: exit $rc (above 128 is a signal, 124 a timeout)"; head -c 400 "$work/err"; echo
    failures=$((failures + 1))
  fi
}

check "10,000 nested parentheses" "$work/small.csv" "y ~ $(repeat '(' 10000)a$(repeat ')' 10000)"
check "10,000 nested log()" "$work/small.csv" "y ~ $(repeat 'log(' 10000)a$(repeat ')' 10000)"
check "100,000 unary minus in I()" "$work/small.csv" "y ~ I($(repeat '-' 100000)a)"
check "a:b with two 3,000-level factors" "$work/levels.csv" "y ~ a:b"
check "a*b*c*d*e*f*g*h*i*j*k*l" "$work/small.csv" "y ~ a*b*c*d*e*f*g*h*i*j*k*l"
check "product of four 12-term sums" "$work/small.csv" "y ~ $sum12*$sum12*$sum12*$sum12"
check "(a+...+l)^12" "$work/small.csv" "y ~ $sum12^12"
check "--bootstrap 100000000" "$work/small.csv" "y ~ a + b" --bootstrap 100000000

if [ "$failures" -gt 0 ]; then echo "$failures case(s) crashed or ran away"; exit 1; fi
echo "All cases ended with an error exit."
