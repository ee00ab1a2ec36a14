#!/usr/bin/python3
"""The `serve` workload: latency of the explorer's routes under concurrent clients.

Usage: serve_latency.py BASE_URL [--clients 16] [--requests 400]

For each route in turn (authority view, indicator view, workbench refit),
CLIENTS threads each keep one HTTP/1.1 connection open and send requests
back to back until REQUESTS have been answered in all; each request's time
is from sending to the last byte of the body. Prints one JSON line per route
in the harness's format (workload, p50/p95 in seconds, target, met) and a
readable table on stderr. The authorities and variable sets rotate so that
the figures are not one repeated request.
"""
import argparse
import http.client
import json
import re
import sys
import threading
import time
import urllib.parse
import urllib.request

parser = argparse.ArgumentParser()
parser.add_argument("base")
parser.add_argument("--clients", type=int, default=16)
parser.add_argument("--requests", type=int, default=400)
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


print(f"{'route':<10} {'p50 ms':>8} {'p95 ms':>8}  target (p95)", file=sys.stderr)
for name, path_for, target in routes:
    measure(path_for)  # warm-up round, not counted
    p50, p95 = measure(path_for)
    met = p95 < target
    print(json.dumps({"workload": f"serve_{name}", "clients": args.clients, "requests": args.requests,
                      "p50_seconds": round(p50, 4), "p95_seconds": round(p95, 4),
                      "target_p95_seconds": target, "met": met}))
    print(f"{name:<10} {p50 * 1000:8.1f} {p95 * 1000:8.1f}  < {target * 1000:.0f} ms: {'met' if met else 'not met'}",
          file=sys.stderr)
