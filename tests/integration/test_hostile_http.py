"""Hostile HTTP on raw sockets: path traversal in every encoding, oversized request
lines and headers, bad Content-Length, unknown methods, bodies on GET, slow-loris,
binary garbage and a TLS ClientHello on the plain port, query validation, and the
security headers on error responses. After every case the daemon still answers
/-/healthy (DESIGN.md, "HTTP contract")."""

import os
import socket
import threading
import time
import unittest

from itbase import ObservdTestCase, seed_default_dataset
from observd_process import Observd
from polling import timed, wait_until
from rawhttp import raw_http
from redis_server import RedisServer

CSP_PART = "frame-ancestors 'none'"

TRAVERSALS = [
    "/static/../../etc/passwd",
    "/static/../../../../../../../../etc/passwd",
    "/static/%2e%2e/%2e%2e/etc/passwd",
    "/static/%2E%2E/%2E%2E/%2E%2E/%2E%2E/etc/passwd",
    "/static/%252e%252e/%252e%252e/etc/passwd",
    "/static/..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/static/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/static/%2e%2e%5c%2e%2e%5c%2e%2e%5cetc%5cpasswd",
    "/static/..\\..\\..\\..\\etc\\passwd",
    "/static\\..\\..\\..\\etc\\passwd",
    "/static/%c0%ae%c0%ae/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
    "/static/%c0%ae%c0%ae%c0%af%c0%ae%c0%ae%c0%afetc%c0%afpasswd",
    "/static/%e0%80%ae%e0%80%ae/etc/passwd",
    "/static/./css/site.css/..",
    "/static/./css/../../../../etc/passwd",
    "/static//etc/passwd",
    "//etc/passwd",
    "/static/css/site.css%00../../../../etc/passwd",
    "/static/..;/..;/etc/passwd",
    "/../../../../etc/passwd",
    "/dashboard/../../../etc/passwd",
    "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/static/../pages/index.html/../../../../etc/passwd",
]
# absolute-form request targets; CivetWeb 1.15 closes these without an answer when the
# host is not its own (a "TODO: proxy" in process_new_connection), which is safe.
ABSOLUTE = [
    "http://x/../../etc/passwd",
    "http://127.0.0.1/static/../../etc/passwd",
    "http://localhost/static/%2e%2e/%2e%2e/etc/passwd",
    "file:///etc/passwd",
]


def req(method, target, headers=(), body=b"", version="HTTP/1.1"):
    lines = ["%s %s %s" % (method, target, version), "Host: 127.0.0.1", "Connection: close"]
    lines += ["%s: %s" % h for h in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


class HostileHttpTest(ObservdTestCase):
    @classmethod
    def setUpClass(cls):
        # One redis + observd for the whole class: every case is independent and
        # checks /-/healthy afterwards; the few that need other config start their own.
        cls.redis = RedisServer()
        seed_default_dataset(cls.redis)
        cls.o = Observd(config={"cache": {"ttl": "5s"}, "web": {"request_timeout": "2s"}},
                                redis_addr=cls.redis.addr)

    @classmethod
    def tearDownClass(cls):
        cls.o.cleanup()
        cls.redis.cleanup()

    def raw(self, data, timeout=5.0):
        return raw_http(self.o.port, data, timeout=timeout)

    def assert_alive(self, label):
        self.assertTrue(self.o.running(), "%s: observd died; stderr:\n%s" % (label, self.o.stderr()))
        r, secs = timed(self.o.get, "/-/healthy", timeout=5)
        self.assertEqual(r.status, 200, label)
        self.assertLess(secs, 1.0, "%s: /-/healthy took %.2fs" % (label, secs))

    def assert_security_headers(self, r, label):
        self.assertEqual(r.header("X-Content-Type-Options"), "nosniff",
                         "%s: no X-Content-Type-Options: nosniff; got %r" % (label, r.raw[:400]))
        self.assertIn(CSP_PART, r.header("Content-Security-Policy") or "",
                      "%s: no CSP with %s; got %r" % (label, CSP_PART, r.raw[:400]))

    # -- traversal

    def test_path_traversal_never_leaves_the_site(self):
        for target in TRAVERSALS:
            with self.subTest(target=target):
                for method in ("GET", "HEAD"):
                    r = self.raw(req(method, target))
                    self.assertNotIn(b"root:", r.raw, "%s %s leaked /etc/passwd" % (method, target))
                    self.assertIsNotNone(r.status, "%s %s: no HTTP answer: %r" % (method, target, r))
                    if "%00" in target and r.status == 200:
                        # CivetWeb decodes the path before observd sees it, so an
                        # encoded NUL ends it: the exact lookup then finds the real
                        # site file in front of the NUL, and nothing outside the site.
                        self.assertIn(b"text/css", r.raw)
                        continue
                    self.assertTrue(400 <= r.status < 500, "%s %s -> %r" % (method, target, r))
                self.assert_alive(target)
        # control: the real file is served, so a 404 above is not "everything is 404"
        r = self.raw(req("GET", "/static/css/site.css"))
        self.assertEqual(r.status, 200, r)

    def test_absolute_uri_traversal(self):
        for target in ABSOLUTE:
            with self.subTest(target=target):
                r = self.raw(req("GET", target))
                self.assertNotIn(b"root:", r.raw)
                if r.status is None:
                    self.assertTrue(r.closed and r.raw == b"",
                                    "%s: neither an HTTP answer nor a clean close: %r"
                                    % (target, r))
                else:
                    self.assertTrue(400 <= r.status < 500, "%s -> %r" % (target, r))
                self.assert_alive(target)

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

    def test_binary_garbage_and_tls_client_hello(self):
        hello = bytes.fromhex(
            "16030100c4010000c00303") + os.urandom(32) + bytes.fromhex(
            "000020c02bc02fc02cc030cca9cca8c013c014009c009d002f0035c012000a1301130213030100"
            "0077000000140012000009"
            "6c6f63616c686f7374"  # "localhost"
            "000a000a0008001d001700180019000b00020100000d0012001004030804040105030805050108"
            "06060100120000001000050003026832")
        cases = {
            "TLS ClientHello": hello,
            "random bytes": os.urandom(4096),
            "NUL bytes": b"\x00" * 512,
            "NUL in request line": b"GET /met\x00rics HTTP/1.1\r\nHost: x\r\n\r\n",
            "bare LF": b"GET /-/healthy HTTP/1.1\nHost: x\n\n",
            "HTTP/2 preface": b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
            "only CRLFs": b"\r\n" * 4000,
            "CR in header value": b"GET /-/healthy HTTP/1.1\r\nX: a\rb\r\nHost: x\r\n\r\n",
            "space before colon": b"GET /-/healthy HTTP/1.1\r\nHost : x\r\n\r\n",
            "HTTP/0.9": b"GET /metrics\r\n",
            "HTTP/9.9": b"GET /metrics HTTP/9.9\r\nHost: x\r\n\r\n",
            "high bytes in path": b"GET /\xff\xfe\xfd HTTP/1.1\r\nHost: x\r\n\r\n",
        }
        for label, data in cases.items():
            with self.subTest(label):
                r = self.raw(data, timeout=4)
                if r.status is not None and label not in ("bare LF", "space before colon"):
                    self.assertTrue(400 <= r.status < 600 and r.status != 500,
                                    "%s -> %r" % (label, r))
                if label in ("TLS ClientHello", "random bytes", "NUL bytes"):
                    # A 4xx (with the security headers; CivetWeb may keep reading the
                    # socket) or a closed connection, as the issue asks.
                    self.assertTrue(r.status is None or 400 <= r.status < 500, r)
                    self.assertTrue(r.closed or r.status is not None,
                                    "%s: no answer and connection left open: %r" % (label, r))
                self.assert_alive(label)

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

    # -- query validation

    def test_query_parameter_validation(self):
        path = "/dashboard/api/recent-uploads-html"
        for q in ("limit=abc", "limit=0", "limit=101", "limit=-1", "limit=%00", "limit=1%00",
                  "limit=", "limit=1e2", "limit=5&limit=6", "limit=5&limit=5", "limit=+5",
                  "limit=%2B5", "limit=0x10", "limit=99999999999999999999", "limit=%",
                  "limit=%zz", "limit=5%20", "limit=%205", "limit=%D9%A1%D9%A0"):
            with self.subTest(q=q):
                r = self.raw(req("GET", path + "?" + q))
                self.assertEqual(r.status, 400, "%s?%s -> %r" % (path, q, r))
                self.assert_security_headers(r, "400 for " + q)
        for q in ("limit=1", "limit=100", "limit=10", "other=x&limit=3", ""):
            with self.subTest(q=q):
                r = self.raw(req("GET", path + ("?" + q if q else "")))
                self.assertEqual(r.status, 200, "%s?%s -> %r" % (path, q, r))
        for q in ("uploads_limit=abc", "uploads_limit=0", "uploads_limit=101",
                  "uploads_limit=1&uploads_limit=2"):
            with self.subTest(q=q):
                r = self.raw(req("GET", "/dashboard/api/events?" + q), timeout=3)
                self.assertEqual(r.status, 400, "events?%s -> %r" % (q, r))
        self.assert_alive("query validation")

    # -- security headers on error responses

    def test_security_headers_on_error_responses(self):
        cases = [
            ("404 unknown path", req("GET", "/no/such/page"), 404),
            ("404 static miss", req("GET", "/static/nope.js"), 404),
            ("405 PUT", req("PUT", "/metrics", [("Content-Length", "0")]), 405),
            ("405 DELETE", req("DELETE", "/dashboard/api/stats"), 405),
            ("400 bad limit", req("GET", "/dashboard/api/recent-uploads-html?limit=0"), 400),
            ("400 unknown method", req("FOO", "/metrics"), 400),
            ("400 malformed request", b"GET /metrics\r\n\r\n", 400),
            ("400 oversized headers",
             b"GET /-/healthy HTTP/1.1\r\nX-Big: " + b"a" * 20000 + b"\r\n\r\n", 400),
            ("4xx bad Content-Length", req("GET", "/metrics", [("Content-Length", "-1")]), None),
        ]
        for label, data, want in cases:
            with self.subTest(label):
                r = self.raw(data)
                self.assertIsNotNone(r.status, "%s: no answer: %r" % (label, r))
                if want is not None:
                    self.assertEqual(r.status, want, "%s: %r" % (label, r))
                else:
                    self.assertTrue(400 <= r.status < 500, "%s: %r" % (label, r))
                self.assert_security_headers(r, label)
                self.assert_alive(label)

    def test_security_headers_on_401(self):
        web = os.path.join(self.o.tmp, "web-config.yml")
        with open(web, "w") as f:
            f.write("basic_auth_users:\n  prometheus: "
                    "$2b$04$l/0We8pJpKoCzQT2o6I6y.Vco0hE.3pmz3HPfq.OaZ0HquO3sZMlS\n")
        o = self.start_observd(redis=self.redis, extra_args=["--web.config.file=" + web],
                               wait_ready=False)
        wait_until(lambda: o.get("/-/healthy", timeout=2).status == 200, timeout=15,
                           message=lambda: o.stderr())
        for target in ("/metrics", "/dashboard/api/stats", "/static/../../etc/passwd",
                       "/nope"):
            with self.subTest(target=target):
                r = raw_http(o.port, req("GET", target))
                self.assertEqual(r.status, 401, "%s: %r" % (target, r))
                self.assert_security_headers(r, "401 " + target)
                self.assertIn("Basic", r.header("WWW-Authenticate") or "")
        bad = raw_http(o.port, req("GET", "/metrics",
                                           [("Authorization", "Basic " + "A" * 20000)]))
        self.assertTrue(bad.status is None or 400 <= bad.status < 500, bad)
        bad = raw_http(o.port, req("GET", "/metrics",
                                           [("Authorization", "Basic %%%%not-base64")]))
        self.assertEqual(bad.status, 401, bad)
        import base64
        for creds in (b"prometheus:wrong", b"nobody:secret", b"prometheus", b":secret"):
            with self.subTest(creds=creds):
                h = "Basic " + base64.b64encode(creds).decode()
                r = raw_http(o.port, req("GET", "/metrics", [("Authorization", h)]))
                self.assertEqual(r.status, 401, r)
        good = "Basic " + base64.b64encode(b"prometheus:secret").decode()
        for target in ("/metrics", "/dashboard/observability", "/dashboard/api/stats"):
            r = raw_http(o.port, req("GET", target, [("Authorization", good)]))
            self.assertEqual(r.status, 200, "%s: %r" % (target, r))
        self.assertEqual(raw_http(o.port, req("GET", "/-/healthy")).status, 200,
                         "/-/healthy must stay open for liveness probes")


if __name__ == "__main__":
    unittest.main()
