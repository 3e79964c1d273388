"""Sentinel: observd follows a real redis-sentinel group (one master, one replica, three
sentinels on loopback). Killing the master: observd keeps answering every request
within its bounds, serves the old snapshot marked stale, then the new master's data,
with observd_redis_up back to 1 within the sentinels' failover time + 5 s and the
endpoint info naming the new master. The cases without a latency bound (observd-demo's
address form, an unknown master, sentinel passwords) are test_redis_sentinel_config.py,
which needs no wall-clock lock."""

import os
import sys
import threading
import time
import unittest

from itbase import ObservdTestCase, SNAPSHOT_KEY, metric, seed_default_dataset
from polling import wait_until  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from sentinel_group import SentinelGroup  # noqa: E402

COMMAND_TIMEOUT_S = 0.25
# Handlers never wait on Redis longer than command_timeout; the rest of this bound is
# CPU contention on a shared CI machine, not waiting.
RESPONSE_BOUND_S = COMMAND_TIMEOUT_S + 1.25


class Poller(threading.Thread):
    """Requests /metrics and /dashboard/api/stats every 50 ms and records the outcome."""

    def __init__(self, observd):
        super().__init__(daemon=True)
        self.o = observd
        self.stop_event = threading.Event()
        self.records = []  # (monotonic time, path, status or exception, seconds, body json)

    def run(self):
        while not self.stop_event.is_set():
            for path in ("/metrics", "/dashboard/api/stats"):
                t = time.monotonic()
                try:
                    r = self.o.get(path, timeout=5)
                    body = r.json() if path.endswith("stats") and r.status == 200 else None
                    self.records.append((t, path, r.status, time.monotonic() - t, body))
                except Exception as e:  # noqa: BLE001 - any failure is a finding
                    self.records.append((t, path, repr(e), time.monotonic() - t, None))
            self.stop_event.wait(0.05)

    def stop(self):
        self.stop_event.set()
        self.join(10)


class SentinelTest(ObservdTestCase):
    def setUp(self):
        self.group = SentinelGroup()
        self.addCleanup(self.group.cleanup)

    def endpoint(self, m, client):
        for (name, labels), value in m.items():
            if name == "observd_redis_endpoint_info" and dict(labels).get("client") == client:
                return dict(labels)["addr"], dict(labels)["role"], value
        return None

    def test_failover(self):
        g = self.group
        old = "127.0.0.1:%d" % g.master.port
        new = "127.0.0.1:%d" % g.replica.port
        self.assertEqual(g.master_addr(), old)
        expected = seed_default_dataset(g.master)
        o = self.start_observd(redis_addr=g.address, config={
            "cache": {"ttl": "1s", "stale_after": "1s"},
            "redis": {"command_timeout": "250ms", "backoff_max": "500ms"}})
        m = o.metrics()
        self.assertEqual(metric(m, "observd_redis_up"), 1, o.stderr())
        self.assertEqual(metric(m, "observd_app_uploads"), expected["uploads"])
        self.assertEqual(self.endpoint(m, "sampler"), (old, "master", 1.0))
        self.assertEqual(self.endpoint(m, "snapshot"), (old, "master", 1.0))

        poller = Poller(o)
        poller.start()
        self.addCleanup(poller.stop)
        t_kill = time.monotonic()
        g.master.kill()
        wait_until(lambda: g.master_addr() == new, timeout=30, interval=0.05,
                           message="the sentinels did not fail over to the replica")
        t_failover = time.monotonic()
        g.replica.cli("ZADD", "uploads:timeline", "%.3f" % time.time(), "after-failover")
        wait_until(lambda: metric(o.metrics(), "observd_redis_up") == 1,
                           timeout=t_failover - t_kill + 5 + 1, interval=0.05,
                           message=lambda: "observd_redis_up not back to 1:\n" + o.stderr())
        t_up = time.monotonic()
        wait_until(
            lambda: metric(o.metrics(), "observd_app_uploads") == expected["uploads"] + 1,
            timeout=10, interval=0.1, message="observd never served the new master's data")
        poller.stop()
        failover_s, up_s = t_failover - t_kill, t_up - t_kill
        sys.stderr.write("\nfailover (sentinels) %.2f s, observd_redis_up back after %.2f s\n"
                         % (failover_s, up_s))
        self.assertLessEqual(up_s, failover_s + 5.0)

        m = o.metrics()
        self.assertEqual(self.endpoint(m, "sampler"), (new, "master", 1.0))
        self.assertEqual(self.endpoint(m, "snapshot"), (new, "master", 1.0))
        # The shared snapshot key followed the master.
        wait_until(lambda: g.replica.cli("GET", SNAPSHOT_KEY) is not None, timeout=5,
                           message="the shared snapshot was not written to the new master")

        bad = [r[:4] for r in poller.records if r[2] != 200]
        self.assertEqual(bad, [], "requests failed during the failover")
        slow = [r[:4] for r in poller.records if r[3] > RESPONSE_BOUND_S]
        self.assertEqual(slow, [], "requests waited on Redis during the failover")
        stats = [(t, r[4]["snapshot"]) for r in poller.records for t in [r[0]]
                 if r[4] is not None and t > t_kill]
        self.assertTrue(any(s["available"] and s["stale"] and
                            s["uploads_total"] == expected["uploads"] for _, s in stats),
                        "the old snapshot was not served marked stale during the failover")
        sys.stderr.write("%d requests during the failover, slowest %.3f s\n"
                         % (len(poller.records), max(r[3] for r in poller.records)))


if __name__ == "__main__":
    unittest.main()
