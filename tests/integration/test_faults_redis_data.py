"""Hostile values in Redis against a real redis-server: inf scores, NUL bytes, absurd
sizes, and a foreign / corrupt / wrongly typed / tampered shared snapshot key. Every
route stays 200 with sanitized output (DESIGN.md, "Data flow"); Redis faults (paused,
killed, slow): test_faults.py."""

import gzip
import json
import math
import os
import time
import unittest

from faults_base import PAGES, POLLED, REFRESHES
from itbase import SNAPSHOT_KEY, ObservdTestCase, metric, seed_default_dataset
from polling import wait_until
from promtext import parse_metrics
from resp import RedisError


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
