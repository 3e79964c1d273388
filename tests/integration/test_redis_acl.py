"""Redis ACL users: observd runs under exactly the ACL line the README documents
(redis.username + password file -> AUTH user password), real data arrives and Redis
denies nothing; a wrong password gives observd_redis_up 0, one clear log line (for
all connections) and a bounded number of AUTH attempts (backoff, no retry storm)."""

import os
import shutil
import sys
import tempfile
import time
import unittest

from itbase import ObservdTestCase, SNAPSHOT_KEY, metric, seed_default_dataset
from paths import source_dir  # noqa: E402
from polling import wait_until  # noqa: E402
from promtext import parse_metrics  # noqa: E402

PASSWORD = "acl-pw-4c1e9b"
PLACEHOLDER = ">CHANGE-ME"


def readme_acl_args():
    """The `ACL SETUSER observd ...` line of the README, as command arguments."""
    with open(os.path.join(source_dir(), "README.md"), encoding="utf-8") as f:
        lines = [l.strip() for l in f if l.strip().startswith("ACL SETUSER observd ")]
    assert len(lines) == 1, "README must hold exactly one 'ACL SETUSER observd' line: %r" % lines
    args = lines[0].split()
    assert PLACEHOLDER in args, "the README's ACL line has no %s password" % PLACEHOLDER
    return [(">" + PASSWORD if a == PLACEHOLDER else a) for a in args]


class RedisAclTest(ObservdTestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="observd-it-acl-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.redis = self.start_redis()
        self.expected = seed_default_dataset(self.redis)
        self.redis.cli(*readme_acl_args())
        self.redis.cli("ACL", "LOG", "RESET")

    def pwfile(self, text):
        path = os.path.join(self.tmp, "redis-password")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text + "\n")
        os.chmod(path, 0o600)
        return path

    def acl_denials(self):
        return [e for e in self.redis.cli("ACL", "LOG") or []]

    def test_readme_acl_is_enough(self):
        for how, addr, cfg in (
                ("redis.username", self.redis.addr, {"username": "observd"}),
                ("user@ in the address", "redis://observd@127.0.0.1:%d/0" % self.redis.port, {})):
            with self.subTest(how=how):
                self.redis.cli("DEL", SNAPSHOT_KEY)
                cfg = dict(cfg, password_file=self.pwfile(PASSWORD))
                o = self.start_observd(redis_addr=addr, config={"redis": cfg})
                m = o.metrics()
                self.assertEqual(metric(m, "observd_redis_up"), 1, o.stderr())
                self.assertEqual(metric(m, "observd_app_uploads"), self.expected["uploads"])
                self.assertEqual(metric(m, "observd_app_active_users"),
                                 self.expected["active_users"])
                self.assertEqual(metric(m, "observd_app_uploads_window", window="24h"),
                                 self.expected["uploads_24h"])
                # A refused command (NOPERM) fails the refresh or the table, so data
                # arriving means every query, the reads of the newest uploads included, ran.
                self.assertEqual(o.get("/dashboard/api/stats").json()["snapshot"]
                                 ["recent_uploads"], self.expected["uploads"])
                # The shared snapshot was written under the cache key (SET allowed).
                wait_until(lambda: self.redis.cli("GET", SNAPSHOT_KEY) is not None,
                                   timeout=5, message="observd did not store the shared snapshot")
                # ...and observd is connected as that user.
                clients = self.redis.cli("CLIENT", "LIST").decode()
                self.assertRegex(clients, r"user=observd ")
                self.assertEqual(self.acl_denials(), [],
                                 "Redis denied observd commands under the README's ACL")
                self.assertNotIn("NOPERM", o.stderr())
                self.stop_observd(o)

    def test_an_acl_without_object_and_memory_still_reads_the_table(self):
        """The ACL line of earlier releases (no OBJECT ENCODING / MEMORY USAGE): records
        are read at once (HMGET); when one is too large to read, observd says once that
        it cannot measure and measures each record's fields instead (HSTRLEN)."""
        args = [a for a in readme_acl_args() if a not in ("+object|encoding", "+memory|usage")]
        self.assertLess(len(args), len(readme_acl_args()), "the README's ACL line changed")
        self.redis.cli(*args)
        o = self.start_observd(config={"cache": {"ttl": "1s"}, "redis": {
            "username": "observd", "password_file": self.pwfile(PASSWORD)}},
                               redis_addr=self.redis.addr)

        def table():
            return o.get("/dashboard/api/recent-uploads-html?limit=100").body.decode()
        body = wait_until(lambda: "file-h0.bin" in table() and table(), timeout=10,
                          message=lambda: o.stderr()[-2000:])
        self.assertNotIn("could not be read", body)
        self.assertEqual(self.redis.command_calls("hstrlen"), 0)
        stats = o.get("/dashboard/api/stats").json()
        self.assertEqual(stats["snapshot"]["recent_uploads"], self.expected["uploads"])
        # A record over the table connection's reply bound (1 MiB) makes observd measure.
        two_mb = 2 * 1024 * 1024
        self.redis.cli("SETRANGE", "bigvalue", two_mb - 1, "x")
        self.redis.cli("EVAL", "redis.call('HSET', KEYS[1], 'filename', "
                       "redis.call('GET', KEYS[2])) return 1", 2, "upload:huge", "bigvalue")
        self.redis.cli("ZADD", "uploads:timeline", "%.3f" % time.time(), "huge")
        note = "not read: its filename is %d bytes" % two_mb
        body = wait_until(lambda: note in table() and table(), timeout=10,
                          message=lambda: o.stderr()[-2000:])
        self.assertIn("file-h0.bin", body)
        self.assertNotIn("could not be read", body)
        self.assertGreater(self.redis.command_calls("hstrlen"), 0)
        lines = [l for l in o.stderr().splitlines() if "MEMORY USAGE" in l]
        self.assertEqual(len(lines), 1, o.stderr())
        self.assertIn("+memory|usage", lines[0])
        self.assertTrue(o.running())

    def test_wrong_password_is_one_clear_line_and_no_storm(self):
        auth0 = self.redis.command_calls("auth")
        t_start = time.monotonic()
        o = self.start_observd(redis=self.redis, config={
            "redis": {"username": "observd", "password_file": self.pwfile("wrong-pw-77d0"),
                      "backoff_max": "1s"}})
        wait_until(lambda: metric(o.metrics(), "observd_redis_up") == 0, timeout=3)
        t0 = time.monotonic()
        wait_until(lambda: "redis authentication failed" in o.stderr(), timeout=5,
                           message=lambda: "no authentication log line:\n" + o.stderr())
        # Watch a few seconds: still up 0, still serving, still one log line in all.
        deadline = t0 + 4.0
        while time.monotonic() < deadline:
            r = o.get("/metrics")
            self.assertEqual(r.status, 200)
            self.assertEqual(metric(parse_metrics(r.text), "observd_redis_up"), 0)
            time.sleep(0.25)
        log = o.stderr()
        lines = [l for l in log.splitlines() if "redis authentication failed" in l]
        self.assertEqual(len(lines), 1, "one line for all connections (snapshot, sampler):\n" + log)
        self.assertIn("user=observd", lines[0])
        self.assertRegex(lines[0], r"WRONGPASS|invalid username-password")
        self.assertNotIn("wrong-pw-77d0", log)
        # Backoff 100 ms doubling to 1 s: at most ~8 attempts per connection in ~5 s.
        attempts = self.redis.command_calls("auth") - auth0
        sys.stderr.write("\n%d AUTH attempts in %.1f s, %d log line(s)\n"
                         % (attempts, time.monotonic() - t_start, len(lines)))
        self.assertLessEqual(attempts, 20, "AUTH retry storm: %d attempts" % attempts)
        self.assertGreaterEqual(attempts, 2)
        self.assertTrue(o.running())
        self.assertIsNone(metric(o.metrics(), "observd_app_uploads"),
                          "app gauges exported although no snapshot was ever read")


if __name__ == "__main__":
    unittest.main()
