"""Redis faults against a real redis-server the test controls: paused, killed and
restarted on the same port, slow (DEBUG SLEEP), password-protected; plus hostile
values in Redis (inf scores, NUL bytes, absurd sizes, a foreign / corrupt / wrongly
typed / tampered shared snapshot key). The rule under test (DESIGN.md, "Data flow"):
no handler waits on Redis longer than the configured timeout, Redis outages are
reported, and every route stays 200 with sanitized output."""

import gzip
import json
import math
import os
import shutil
import tempfile
import threading
import time
import unittest

from itbase import SNAPSHOT_KEY, ObservdTestCase, metric, seed_default_dataset
from polling import timed, wait_until
from promtext import parse_metrics
from redis_server import RedisServer
from resp import RedisError, RespClient

# Every route a dashboard or a scraper polls; each must answer fast whatever Redis does.
POLLED = ["/metrics", "/dashboard/api/stats-html", "/dashboard/api/recent-uploads-html",
          "/dashboard/api/metrics-html", "/dashboard/api/stats", "/dashboard/api/history"]
PAGES = ["/", "/dashboard/observability", "/dashboard/uploads", "/-/healthy", "/-/ready"]
FAST = 0.5  # seconds: the budget of one request while Redis misbehaves
REFRESHES = "observd_snapshot_refreshes_total"


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


def excerpt(text, i, width=120):
    return text[max(0, i - width):i + width]


def assert_sane_everywhere(tc, o, label):
    """Every route answers 200; bodies are valid UTF-8; markup stays escaped; JSON has
    no NaN/Infinity; /metrics parses; the uploads partial is bounded."""
    for path in POLLED + PAGES + ["/dashboard/api/recent-uploads-html?limit=100"]:
        r = o.get(path, timeout=5)
        tc.assertEqual(r.status, 200, "%s: %s" % (label, path))
        body = r.body
        if (r.header("Content-Encoding") or "").lower() == "gzip":
            body = gzip.decompress(body)
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            tc.fail("%s: %s is not valid UTF-8: %s" % (label, path, exc))
        if "\x00" in text:
            tc.fail("%s: NUL byte in %s at %d: %r" % (label, path, text.index("\x00"),
                                                     excerpt(text, text.index("\x00"))))
        if path.startswith("/dashboard/api/") and "-html" in path:
            low = text.lower()
            if "<script" in low or "<img" in low:
                i = max(low.find("<script"), low.find("<img"))
                tc.fail("%s: markup not escaped in %s: %r" % (label, path, excerpt(text, i)))
            if len(text) >= 200_000:
                tc.fail("%s: %s is %d bytes (unbounded)" % (label, path, len(text)))
        if path in ("/dashboard/api/stats", "/dashboard/api/history"):
            def no_const(c):
                raise ValueError("non-finite number %s in %s" % (c, path))
            json.loads(text, parse_constant=no_const)
        if path == "/metrics":
            parse_metrics(text)
    tc.assertTrue(o.running(), "%s: observd died" % label)
    tc.assertEqual(o.get("/-/healthy").status, 200)


class HostileRedisDataTest(ObservdTestCase):
    """Values that Redis accepts but the application contract never writes."""

    def test_inf_scores_nul_bytes_and_absurd_sizes(self):
        redis = self.start_redis()
        seed_default_dataset(redis)
        now = time.time()
        redis.cli("ZADD", "uploads:timeline", "inf", "u-inf")
        redis.cli("ZADD", "uploads:timeline", "-inf", "u-minf")
        redis.cli("HSET", "upload:u-inf", "filename", "inf.bin", "size", "10",
                  "created_at", "inf")
        redis.cli("HSET", "upload:u-minf", "filename", "minf.bin", "size", "nan",
                  "created_at", "-inf")
        with self.assertRaises(RedisError):   # Redis refuses NaN scores itself
            redis.cli("ZADD", "uploads:timeline", "nan", "u-nan")
        nul_id = b"u-\x00nul"
        redis.cli("ZADD", "uploads:timeline", "%.3f" % (now - 5), nul_id)
        redis.cli("HSET", b"upload:" + nul_id, "filename", b"a\x00<script>x</script>.txt",
                  "user", b"\x00\x00", "size", b"12\x0034", "status", b"stored\x00evil",
                  "content_type", b"text/plain\x00\r\nX-Injected: 1")
        sizes = {"neg": "-1", "negbig": "-99999999999999999999", "huge": "1e308",
                 "u64": "18446744073709551616", "i64": "9223372036854775807",
                 "digits": "9" * 400, "float": "1.5", "hex": "0x10", "space": " 12 "}
        for i, (k, v) in enumerate(sizes.items()):
            uid = "u-size-" + k
            redis.cli("ZADD", "uploads:timeline", "%.3f" % (now - 10 - i), uid)
            redis.cli("HSET", "upload:" + uid, "filename", uid + ".bin", "size", v,
                      "created_at", str(int(now - 10 - i)))
        # a huge score that is finite
        redis.cli("ZADD", "uploads:timeline", "1e300", "u-far-future")
        redis.cli("ZADD", "workflows:runs:failed", "inf", "run-inf")
        redis.cli("SADD", "users:active", b"\x00", "")
        o = self.start_observd(redis=redis)
        assert_sane_everywhere(self, o, "inf/NUL/sizes")
        html = o.get("/dashboard/api/recent-uploads-html?limit=100").text
        self.assertIsNone(o.get("/dashboard/api/recent-uploads-html?limit=100")
                          .header("X-Injected"))
        self.assertTrue("u-size-neg.bin" in html, "hostile rows missing from the partial")
        self.assertFalse("<script>x" in html, "markup not escaped")
        stats = o.get("/dashboard/api/stats").json()["snapshot"]
        self.assertIsInstance(stats["uploads_total"], int)
        m = o.metrics()
        for (name, _labels), v in m.items():
            if name.startswith("observd_app_"):
                self.assertTrue(math.isfinite(v) and v >= 0, "%s = %r" % (name, v))
        self.stop_observd(o)

    def _shared_key_case(self, label, poison):
        """Starts observd, poisons the shared key with `poison(redis)` and checks every
        route (the key is poisoned again before each round, as a hostile writer would)."""
        redis = self.start_redis()
        seed_default_dataset(redis)
        o = self.start_observd(redis=redis, config={"cache": {"ttl": "1s"}})
        for _ in range(3):
            redis.cli("DEL", SNAPSHOT_KEY)
            poison(redis)
            assert_sane_everywhere(self, o, label)
            time.sleep(0.4)  # let the 1 s snapshot expire so the poisoned key is read
        m = o.metrics()
        self.assertEqual(metric(m, "observd_redis_up"), 1, label)
        self.assertEqual(metric(m, "observd_app_uploads"), 12,
                         "%s: the poisoned key changed the exported value" % label)
        return o, redis

    def test_shared_key_foreign_json_object(self):
        self._shared_key_case("foreign JSON", lambda r: r.cli(
            "SET", SNAPSHOT_KEY, json.dumps({"hello": "world", "uploads_total": 1e9}), "EX", "60"))

    def test_shared_key_binary_garbage(self):
        self._shared_key_case("binary garbage", lambda r: r.cli(
            "SET", SNAPSHOT_KEY, os.urandom(4096) + b"\x00\xff{", "EX", "60"))

    def test_shared_key_wrong_type_hash(self):
        self._shared_key_case("HASH", lambda r: r.cli(
            "HSET", SNAPSHOT_KEY, "observd_snapshot", "1", "computed_at", str(time.time())))

    def test_shared_key_wrong_type_list(self):
        self._shared_key_case("LIST", lambda r: r.cli("RPUSH", SNAPSHOT_KEY, "a", "b"))

    def test_shared_key_tampered_snapshot(self):
        """A valid-looking snapshot another writer tampered with: the shared key is a
        trust boundary, so its strings get the same escaping and truncation as data
        read from the application keys (internal-contracts: <= 200 chars + "...")."""
        redis = self.start_redis()
        seed_default_dataset(redis)
        o = self.start_observd(redis=redis, config={"cache": {"ttl": "30s"}})
        raw = wait_until(lambda: redis.cli("GET", SNAPSHOT_KEY), timeout=5,
                                 message="observd never wrote the shared key")
        snap = json.loads(raw)
        self.assertTrue(snap.get("recent"), "unexpected snapshot shape: %r" % list(snap))
        victim = snap["recent"][0]
        victim["filename"] = "<script>alert(1)</script>" + "B" * (300 * 1024)
        victim["user"] = "\u0000<img src=x onerror=alert(2)>"
        victim["status"] = "\"><b>x</b>"
        victim["size"] = -5
        # 200 more rows, each with a filename over the 200-character limit (a few KB, so
        # that the poisoned key stays small enough to read quickly under sanitizers).
        dup = dict(victim, filename="<script>alert(3)</script>" + "B" * 4096)
        snap["recent"] = snap["recent"] + [dict(dup, id="dup-%d" % i) for i in range(200)]

        def poison(r):
            snap["computed_at"] = time.time()
            r.cli("SET", SNAPSHOT_KEY, json.dumps(snap), "EX", "60")
        o.cleanup()  # restart so the poisoned key is what the new instance reads first
        poison(redis)
        o = self.start_observd(redis=redis, config={"cache": {"ttl": "30s"}})
        # the new instance took the poisoned shared snapshot (not its own computation)
        self.assertGreater(self.counter(o.metrics(), REFRESHES, outcome="shared"), 0,
                           "the poisoned shared key was not read; the test proves nothing")
        r = o.get("/dashboard/api/recent-uploads-html?limit=100")
        self.assertEqual(r.status, 200)
        body = r.body.decode("utf-8")
        problems = []
        if "<img src=x" in body or "<b>x</b>" in body:
            problems.append("markup not escaped")
        if "B" * 201 in body:
            problems.append("the 300 KB filename was not truncated to 200 characters")
        if "\x00" in body:
            problems.append("a NUL byte from the user field reached the HTML")
        if len(body) >= 100_000:
            problems.append("the partial is %d bytes" % len(body))
        self.assertFalse(problems, "values from a tampered shared snapshot were not sanitized "
                         "like values read from the application keys: " + "; ".join(problems))
        assert_sane_everywhere(self, o, "tampered snapshot")


if __name__ == "__main__":
    unittest.main()
