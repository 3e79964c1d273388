"""Sentinel addresses and credentials, against a real redis-sentinel group (one master,
one replica, three sentinels on loopback): observd-demo writes through the same address
form as observd; an unknown master name and a missing or wrong sentinel password are
each one clear error that never logs the password. (The failover, with its latency
bound, is test_redis_sentinel.py.)"""

import os
import shutil
import subprocess
import sys
import tempfile
import unittest

from itbase import ObservdTestCase, metric, seed_default_dataset
from paths import env_path  # noqa: E402
from polling import wait_until  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from sentinel_group import SentinelGroup  # noqa: E402


class SentinelAddressTest(ObservdTestCase):
    def setUp(self):
        self.group = SentinelGroup()
        self.addCleanup(self.group.cleanup)

    def test_demo_writes_through_sentinel(self):
        g = self.group
        p = subprocess.run(
            [env_path("OBSERVD_DEMO_BIN"), "--redis.addr=" + g.address, "--once",
             "--backfill", "25", "--key-prefix", "demo:", "--seed", "3"],
            stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(g.master.cli("ZCARD", "demo:uploads:timeline"), 25)

    def test_unknown_master_name_is_one_clear_error(self):
        addr = self.group.address.replace("/mymaster/", "/nosuchmaster/")
        o = self.start_observd(redis_addr=addr)
        self.assertEqual(metric(o.metrics(), "observd_redis_up"), 0)
        wait_until(lambda: "does not know master 'nosuchmaster'" in o.stderr(),
                           timeout=5, message=lambda: o.stderr())


SENTINEL_PW = "s3nt1nel-pw"


class AuthenticatedSentinelTest(ObservdTestCase):
    """Sentinels with requirepass (their own password, none on the data nodes):
    observd AUTHs on them with redis.sentinel_password_file; without it, or with a
    wrong one, Redis is down with one error naming the sentinels' refusal, and the
    password never reaches the log."""

    def setUp(self):
        self.group = SentinelGroup(sentinel_password=SENTINEL_PW)
        self.addCleanup(self.group.cleanup)
        self.tmp = tempfile.mkdtemp(prefix="observd-it-sentinel-auth-")
        self.addCleanup(shutil.rmtree, self.tmp, True)

    def password_file(self, text):
        path = os.path.join(self.tmp, "sentinel.pass")
        with open(path, "w") as f:
            f.write(text + "\n")
        os.chmod(path, 0o600)
        return path

    def test_sentinel_password_from_a_file(self):
        g = self.group
        expected = seed_default_dataset(g.master)
        o = self.start_observd(redis_addr=g.address, config={
            "redis": {"sentinel_password_file": self.password_file(SENTINEL_PW)}})
        m = o.metrics()
        self.assertEqual(metric(m, "observd_redis_up"), 1, o.stderr())
        self.assertEqual(metric(m, "observd_app_uploads"), expected["uploads"])
        self.assertEqual(metric(m, "observd_redis_endpoint_info", client="snapshot",
                                addr="127.0.0.1:%d" % g.master.port, role="master"), 1)
        self.assertNotIn(SENTINEL_PW, o.stderr())

    def test_missing_or_wrong_sentinel_password_is_one_clear_error(self):
        g = self.group
        for label, extra, refusal in (
                ("no password", {}, "NOAUTH"),
                ("wrong password", {"sentinel_password_file": self.password_file("nope")},
                 "AUTH failed: WRONGPASS")):
            with self.subTest(label):
                o = self.start_observd(redis_addr=g.address, config={"redis": extra})
                self.assertEqual(metric(o.metrics(), "observd_redis_up"), 0, o.stderr())
                wait_until(lambda: refusal in o.stderr(), timeout=5,
                           message=lambda: o.stderr())
                self.assertIn("no sentinel named the master of 'mymaster'", o.stderr())
                self.assertNotIn(SENTINEL_PW, o.stderr())
                self.stop_observd(o)


if __name__ == "__main__":
    unittest.main()
