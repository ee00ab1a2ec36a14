#!/usr/bin/python3
"""Many concurrent clients against a running explorer (`peerlens serve`).

Usage: explorer_clients.py BASE_URL CLIENTS PATH [PATH ...]

Each client opens its own connection and sends one GET, all released at
once by a barrier; client k asks for PATH number k modulo the paths given.
Prints one JSON list: [path, status] per client, in client order.
"""
import http.client
import json
import sys
import threading
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

base, clients, paths = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
url = urllib.parse.urlsplit(base)
barrier = threading.Barrier(clients)


def client(k):
    path = paths[k % len(paths)]
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=300)
    connection.connect()
    barrier.wait()
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    connection.close()
    return [path, response.status]


with ThreadPoolExecutor(max_workers=clients) as pool:
    print(json.dumps(list(pool.map(client, range(clients)))))
