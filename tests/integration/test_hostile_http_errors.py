"""Hostile HTTP on raw sockets, the error answers: query validation, and the security
headers on every error response (400, 401, 404, 405). After every case the daemon still
answers /-/healthy (DESIGN.md, "HTTP contract")."""

import os
import unittest

from hostile_http_base import HostileHttpCase, req
from polling import wait_until
from rawhttp import raw_http


class HostileHttpErrorsTest(HostileHttpCase):
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
