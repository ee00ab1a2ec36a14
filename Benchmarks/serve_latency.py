#!/usr/bin/python3
"""The `serve` workload: latency of the explorer's routes under concurrent clients.

Usage: serve_latency.py BASE_URL [--clients 16] [--requests 400] [--client wrk|python]

For each route in turn (authority view, indicator view, workbench refit),
CLIENTS keep-alive HTTP/1.1 connections send requests back to back; each
request's time is from sending to the last byte of the body. Prints one JSON
line per route in the harness's format (workload, p50/p95 in seconds, target,
met) and a readable table on stderr. The authorities and variable sets rotate
so that the figures are not one repeated request.

The client is `wrk` (Debian's package; one thread, CLIENTS connections, a
Lua script rotating the paths) when it is installed, else Python threads
with http.client. Why wrk first: the client shares the machine's two cores
with the server, and 16 Python threads contending for the interpreter lock
add tens of milliseconds to the tail that are the client's, not the
server's (measured 2026-12-05: authority p95 100-160 ms through Python
threads or a two-thread wrk, 44 ms through one-thread wrk, at the same p50).
With wrk each route runs for a fixed time (REQUESTS / 20 seconds, at least
5) after a warm-up round, rather than a fixed count.
"""
import argparse
import http.client
import json
import os
import re
import shutil
import subprocess
import tempfile
import sys
import threading
import time
import urllib.parse
import urllib.request

parser = argparse.ArgumentParser()
parser.add_argument("base")
parser.add_argument("--clients", type=int, default=16)
parser.add_argument("--requests", type=int, default=400)
parser.add_argument("--client", choices=["wrk", "python"], default="wrk" if shutil.which("wrk") else "python")
args = parser.parse_args()
base = args.base.rstrip("/")
host = urllib.parse.urlsplit(base)

# A few real inputs, read from the server itself.
codes = [a["new_la_code"] for a in json.load(urllib.request.urlopen(f"{base}/api/authorities"))][:40]
page = urllib.request.urlopen(f"{base}/workbench/cla_rate").read().decode()
candidates = re.findall(r'name="vars" value="([^"]+)"', page)
# Refits with one candidate variable left out each time: a fresh model fit per request.
variable_sets = [",".join(candidates[:i] + candidates[i + 1:6]) for i in range(min(6, len(candidates)))]

routes = [
    ("authority", lambda i: f"/authority/{codes[i % len(codes)]}", 0.100),
    ("indicator", lambda i: f"/indicator/cla_rate?la={codes[i % len(codes)]}", 0.100),
    ("workbench", lambda i: f"/workbench/cla_rate?vars={variable_sets[i % len(variable_sets)]}", 0.300),
]


def measure(path_for):
    times, errors, lock = [], [], threading.Lock()
    counter = iter(range(args.requests))

    def client():
        conn = http.client.HTTPConnection(host.hostname, host.port, timeout=60)
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                break
            start = time.perf_counter()
            conn.request("GET", path_for(i))
            response = conn.getresponse()
            response.read()
            elapsed = time.perf_counter() - start
            with lock:
                (times if response.status == 200 else errors).append(elapsed if response.status == 200 else response.status)
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(args.clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        sys.exit(f"{len(errors)} requests answered {sorted(set(errors))}")
    times.sort()
    # Nearest-rank percentiles.
    return times[max(0, round(0.50 * len(times)) - 1)], times[max(0, round(0.95 * len(times)) - 1)]


def measure_wrk(path_for, seconds):
    """p50 and p95 (seconds) and the request count from one-thread wrk over the rotating paths."""
    paths = [path_for(i) for i in range(240)]
    script = "paths = {" + ",".join(json.dumps(p) for p in paths) + "}\n" + """
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %d\\n", latency:percentile(50), latency:percentile(95),
                         summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout))
end
"""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script)
    try:
        out = subprocess.run(["wrk", "-t1", f"-c{args.clients}", f"-d{seconds}s", "--timeout", "30s", "-s", f.name, base],
                             capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(f.name)
    line = next(l for l in out.splitlines() if l.startswith("RESULT"))
    p50, p95, count, errors = (int(x) for x in line.split()[1:])
    if errors:
        sys.exit(f"wrk: {errors} requests failed or were answered with an error status")
    return p50 / 1e6, p95 / 1e6, count


print(f"client: {args.client}", file=sys.stderr)
print(f"{'route':<10} {'p50 ms':>8} {'p95 ms':>8}  target (p95)", file=sys.stderr)
for name, path_for, target in routes:
    if args.client == "wrk":
        seconds = max(5, args.requests // 20)
        measure_wrk(path_for, 2)  # warm-up round, not counted
        p50, p95, count = measure_wrk(path_for, seconds)
    else:
        measure(path_for)  # warm-up round, not counted
        p50, p95 = measure(path_for)
        count = args.requests
    met = p95 < target
    print(json.dumps({"workload": f"serve_{name}", "client": args.client, "clients": args.clients, "requests": count,
                      "p50_seconds": round(p50, 4), "p95_seconds": round(p95, 4),
                      "target_p95_seconds": target, "met": met}))
    print(f"{name:<10} {p50 * 1000:8.1f} {p95 * 1000:8.1f}  < {target * 1000:.0f} ms: {'met' if met else 'not met'}",
          file=sys.stderr)
