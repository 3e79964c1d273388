"""Redis faults against a real redis-server the test controls: paused, killed and
restarted on the same port, slow (DEBUG SLEEP), busy (a Lua script), password-protected.
The rule under test (DESIGN.md, "Data flow"): no handler waits on Redis longer than the
configured timeout, Redis outages are reported, and every route stays 200. Hostile
values in Redis: test_faults_redis_data.py."""

import os
import shutil
import tempfile
import threading
import time
import unittest

from faults_base import PAGES, POLLED, REFRESHES
from itbase import SNAPSHOT_KEY, ObservdTestCase, metric, seed_default_dataset
from polling import timed, wait_until
from promtext import parse_metrics
from redis_server import RedisServer
from resp import RespClient

FAST = 0.5  # seconds: the budget of one request while Redis misbehaves


class RedisFaultTest(ObservdTestCase):
    def redis_up(self, o):
        return metric(o.metrics(), "observd_redis_up")

    def assert_all_fast(self, o, until, label):
        """Requests every polled route repeatedly until monotonic time `until`;
        every request must be 200 within FAST seconds. Returns the request count."""
        slow, bad, n = [], [], 0
        while time.monotonic() < until:
            for path in POLLED:
                r, secs = timed(o.get, path, timeout=5)
                n += 1
                if r.status != 200:
                    bad.append((path, r.status))
                if secs >= FAST:
                    slow.append((path, round(secs, 3)))
        self.assertEqual(bad, [], "%s: non-200 answers" % label)
        self.assertEqual(slow, [], "%s: requests slower than %.1fs" % (label, FAST))
        return n

    def failures(self, m):
        return (self.counter(m, REFRESHES, outcome="failed"),
                self.counter(m, "observd_redis_errors_total"))

    def test_redis_paused_handlers_stay_fast(self):
        redis = self.start_redis()
        seed_default_dataset(redis)
        o = self.start_observd(redis=redis, config={"cache": {"ttl": "1s"}})
        self.assertEqual(self.redis_up(o), 1)
        before = self.failures(o.metrics())
        t0 = time.monotonic()
        redis.cli("CLIENT", "PAUSE", "3000", "ALL")
        # 2.7 s of polling: the 1 s snapshot expires (at least twice) during the pause.
        n = self.assert_all_fast(o, t0 + 2.7, "Redis paused")
        self.assertGreater(n, len(POLLED))
        # the refresh attempted during the pause timed out and was counted
        wait_until(lambda: self.failures(o.metrics()) > before, timeout=5,
                           message="no failed refresh / Redis error counted for the pause")
        # and after the pause everything recovers without a restart
        wait_until(lambda: self.redis_up(o) == 1, timeout=10)
        wait_until(
            lambda: metric(o.metrics(), "observd_snapshot_age_seconds", 99) < 2.5,
            timeout=10, message="snapshot not refreshed after the pause")

    def test_redis_paused_after_expiry_serves_the_previous_snapshot(self):
        # No handler waits on Redis longer than the command timeout (+ max_wait), also
        # when the cached snapshot has just expired.
        redis = self.start_redis()
        seed_default_dataset(redis)
        o = self.start_observd(redis=redis, config={
            "cache": {"ttl": "1s"},
            "redis": {"command_timeout": "250ms", "connect_timeout": "250ms"}})
        o.metrics()
        # The shared key is SET with EX ttl after the computation: once it is gone, the
        # instance's own copy (same ttl, started earlier) has expired as well.
        wait_until(lambda: redis.cli("EXISTS", SNAPSHOT_KEY) == 0, timeout=5,
                   message="shared snapshot key never expired")
        # Paused far longer than a handler may wait: one that waited on Redis would take
        # the whole pause, one that does not takes the command timeout at most.
        redis.pause(6000)
        t0 = time.monotonic()
        r = o.get("/metrics")
        t_metrics = time.monotonic() - t0
        t0 = time.monotonic()
        s = o.get("/dashboard/api/stats")
        t_stats = time.monotonic() - t0
        self.assertEqual(r.status, 200)
        self.assertEqual(s.status, 200)
        self.assertLess(t_metrics, 3.0, "/metrics took %.2fs while Redis was paused" % t_metrics)
        self.assertLess(t_stats, 3.0, "/dashboard/api/stats took %.2fs while Redis was paused"
                        % t_stats)
        # served from the previous snapshot, still within its staleness limit
        self.assertIsNotNone(metric(parse_metrics(r.text), "observd_app_uploads"))

    def test_redis_killed_then_restarted_on_same_port(self):
        redis = self.start_redis()
        expected = seed_default_dataset(redis)
        o = self.start_observd(redis=redis, config={"cache": {"ttl": "1s"}})
        self.assertEqual(self.redis_up(o), 1)
        redis.kill()
        t0 = time.monotonic()
        wait_until(lambda: self.redis_up(o) == 0, timeout=2,
                           message="observd_redis_up not 0 within 2 s of Redis dying")
        # the stats partial says so, with the age of the data it still shows
        def down_banner():
            r = o.get("/dashboard/api/stats-html")
            return r.status == 200 and 'data-status="down"' in r.text and r.text
        html = wait_until(down_banner, timeout=3,
                                  message=lambda: "stats partial not down: %r"
                                  % o.get("/dashboard/api/stats-html").text[:400])
        self.assertRegex(html, r"Redis unavailable \u2014 data from \d+ s ago")
        # nothing hangs while Redis is gone (connect refused, then backoff)
        self.assert_all_fast(o, time.monotonic() + 1.5, "Redis killed")
        for path in PAGES:
            self.assertEqual(o.get(path, timeout=5).status, 200, path)
        self.assertLess(time.monotonic() - t0, 8)

        redis.start()  # same port, empty data set
        seed_default_dataset(redis)
        t1 = time.monotonic()
        wait_until(lambda: self.redis_up(o) == 1, timeout=10,
                           message="observd_redis_up not back to 1 within 10 s")

        def fresh():
            m = o.metrics()
            return (metric(m, "observd_snapshot_age_seconds", 99) < 2.5
                    and metric(m, "observd_app_uploads") == expected["uploads"])
        wait_until(fresh, timeout=max(1.0, 10 - (time.monotonic() - t1)),
                           message=lambda: "no fresh snapshot within 10 s of the restart: %r"
                           % (metric(o.metrics(), "observd_snapshot_age_seconds"),))
        r = o.get("/dashboard/api/stats-html")
        self.assertIn('data-status="ok"', r.text)
        self.assertTrue(o.running())
        self.stop_observd(o)

    def test_redis_slow_debug_sleep(self):
        redis = RedisServer(extra_args=["--enable-debug-command", "yes"])
        self.addCleanup(redis.cleanup)
        seed_default_dataset(redis)
        o = self.start_observd(redis=redis, config={"cache": {"ttl": "1s"}})
        self.assertEqual(self.redis_up(o), 1)
        before = self.failures(o.metrics())
        sleeper = RespClient("127.0.0.1", redis.port, timeout=10)
        self.addCleanup(sleeper.close)
        done = threading.Event()
        errors = []

        def sleep_redis():
            try:
                sleeper.call("DEBUG", "SLEEP", "2")
            except Exception as exc:  # noqa: BLE001
                errors.append(exc)
            finally:
                done.set()
        t = threading.Thread(target=sleep_redis, daemon=True)
        t0 = time.monotonic()
        t.start()
        self.assert_all_fast(o, t0 + 1.9, "Redis in DEBUG SLEEP 2")
        self.assertTrue(done.wait(10))
        self.assertEqual(errors, [], "DEBUG SLEEP failed (enable-debug-command?)")
        self.assertGreaterEqual(time.monotonic() - t0, 1.9, "DEBUG SLEEP did not block")
        wait_until(lambda: self.failures(o.metrics()) > before, timeout=5,
                           message=lambda: "slow refresh not counted: before %r now %r"
                           % (before, self.failures(o.metrics())))
        wait_until(lambda: self.redis_up(o) == 1, timeout=10)

    def test_redis_busy_lua_script(self):
        redis = self.start_redis()
        seed_default_dataset(redis)
        o = self.start_observd(redis=redis, config={"cache": {"ttl": "1s"}})
        before = self.failures(o.metrics())
        busy = RespClient("127.0.0.1", redis.port, timeout=10)
        self.addCleanup(busy.close)
        script = ("local t=redis.call('TIME') local s=tonumber(t[1])+tonumber(t[2])/1e6 "
                  "while true do local n=redis.call('TIME') "
                  "if tonumber(n[1])+tonumber(n[2])/1e6-s > 1.5 then break end end return 1")
        done = threading.Event()
        t = threading.Thread(target=lambda: (busy.call("EVAL", script, "0"), done.set()),
                             daemon=True)
        t0 = time.monotonic()
        t.start()
        self.assert_all_fast(o, t0 + 1.4, "Redis running a busy Lua script")
        self.assertTrue(done.wait(10), "the busy script never finished")
        wait_until(lambda: self.failures(o.metrics()) > before, timeout=5,
                           message="busy Redis not counted as a failed refresh / error")

    def _password_file(self, text):
        d = tempfile.mkdtemp(prefix="observd-it-pw-")
        self.addCleanup(shutil.rmtree, d, True)
        path = os.path.join(d, "redis-password")
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, 0o600)
        return path

    def test_requirepass_with_password_file_works(self):
        redis = self.start_redis(password="fault-pw-7c1e")
        expected = seed_default_dataset(redis)
        pw = self._password_file("fault-pw-7c1e\n")
        o = self.start_observd(redis=redis, extra_args=["--redis.password-file=" + pw])
        m = o.metrics()
        self.assertEqual(metric(m, "observd_redis_up"), 1)
        self.assertEqual(metric(m, "observd_app_uploads"), expected["uploads"])

    def test_requirepass_without_password_fails_clearly(self):
        redis = self.start_redis(password="fault-pw-7c1e")
        seed_default_dataset(redis)
        # default log level (info): an operator must see why without turning on debug
        o = self.start_observd(redis=redis, config={"log": {"level": "info"}})
        wait_until(lambda: self.redis_up(o) == 0, timeout=3)
        m = o.metrics()
        self.assertEqual([k for (k, _) in m if k.startswith("observd_app_")], [],
                         "app gauges exported although every query was refused")
        for path in POLLED:
            self.assertEqual(o.get(path).status, 200, path)
        # refused queries (-NOAUTH error replies) are failures, not a snapshot of nulls
        time.sleep(1.2)  # the thing tested: one more 1 s TTL passes with Redis refusing
        m = o.metrics()
        self.assertEqual(self.counter(m, REFRESHES, outcome="computed"), 0,
                         "a snapshot was 'computed' from -NOAUTH error replies")
        self.assertGreater(self.counter(m, REFRESHES, outcome="failed"), 0,
                           "the refused refresh was not counted as failed")
        snap = o.get("/dashboard/api/stats").json()["snapshot"]
        self.assertFalse(snap["available"] and not snap["stale"],
                         "the API presents a fresh snapshot although Redis refused every "
                         "query: %r" % (snap,))
        wait_until(lambda: "NOAUTH" in o.stderr() or "AUTH" in o.stderr(), timeout=5,
                           message=lambda: "no log line mentions AUTH/NOAUTH at level info;"
                           " stderr:\n" + o.stderr())
        self.assertTrue(o.running())
        self.stop_observd(o)


if __name__ == "__main__":
    unittest.main()
