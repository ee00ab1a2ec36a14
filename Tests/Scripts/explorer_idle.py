#!/usr/bin/python3
"""A client that never finishes its request, against a running explorer.

Usage: explorer_idle.py BASE_URL WAIT_SECONDS

Opens a connection, sends the start of a request head a byte at a time
(one byte a second, never the blank line that ends it) and waits for the
server to close the connection, for at most WAIT_SECONDS. Meanwhile a
second connection sends a whole request. Prints one JSON object:
{"closed_after": seconds or null, "complete_status": status}.
"""
import http.client
import json
import socket
import sys
import time
import urllib.parse

base, wait = sys.argv[1], float(sys.argv[2])
url = urllib.parse.urlsplit(base)

slow = socket.create_connection((url.hostname, url.port), timeout=1)
start = time.monotonic()
partial = b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 64
closed_after = None
sent = 0
while time.monotonic() - start < wait:
    try:
        if sent < len(partial):
            slow.send(partial[sent:sent + 1])
            sent += 1
        data = slow.recv(1024)
        if data == b"":
            closed_after = time.monotonic() - start
            break
    except socket.timeout:
        continue
    except (ConnectionResetError, BrokenPipeError):
        closed_after = time.monotonic() - start
        break

connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
connection.request("GET", "/api/indicators")
response = connection.getresponse()
response.read()
print(json.dumps({"closed_after": closed_after, "complete_status": response.status}))
