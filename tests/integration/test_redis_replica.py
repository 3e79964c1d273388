"""redis.read_replica: the snapshot queries run on a real replica while the shared
snapshot key (GET/SET) and the PING sampler stay on the master; when the replica is
gone, refreshes fall back to the master."""

import time
import unittest

from itbase import ObservdTestCase, SNAPSHOT_KEY, metric, seed_default_dataset
import harness


class ReadReplicaTest(ObservdTestCase):
    def test_queries_on_replica_cache_key_on_master(self):
        master = self.start_redis()
        expected = seed_default_dataset(master)
        replica = self.start_redis(extra_args=["--replicaof", "127.0.0.1", str(master.port)])
        harness.wait_until(lambda: replica.cli("ZCARD", "uploads:timeline") == expected["uploads"],
                           timeout=15, message="the replica did not sync")
        o = self.start_observd(redis=master, config={
            "redis": {"read_replica": replica.addr, "backoff_max": "500ms"}})
        m = o.metrics()
        self.assertEqual(metric(m, "observd_redis_up"), 1)
        self.assertEqual(metric(m, "observd_app_uploads"), expected["uploads"])
        self.assertEqual(metric(m, "observd_redis_endpoint_info", client="replica",
                                addr="127.0.0.1:%d" % replica.port, role="replica"), 1)
        self.assertEqual(metric(m, "observd_redis_endpoint_info", client="snapshot",
                                addr="127.0.0.1:%d" % master.port, role="master"), 1)
        # Queries went to the replica only; the shared key lives on the master.
        self.assertGreater(replica.command_calls("zcount"), 0)
        self.assertEqual(master.command_calls("zcount"), 0)
        self.assertEqual(master.command_calls("zrevrange"), 0)
        harness.wait_until(lambda: master.cli("GET", SNAPSHOT_KEY) is not None, timeout=5,
                           message="the shared snapshot was not stored on the master")
        self.assertGreater(master.command_calls("set"), 0)

        # Data written on the master arrives through replication.
        master.cli("ZADD", "uploads:timeline", "%.3f" % time.time(), "via-replica")
        harness.wait_until(
            lambda: metric(o.metrics(), "observd_app_uploads") == expected["uploads"] + 1,
            timeout=10, interval=0.2, message="new data did not arrive through the replica")

        # Without the replica, refreshes compute on the master.
        replica.kill()
        master.cli("ZADD", "uploads:timeline", "%.3f" % time.time(), "on-master")
        harness.wait_until(
            lambda: metric(o.metrics(), "observd_app_uploads") == expected["uploads"] + 2,
            timeout=10, interval=0.2, message="no fallback to the master without the replica")
        self.assertGreater(master.command_calls("zcount"), 0)
        self.assertEqual(metric(o.metrics(), "observd_redis_up"), 1)


if __name__ == "__main__":
    unittest.main()
