"""Hostile and broken upload data in Redis: the recent-uploads partial stays 200,
escapes markup, renders garbage as "—", stays valid UTF-8 and bounded in size;
/metrics and the JSON API stay valid."""

import unittest

from itbase import ObservdTestCase, metric
from prometheus_server import promtool_check_metrics
from promtext import parse_metrics
from seed import seed_uploads

XSS_NAME = "<script>alert(1)</script>.png"
HUGE_NAME = "A" * (300 * 1024)


class HostileDataTest(ObservdTestCase):
    def setUp(self):
        self.redis = self.start_redis()
        seed_uploads(self.redis, [
            {"id": "nohash", "age": 60, "hash": None},
            {"id": "badsize", "age": 120, "size": "abc", "filename": "badsize.bin"},
            {"id": "negsize", "age": 130, "size": "-5", "filename": "negsize.bin"},
            {"id": "bigsize", "age": 140, "size": "9" * 40, "filename": "bigsize.bin"},
            {"id": "xss", "age": 180, "filename": XSS_NAME,
             "user": "<img src=x onerror=alert(2)>", "content_type": "text/html\"><b>",
             "status": "<i>weird</i>"},
            {"id": "utf8", "age": 240, "filename": b"bad-\xff\xfe-\xc3(.txt",
             "user": b"\xed\xa0\x80user"},
            {"id": "huge", "age": 300, "filename": HUGE_NAME},
            {"id": "nofields", "age": 360, "filename": None, "size": None, "user": None,
             "status": None, "created_at": None, "content_type": None,
             "extra": {"junk": "1"}},
            {"id": "badtime", "age": 420, "created_at": "yesterday", "filename": "t.txt"},
            {"id": "ok", "age": 30, "filename": "report.pdf", "size": "1468006"},
        ])
        self.redis.cli("HSET", "upload:badsize", "user", "mallory")
        self.o = self.start_observd(redis=self.redis)

    def test_recent_uploads_partial_is_safe(self):
        r = self.o.get("/dashboard/api/recent-uploads-html?limit=100")
        self.assertEqual(r.status, 200)
        self.assertTrue((r.header("Content-Type") or "").startswith("text/html"),
                        r.header("Content-Type"))
        self.assertEqual(r.header("X-Content-Type-Options"), "nosniff")
        body = r.body.decode("utf-8")  # strict: must be valid UTF-8
        self.assertIn("&lt;script&gt;", body)
        self.assertNotIn("<script>alert", body)
        self.assertNotIn("<script", body.lower())
        self.assertNotIn("<img src=x", body)
        self.assertNotIn("<i>weird</i>", body)
        self.assertNotIn('"><b>', body)
        self.assertIn("—", body)
        self.assertLess(len(body), 100_000, "the 300 KB filename was not truncated")
        self.assertNotIn("A" * 201, body)
        self.assertIn("report.pdf", body)
        self.assertIn("1.4 MiB", body)
        for name in ("badsize.bin", "negsize.bin", "bigsize.bin", "t.txt"):
            self.assertIn(name, body)

    def test_limit_parameter(self):
        for q in ("limit=abc", "limit=-1", "limit=0", "limit=100000", "limit=3", "limit=",
                  "limit=1e9", "limit=%00", "x=1&limit=2&limit=3"):
            r = self.o.get("/dashboard/api/recent-uploads-html?" + q)
            self.assertLess(r.status, 500, q)
            if r.status == 200:
                r.body.decode("utf-8")
        r = self.o.get("/dashboard/api/recent-uploads-html?limit=2")
        self.assertEqual(r.status, 200)
        self.assertIn("report.pdf", r.text)            # newest (30 s)
        self.assertNotIn("badsize.bin", r.text)        # third newest

    def test_metrics_and_json_stay_valid(self):
        text = self.o.metrics_text()
        m = parse_metrics(text)
        self.assertEqual(metric(m, "observd_app_uploads"), 10)
        p = promtool_check_metrics(text)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        r = self.o.get("/dashboard/api/stats")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.json()["snapshot"]["uploads_total"], 10)
        for path in ("/dashboard/api/stats-html", "/dashboard/api/metrics-html",
                     "/dashboard/api/history"):
            r = self.o.get(path)
            self.assertEqual(r.status, 200, path)
            r.body.decode("utf-8")
        self.assertTrue(self.o.running())
        self.stop_observd(self.o)


if __name__ == "__main__":
    unittest.main()
