"""observd when Redis is absent, crashes and comes back: it keeps serving /metrics,
reports observd_redis_up, omits (never freezes) the application gauges, and
reconnects on its own."""

import os
import shutil
import tempfile
import time
import unittest

from itbase import ObservdTestCase, RedisServer, metric, seed_default_dataset, series
from polling import wait_until
from ports import free_port
from promtext import parse_metrics


def app_series(m):
    return sorted(name for (name, _) in m if name.startswith("observd_app_"))


class RedisAvailabilityTest(ObservdTestCase):
    def redis_up(self, o):
        return metric(o.metrics(), "observd_redis_up")

    def test_redis_absent_at_start_then_started(self):
        port = free_port()
        o = self.start_observd(redis_addr="redis://127.0.0.1:%d/0" % port)
        r = o.get("/metrics")
        self.assertEqual(r.status, 200)
        m = parse_metrics(r.text)
        self.assertEqual(metric(m, "observd_redis_up"), 0)
        self.assertEqual(app_series(m), [], "app gauges exported without any snapshot")
        self.assertTrue(series(m, "observd_build_info"))
        self.assertEqual(o.get("/-/healthy").status, 200)
        stats = o.get("/dashboard/api/stats")
        self.assertEqual(stats.status, 200)
        snap = stats.json()["snapshot"]
        self.assertIs(snap["available"], False)
        self.assertIn("uploads_total", snap, "unknown numbers must be null, not left out")
        self.assertIsNone(snap["uploads_total"])
        self.assertEqual(o.get("/dashboard/api/recent-uploads-html").status, 200)
        self.assertEqual(o.get("/dashboard/api/stats-html").status, 200)

        redis = RedisServer(port=port)
        self.addCleanup(redis.cleanup)
        expected = seed_default_dataset(redis)
        wait_until(lambda: self.redis_up(o) == 1, timeout=10,
                           message="observd_redis_up did not become 1 within 10 s")
        wait_until(
            lambda: metric(o.metrics(), "observd_app_uploads") == expected["uploads"],
            timeout=10, interval=0.2, message="app gauges did not appear after Redis started")

    def test_redis_killed_and_restarted(self):
        redis = self.start_redis()
        expected = seed_default_dataset(redis)
        o = self.start_observd(redis=redis, config={"cache": {"ttl": "1s"}})
        wait_until(lambda: self.redis_up(o) == 1, timeout=5)
        errors0 = self.counter(o.metrics(), "observd_redis_errors_total")
        redis.kill()
        t0 = time.monotonic()
        wait_until(lambda: self.redis_up(o) == 0, timeout=3,
                           message="observd_redis_up still 1 three seconds after Redis died")
        self.assertLess(time.monotonic() - t0, 3.5)
        # still serving, and quickly
        t1 = time.monotonic()
        r = o.get("/metrics")
        self.assertEqual(r.status, 200)
        self.assertLess(time.monotonic() - t1, 1.5)
        self.assertGreater(self.counter(o.metrics(), "observd_redis_errors_total"), errors0)
        # the snapshot goes stale after 2 x ttl: app gauges are omitted, not frozen
        wait_until(lambda: app_series(o.metrics()) == [], timeout=8,
                           message=lambda: "app gauges still exported: %s"
                           % app_series(o.metrics()))
        m = o.metrics()
        self.assertGreater(metric(m, "observd_snapshot_age_seconds", 0), 2)
        snap = o.get("/dashboard/api/stats").json()["snapshot"]
        self.assertIs(snap["stale"], True)
        self.assertEqual(o.get("/dashboard/api/stats-html").status, 200)

        redis.start()  # same port, empty data set
        seed_default_dataset(redis)
        wait_until(lambda: self.redis_up(o) == 1, timeout=10,
                           message="observd_redis_up did not return to 1 within 10 s")
        wait_until(
            lambda: metric(o.metrics(), "observd_app_uploads") == expected["uploads"],
            timeout=10, interval=0.2, message="app gauges did not come back")
        self.stop_observd(o)

    def test_redis_requirepass_with_password_file(self):
        redis = self.start_redis(password="s3cr3t-pw")
        expected = seed_default_dataset(redis)
        d = tempfile.mkdtemp(prefix="observd-it-pw-")
        self.addCleanup(shutil.rmtree, d, True)
        pw = os.path.join(d, "pw")
        with open(pw, "w") as f:
            f.write("s3cr3t-pw\n")  # as `echo pw > file` writes it
        os.chmod(pw, 0o600)
        o = self.start_observd(redis=redis, config={"redis": {"password_file": pw}})
        m = o.metrics()
        self.assertEqual(metric(m, "observd_redis_up"), 1)
        self.assertEqual(metric(m, "observd_app_uploads"), expected["uploads"])
        self.assertNotIn("s3cr3t-pw", o.stderr(), "the password leaked into the log")


if __name__ == "__main__":
    unittest.main()
