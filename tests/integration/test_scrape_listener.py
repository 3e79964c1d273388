"""web.metrics_listen_address: a second port that serves only /metrics and the health
checks, with its own worker pool, so a scrape never waits behind site viewers or slow
sockets on the main port (issue 20). The load figures are tests/bench/scrape_isolation.py."""

import socket
import subprocess
import time
import unittest
import urllib.error
import urllib.request

from itbase import ObservdTestCase, seed_default_dataset  # noqa: I100 (puts tests/lib on sys.path)
from paths import observd_bin
from ports import free_port


def get(port, path, timeout=10):
    try:
        with urllib.request.urlopen("http://127.0.0.1:%d%s" % (port, path), timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


class ScrapeListenerTest(ObservdTestCase):
    def setUp(self):
        self.redis = self.start_redis()
        seed_default_dataset(self.redis)
        self.scrape_port = free_port()
        # The smallest main pool the rules allow, and a long header deadline, so that a
        # handful of slow sockets holds every main worker for the whole test.
        self.o = self.start_observd(redis=self.redis, config={"web": {
            "metrics_listen_address": "127.0.0.1:%d" % self.scrape_port,
            "num_threads": 8, "max_sse_streams": 0, "request_timeout": "20s"}})

    def test_the_scrape_port_serves_metrics_and_health_only(self):
        status, body = get(self.scrape_port, "/metrics")
        self.assertEqual(status, 200)
        self.assertIn(b"observd_build_info", body)
        self.assertIn(b"observd_app_uploads 12", body)
        for path in ("/-/healthy", "/-/ready"):
            self.assertEqual(get(self.scrape_port, path)[0], 200, path)
        for path in ("/", "/dashboard/observability", "/dashboard/api/stats", "/static/css/site.css"):
            self.assertEqual(get(self.scrape_port, path)[0], 404, path)
            self.assertEqual(get(self.o.port, path)[0], 200, path)

    def test_a_scrape_does_not_wait_behind_a_saturated_main_port(self):
        slow = []
        self.addCleanup(lambda: [s.close() for s in slow])
        for _ in range(12):  # more than the 8 main workers
            s = socket.create_connection(("127.0.0.1", self.o.port))
            s.sendall(b"GET /dashboard/observability HTTP/1.1\r\nHost: x\r\n")  # never ends
            slow.append(s)
        # Control: the main port is saturated (a scrape there waits for a worker).
        with self.assertRaises(OSError):
            urllib.request.urlopen("http://127.0.0.1:%d/metrics" % self.o.port, timeout=3).read()
        t0 = time.monotonic()
        status, body = get(self.scrape_port, "/metrics", timeout=15)
        waited = time.monotonic() - t0
        self.assertEqual(status, 200)
        self.assertIn(b"observd_build_info", body)
        # A scrape behind the slow sockets would wait for their 20 s deadline.
        self.assertLess(waited, 10, "the scrape port waited %.1f s" % waited)

    def test_the_same_address_twice_is_refused(self):
        r = subprocess.run([observd_bin(),
                            "--web.listen-address=127.0.0.1:9999",
                            "--web.metrics-listen-address=127.0.0.1:9999", "--check-config"],
                           capture_output=True, text=True, timeout=30)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("must differ from web.listen_address", r.stderr)


if __name__ == "__main__":
    unittest.main()
