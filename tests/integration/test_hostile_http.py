"""Hostile HTTP on raw sockets, the request target and the bytes: path traversal in
every encoding (origin and absolute form), binary garbage and a TLS ClientHello on the
plain port. After every case the daemon still answers /-/healthy (DESIGN.md, "HTTP
contract"). Malformed and slow requests: test_hostile_http_requests.py; query validation
and the security headers on error responses: test_hostile_http_errors.py."""

import os
import unittest

from hostile_http_base import HostileHttpCase, req

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


class HostileHttpTest(HostileHttpCase):
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

    # -- bytes that are not HTTP

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


if __name__ == "__main__":
    unittest.main()
