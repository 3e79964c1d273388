"""The snapshot cache against a real redis-server: TTL hits and misses, the hit
ratio, single-flight under concurrency, the shared cache key between instances,
and a garbage shared key. Redis command counts come from INFO commandstats. Nothing
here bounds a time (the single-flight allowance grows with the burst's duration), so it
takes no wall-clock lock; requests while Redis is paused are test_faults.py's."""

import json
import threading
import time
import unittest

from itbase import SNAPSHOT_KEY, ObservdTestCase, metric, seed_default_dataset
from polling import wait_until

REFRESHES = "observd_snapshot_refreshes_total"


class CacheTest(ObservdTestCase):
    def setUp(self):
        self.redis = self.start_redis()
        self.expected = seed_default_dataset(self.redis)

    # -- helpers

    def refreshes(self, m, outcome):
        return self.counter(m, REFRESHES, outcome=outcome)

    def wait_shared_key_expired(self, timeout):
        """The shared key is SET with EX ttl after the computation, so once it is gone
        the instance's own copy (same ttl, started earlier) has expired as well."""
        wait_until(lambda: self.redis.cli("EXISTS", SNAPSHOT_KEY) == 0,
                           timeout=timeout, message="shared snapshot key never expired")

    def hits_misses(self, m):
        return (self.counter(m, "observd_cache_hits_total"),
                self.counter(m, "observd_cache_misses_total"))

    def burst(self, n_threads, per_thread, path="/metrics"):
        barrier = threading.Barrier(n_threads)
        statuses, errors = [], []
        lock = threading.Lock()

        def worker():
            try:
                barrier.wait(timeout=10)
                for _ in range(per_thread):
                    r = self.o.get(path, timeout=15)
                    with lock:
                        statuses.append(r.status)
            except Exception as exc:  # noqa: BLE001
                with lock:
                    errors.append(repr(exc))
        threads = [threading.Thread(target=worker) for _ in range(n_threads)]
        t0 = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        elapsed = time.monotonic() - t0
        self.assertEqual(errors, [], "requests failed")
        self.assertEqual(statuses, [200] * (n_threads * per_thread))
        return elapsed

    # -- tests

    def test_ttl_hit_then_miss_after_expiry(self):
        ttl = 1.0
        self.o = self.start_observd(redis=self.redis, config={"cache": {"ttl": "1s"}})
        # Counters are read from scrapes that also look the cache up themselves; the
        # deltas below hold whether a scrape's own lookup is counted in its output or not.
        for attempt in range(3):
            t0 = time.monotonic()
            self.o.metrics()
            s1 = self.o.metrics()           # within TTL of s0: its lookup is a hit
            fast1 = time.monotonic() - t0
            time.sleep(ttl + 0.3)           # let the snapshot expire (the thing tested)
            t1 = time.monotonic()
            s2 = self.o.metrics()           # expired: miss
            s3 = self.o.metrics()           # hit
            s4 = self.o.metrics()           # hit
            fast2 = time.monotonic() - t1
            if fast1 < ttl * 0.6 and fast2 < ttl * 0.6:
                break
        else:
            self.skipTest("machine too slow to scrape 3 times within 60% of a 1 s TTL")
        h1, m1 = self.hits_misses(s1)
        h3, m3 = self.hits_misses(s3)
        h4, m4 = self.hits_misses(s4)
        self.assertEqual(m4 - m3, 0, "a scrape within the TTL counted a cache miss")
        self.assertEqual(h4 - h3, 1, "a scrape within the TTL did not count one cache hit")
        self.assertEqual(m4 - m1, 1, "expected exactly one miss after the TTL expired "
                         "(misses %s -> %s)" % (m1, m4))
        self.assertEqual(h4 - h1, 2, "expected two hits around the expiry (hits %s -> %s)"
                         % (h1, h4))
        self.assertEqual(metric(s4, "observd_app_uploads"), self.expected["uploads"])

    def test_hit_ratio_gauge(self):
        self.o = self.start_observd(redis=self.redis, config={"cache": {"ttl": "30s"}})
        for _ in range(5):
            self.o.metrics()
        m = self.o.metrics()
        hits, misses = self.hits_misses(m)
        self.assertGreater(hits, 0)
        ratio = metric(m, "observd_cache_hit_ratio")
        self.assertIsNotNone(ratio, "observd_cache_hit_ratio missing")
        self.assertAlmostEqual(ratio, hits / (hits + misses), places=6)
        stats = self.o.get("/dashboard/api/stats").json()["cache"]
        self.assertAlmostEqual(stats["ratio"], stats["hits"] / (stats["hits"] + stats["misses"]),
                               places=2)

    def _single_flight(self, n_threads, per_thread):
        ttl = 5
        self.o = self.start_observd(redis=self.redis, config={"cache": {"ttl": "%ds" % ttl}})
        # Counters are read from scrapes that also look the cache up themselves; every
        # delta below is taken between scrapes whose own lookups were hits, so it holds
        # whether a scrape's own lookup is counted in its output or not.
        c_pre = self.refreshes(self.o.metrics(), "computed")  # fresh snapshot: a hit
        # Cost of one computation in ZCARD calls, measured on a lone refresh.
        self.wait_shared_key_expired(ttl + 5)
        z0 = self.redis.command_calls("zcard")
        self.o.metrics()                                       # expired: computes
        z1 = self.redis.command_calls("zcard")
        c_before = self.refreshes(self.o.metrics(), "computed")  # a hit again
        per = z1 - z0
        self.assertGreaterEqual(per, 1, "a snapshot computation issued no ZCARD")
        self.assertEqual(c_before - c_pre, 1, "%s{outcome=\"computed\"} did not count the "
                         "lone refresh exactly once" % REFRESHES)
        # Now the burst, right after expiry.
        self.wait_shared_key_expired(ttl + 5)
        z_before = self.redis.command_calls("zcard")
        elapsed = self.burst(n_threads, per_thread)
        z_after = self.redis.command_calls("zcard")
        m = self.o.metrics()
        c_after = self.refreshes(m, "computed")
        # Single flight: one computation for the expiry (two if a request raced it), and
        # on a machine slow enough for the burst to outlast the TTL, one more per TTL
        # that passed. Without single flight every request computes (50 or 250).
        allowed = 2 + int(elapsed // ttl)
        computations = (z_after - z_before) / per
        self.assertLessEqual(computations, allowed,
                             "%d requests in %.1fs cost %.1f snapshot computations "
                             "(ZCARD %d -> %d, %d per computation)"
                             % (n_threads * per_thread, elapsed, computations, z_before,
                                z_after, per))
        self.assertLessEqual(c_after - c_before, allowed,
                             "%s{outcome=\"computed\"} grew by %d in %.1fs"
                             % (REFRESHES, c_after - c_before, elapsed))
        self.assertGreaterEqual(computations, 1, "the burst after expiry computed nothing")
        self.assertEqual(metric(m, "observd_app_uploads"), self.expected["uploads"])

    def test_single_flight_50_concurrent(self):
        self._single_flight(50, 1)

    def test_single_flight_burst_250(self):
        self._single_flight(25, 10)

    def test_two_instances_share_one_computation(self):
        cfg = {"cache": {"ttl": "30s"}}
        a = self.start_observd(redis=self.redis, config=cfg)
        ma = a.metrics()
        self.assertGreaterEqual(self.refreshes(ma, "computed"), 1,
                                "instance A never computed a snapshot")
        raw = self.redis.cli("GET", SNAPSHOT_KEY)
        self.assertIsNotNone(raw, "instance A did not write the shared key %s" % SNAPSHOT_KEY)
        json.loads(raw.decode("utf-8"))
        ttl = self.redis.cli("TTL", SNAPSHOT_KEY)
        self.assertTrue(0 < ttl <= 30, "shared key TTL is %r, expected 1..30" % ttl)
        z0 = self.redis.command_calls("zcard")
        b = self.start_observd(redis=self.redis, config=cfg)
        mb = b.metrics()
        z1 = self.redis.command_calls("zcard")
        self.assertGreaterEqual(self.refreshes(mb, "shared"), 1,
                                "instance B's first refresh was not outcome=\"shared\"")
        self.assertEqual(self.refreshes(mb, "computed"), 0,
                         "instance B computed although A's snapshot was in Redis")
        self.assertEqual(z1 - z0, 0, "ZCARD calls grew by %d when B started" % (z1 - z0))
        self.assertEqual(metric(mb, "observd_app_uploads"), self.expected["uploads"])
        self.assertEqual(metric(mb, "observd_app_uploads_window", window="1h"),
                         self.expected["uploads_1h"])

    def test_garbage_shared_key_is_a_miss(self):
        self.redis.cli("SET", SNAPSHOT_KEY, "not json", "EX", "60")
        z0 = self.redis.command_calls("zcard")
        o = self.start_observd(redis=self.redis, config={"cache": {"ttl": "30s"}})
        m = o.metrics()
        self.assertEqual(metric(m, "observd_app_uploads"), self.expected["uploads"])
        self.assertGreaterEqual(self.refreshes(m, "computed"), 1)
        self.assertGreaterEqual(self.redis.command_calls("zcard") - z0, 1)
        raw = self.redis.cli("GET", SNAPSHOT_KEY)
        self.assertNotEqual(raw, b"not json", "the garbage key was not replaced")
        json.loads(raw.decode("utf-8"))
        # Valid JSON of the wrong shape is garbage too.
        o.stop()
        self.redis.cli("SET", SNAPSHOT_KEY, '{"hello":"world"}', "EX", "60")
        o2 = self.start_observd(redis=self.redis, config={"cache": {"ttl": "30s"}})
        m2 = o2.metrics()
        self.assertEqual(metric(m2, "observd_app_uploads"), self.expected["uploads"])
        self.assertGreaterEqual(self.refreshes(m2, "computed"), 1)


if __name__ == "__main__":
    unittest.main()
