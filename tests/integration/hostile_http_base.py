"""What the hostile-HTTP tests share: one redis-server and one observd for a whole
test class (every case is independent and checks /-/healthy afterwards), raw requests
(req) and the checks after each case (DESIGN.md, "HTTP contract"). The cases:
test_hostile_http.py (paths and bytes), test_hostile_http_requests.py (malformed and slow
requests), test_hostile_http_errors.py (query validation, the headers of error answers)."""

from itbase import ObservdTestCase, seed_default_dataset
from observd_process import Observd
from polling import timed
from rawhttp import raw_http
from redis_server import RedisServer

CSP_PART = "frame-ancestors 'none'"


def req(method, target, headers=(), body=b"", version="HTTP/1.1"):
    lines = ["%s %s %s" % (method, target, version), "Host: 127.0.0.1", "Connection: close"]
    lines += ["%s: %s" % h for h in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


class HostileHttpCase(ObservdTestCase):
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

