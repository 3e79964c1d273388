"""Sends the request-framing corpus (tests/lib/framing_corpus.py), each shape followed
by a second request, through the nginx front (TLS). nginx may refuse a shape (one
400) or, where its own parser finds the framing unambiguous (a valid chunked body, an
invalid header name it drops), answer both requests: what must never happen is a
desync, a request observd answers that the client did not get the answer to. So: at
most two responses per connection, observd's 404s for the second request equal the
404s the clients saw, and a scrape afterwards gets its own answer.
Usage: smuggle_through.py HTTPS_PORT CAFILE OBSERVD_PORT. Exit 0 when it held."""

import os
import re
import socket
import ssl
import sys
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from framing_corpus import CORPUS, SMUGGLED, STATUS_LINE  # noqa: E402


def exchange(port, cafile, data, timeout=3.0):
    ctx = ssl.create_default_context(cafile=cafile)
    raw = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    s = ctx.wrap_socket(raw, server_hostname="localhost")
    got = b""
    deadline = time.monotonic() + timeout
    try:
        s.sendall(data)
        while time.monotonic() < deadline:
            s.settimeout(max(0.05, deadline - time.monotonic()))
            try:
                chunk = s.recv(65536)
            except (socket.timeout, ssl.SSLError, OSError):
                break
            if not chunk:
                break
            got += chunk
    finally:
        s.close()
    return got


def not_found_count(observd_port):
    # observd counts unknown paths under handler="other", code="404".
    text = urllib.request.urlopen("http://127.0.0.1:%d/metrics" % observd_port).read().decode()
    m = re.search(r'observd_http_requests_total\{[^}]*handler="other"[^}]*code="404"[^}]*\} (\S+)',
                  text) or re.search(
        r'observd_http_requests_total\{[^}]*code="404"[^}]*handler="other"[^}]*\} (\S+)', text)
    return float(m.group(1)) if m else 0.0


def main():
    port, cafile, observd_port = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    before = not_found_count(observd_port)
    failures = refused = seen_404 = 0
    for name, data in CORPUS.items():
        # Close after the second request so nginx does not wait on keep-alive.
        got = exchange(port, cafile, data + SMUGGLED.replace(b"\r\n\r\n",
                                                             b"\r\nConnection: close\r\n\r\n"))
        statuses = [int(m[-4:-1]) for m in STATUS_LINE.findall(got)]
        if not statuses or len(statuses) > 2:
            failures += 1
            print("FAIL %s: %d responses on one connection: %r" % (name, len(statuses), got[:200]))
        refused += statuses[:1] == [400]
        seen_404 += statuses.count(404)
    after = not_found_count(observd_port)
    if after - before != seen_404:
        failures += 1
        print("FAIL observd answered %d second request(s), the clients saw %d answers"
              % (after - before, seen_404))
    scrape = urllib.request.urlopen("https://localhost:%d/metrics" % port,
                                    context=ssl.create_default_context(cafile=cafile))
    if b"observd_build_info" not in scrape.read():
        failures += 1
        print("FAIL a scrape after the corpus did not get /metrics")
    print("%d shapes through nginx: %d refused by nginx or observd, %d pipelined cleanly, "
          "%d failure(s)" % (len(CORPUS), refused, len(CORPUS) - refused, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
