"""Connection policy (README, "Scaling and exposure"): every open connection holds a
CivetWeb worker, so observd closes dashboard partials after the response, keeps
/metrics alive, drops sockets without a whole request at the header deadline, leaves
sockets that send nothing in the kernel (TCP_DEFER_ACCEPT), and marks partials for a
shared 1 s cache only when no basic auth is configured."""

import os
import socket
import tempfile
import time
import unittest

from itbase import ObservdTestCase, seed_default_dataset
from polling import timed, wait_until  # noqa: E402

# bcrypt (cost 4) of "s3cret" for user "prometheus".
HASH = "$2b$04$lBojo013pErZ.xvw9WDLN.ErUGulv6N.uESBSwA.hWVfgQK7bFrVq"
PARTIALS = ["/dashboard/api/stats-html", "/dashboard/api/recent-uploads-html?limit=5",
            "/dashboard/api/metrics-html", "/dashboard/api/stats", "/dashboard/api/history"]


def read_response(sock, deadline):
    """Reads one response with a Content-Length body; returns (head_lower, body)."""
    buf = b""
    while b"\r\n\r\n" not in buf:
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed before the headers ended: %r" % buf)
        buf += chunk
    head, _, body = buf.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        k, _, v = line.partition(b":")
        if k.strip().lower() == b"content-length":
            length = int(v)
    while len(body) < length:
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return head.decode("latin-1").lower(), body


def gave_up_on(sock, seconds):
    """True when the server answers (a 4xx for the incomplete request) or closes."""
    sock.settimeout(seconds)
    try:
        return sock.recv(4096) is not None
    except socket.timeout:
        return False
    except OSError:
        return True


def closed_by_peer(sock, seconds):
    """True when the peer closes the socket within `seconds` (EOF or reset)."""
    sock.settimeout(seconds)
    try:
        return sock.recv(1) == b""
    except socket.timeout:
        return False
    except OSError:
        return True


class ConnectionPolicyTest(ObservdTestCase):
    def setUp(self):
        self.redis = self.start_redis()
        seed_default_dataset(self.redis)

    def connect(self, port):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.addCleanup(s.close)
        return s

    def test_partials_close_metrics_keep_alive(self):
        o = self.start_observd(redis=self.redis)
        for path in PARTIALS:
            with self.subTest(path=path):
                s = self.connect(o.port)
                s.sendall(("GET %s HTTP/1.1\r\nHost: x\r\nHX-Request: true\r\n\r\n"
                           % path).encode())
                head, _ = read_response(s, time.monotonic() + 5)
                self.assertIn(" 200 ", head.split("\r\n")[0])
                self.assertIn("\r\nconnection: close", head)
                self.assertIn("\r\ncache-control: public, max-age=1", head)
                self.assertTrue(closed_by_peer(s, 2), "%s: connection left open" % path)
        s = self.connect(o.port)
        for i in range(3):
            s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
            head, body = read_response(s, time.monotonic() + 5)
            self.assertIn("\r\nconnection: keep-alive", head, "scrape %d" % i)
            self.assertIn(b"observd_build_info", body)

    def test_header_deadline_closes_slow_sockets(self):
        o = self.start_observd(redis=self.redis, config={"web": {"request_timeout": "1s"}})
        s = self.connect(o.port)
        t0 = time.monotonic()
        s.sendall(b"GET /metrics HTTP/1.1\r\n")
        closed = False
        for ch in b"X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa":
            try:
                s.sendall(bytes([ch]))
            except OSError:
                closed = True
                break
            if gave_up_on(s, 0.2):
                closed = True
                break
            if time.monotonic() - t0 > 10:  # without a deadline: held all this time
                break
        held = time.monotonic() - t0
        self.assertTrue(closed, "a socket dripping header bytes was held %.1fs" % held)
        # deadline 1 s, measured from the first byte: allow the poll granularity and a
        # loaded machine, and stay well under the 10 s a socket without deadline gets
        self.assertLess(held, 5.0, "dripping socket held %.1fs with request_timeout 1s" % held)
        self.assertEqual(o.get("/-/healthy").status, 200)

    def test_idle_sockets_do_not_take_the_workers(self):
        # 10 workers, 60 sockets that never send: without TCP_DEFER_ACCEPT each worker
        # would wait request_timeout (5 s) on one of them and /metrics behind them.
        o = self.start_observd(redis=self.redis, config={
            "web": {"num_threads": 10, "max_sse_streams": 2, "request_timeout": "5s"}})
        idle = [self.connect(o.port) for _ in range(60)]
        time.sleep(0.3)  # let any accept happen
        worst = 0.0
        for _ in range(5):
            r, secs = timed(o.get, "/metrics", timeout=15)
            self.assertEqual(r.status, 200)
            worst = max(worst, secs)
        # A /metrics queued behind the idle sockets would wait request_timeout (5 s):
        # half of that tells the two apart on a loaded box or a sanitizer build.
        self.assertLess(worst, 2.5, "/metrics took %.2fs next to 60 idle sockets" % worst)
        self.assertEqual(len(idle), 60)

    def test_with_basic_auth_partials_are_private(self):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        web = os.path.join(tmp.name, "web-config.yml")
        with open(web, "w") as f:
            f.write("basic_auth_users:\n  prometheus: %s\n" % HASH)
        o = self.start_observd(redis=self.redis, extra_args=["--web.config.file=" + web],
                               wait_ready=False)
        wait_until(lambda: o.get("/-/healthy", timeout=2).status == 200, timeout=15,
                           message=lambda: o.stderr())
        auth = {"Authorization": "Basic cHJvbWV0aGV1czpzM2NyZXQ=", "HX-Request": "true"}
        for path in PARTIALS:
            with self.subTest(path=path):
                r = o.get(path, headers=auth)
                self.assertEqual(r.status, 200, r)
                self.assertEqual(r.header("Cache-Control"), "private, no-store")
                r = o.get(path, headers={"HX-Request": "true"})
                self.assertEqual(r.status, 401, r)
                self.assertEqual(r.header("Cache-Control"), "no-store")


if __name__ == "__main__":
    unittest.main()
