"""Hostile HTTP on raw sockets, malformed and slow requests: oversized request lines
and headers, bad Content-Length, unknown methods, bodies on GET, slow-loris. After every
case the daemon still answers /-/healthy (DESIGN.md, "HTTP contract")."""

import socket
import threading
import time
import unittest

from hostile_http_base import HostileHttpCase, req
from polling import timed, wait_until


class HostileRequestTest(HostileHttpCase):
    # -- oversized and malformed requests

    def test_oversized_request_line_and_headers(self):
        cases = {
            "100 KB request line": b"GET /" + b"a" * (100 * 1024) + b" HTTP/1.1\r\nHost: x\r\n\r\n",
            "100 KB query": b"GET /metrics?" + b"q=1&" * 25600 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
            "2000 headers": b"GET /-/healthy HTTP/1.1\r\n"
                            + b"".join(b"X-H%d: v\r\n" % i for i in range(2000)) + b"\r\n",
            "one 64 KB header": b"GET /-/healthy HTTP/1.1\r\nX-Big: " + b"a" * 65536 + b"\r\n\r\n",
            "1 MB of header bytes": b"GET /-/healthy HTTP/1.1\r\n"
                                    + b"X-A: " + b"b" * (1024 * 1024) + b"\r\n\r\n",
            "no end of headers": b"GET /-/healthy HTTP/1.1\r\nHost: x\r\n" + b"X: y\r\n" * 5000,
        }
        for label, data in cases.items():
            with self.subTest(label):
                r = self.raw(data, timeout=6)
                if r.status is not None:
                    self.assertTrue(400 <= r.status < 500, "%s -> %r" % (label, r))
                else:
                    self.assertTrue(r.closed, "%s: connection neither answered nor closed "
                                    "within 6 s: %r" % (label, r))
                self.assert_alive(label)

    def test_bad_content_length(self):
        for method in ("GET", "POST"):
            for cl in ("-1", "abc", "99999999999999999999999", "1, 2", "0x10", "",
                       "18446744073709551617"):
                with self.subTest(method=method, content_length=cl):
                    r = self.raw(req(method, "/metrics", [("Content-Length", cl)]), timeout=5)
                    self.assertIsNotNone(r.status, "%s CL=%r: no answer: %r" % (method, cl, r))
                    self.assertTrue(400 <= r.status < 500, "%s CL=%r -> %r" % (method, cl, r))
                    self.assert_alive("Content-Length %r" % cl)
        # two different Content-Length headers (request smuggling)
        r = self.raw(req("POST", "/metrics", [("Content-Length", "3"), ("Content-Length", "5")],
                         b"abcde"))
        self.assertTrue(r.status is None or 400 <= r.status < 500, r)
        self.assert_alive("duplicate Content-Length")

    def test_unknown_and_unsupported_methods(self):
        for method in ("FOO", "PUT", "DELETE", "TRACE", "OPTIONS", "POST", "PATCH", "CONNECT",
                       "PROPFIND", "MKCOL", "get"):
            with self.subTest(method=method):
                target = "127.0.0.1:80" if method == "CONNECT" else "/metrics"
                body_headers = [("Content-Length", "0")] if method in ("PUT", "POST", "PATCH") else []
                r = self.raw(req(method, target, body_headers))
                self.assertIsNotNone(r.status, "%s: no answer: %r" % (method, r))
                self.assertTrue(400 <= r.status < 500, "%s -> %r" % (method, r))
                if method in ("PUT", "DELETE", "POST", "PATCH", "OPTIONS"):
                    self.assertEqual(r.status, 405, "%s /metrics -> %r" % (method, r))
                if method == "TRACE":
                    self.assertNotIn(b"Host: 127.0.0.1", r.body, "TRACE echoed the request")
                self.assert_alive(method)

    def test_get_with_a_body(self):
        body = b"x" * 1000
        r = self.raw(req("GET", "/-/healthy", [("Content-Length", str(len(body)))], body))
        self.assertIn(r.status, (200, 400, 413), r)
        # the body is not taken for a second request on a kept-alive connection
        s = socket.create_connection(("127.0.0.1", self.o.port), timeout=5)
        self.addCleanup(s.close)
        smuggled = b"GET /nope-smuggled HTTP/1.1\r\nHost: x\r\n\r\n"
        s.sendall(b"GET /-/healthy HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n"
                  % len(smuggled) + smuggled)
        got = b""
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline:
            s.settimeout(max(0.05, deadline - time.monotonic()))
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                break
            got += chunk
        self.assertLessEqual(got.count(b"HTTP/1."), 1,
                             "the GET body was parsed as a second request: %r" % got[:600])
        self.assert_alive("GET with body")

    def test_slow_loris_does_not_starve_metrics(self):
        socks = []
        stop = threading.Event()
        self.addCleanup(lambda: [s.close() for s in socks])
        self.addCleanup(stop.set)
        request = b"GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 200
        for _ in range(20):
            s = socket.create_connection(("127.0.0.1", self.o.port), timeout=5)
            socks.append(s)
        closed = [False] * len(socks)

        def drip():
            i = 0
            while not stop.is_set() and i < len(request):
                for n, s in enumerate(socks):
                    if closed[n]:
                        continue
                    try:
                        s.sendall(request[i:i + 1])
                    except OSError:
                        closed[n] = True
                i += 1
                stop.wait(1.0)
        t = threading.Thread(target=drip, daemon=True)
        t.start()
        t0 = time.monotonic()
        worst = 0.0
        while time.monotonic() - t0 < 3.5:
            r, secs = timed(self.o.get, "/metrics", timeout=5)
            self.assertEqual(r.status, 200)
            worst = max(worst, secs)
            time.sleep(0.2)
        self.assertLess(worst, 1.0, "/metrics took %.2fs with 20 slow-loris connections" % worst)
        # request_timeout (2 s here) drops requests not fully received in time
        def all_dropped():
            for n, s in enumerate(socks):
                if closed[n]:
                    continue
                s.setblocking(False)
                try:
                    data = s.recv(65536)
                    if data == b"" or data.startswith(b"HTTP/1.1 4") or data.startswith(b"HTTP/1.0 4"):
                        closed[n] = True
                except BlockingIOError:
                    pass
                except OSError:
                    closed[n] = True
            return all(closed)
        wait_until(all_dropped, timeout=6, interval=0.2,
                           message=lambda: "%d of 20 slow-loris connections still open %.1fs "
                           "after they started (request_timeout 2s)"
                           % (closed.count(False), time.monotonic() - t0))
        stop.set()
        t.join(5)
        self.assert_alive("slow-loris")


if __name__ == "__main__":
    unittest.main()
