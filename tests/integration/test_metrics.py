"""/metrics and the HTTP surface against a real redis-server: exact values of the
application gauges for seeded data, the text format, gzip, JSON stats, health
routes, status codes, security headers and the request counters."""

import gzip
import os
import re
import unittest

from itbase import ObservdTestCase, metric, seed_default_dataset, series
from paths import source_dir
from polling import wait_until
from prometheus_server import promtool_check_metrics
from promtext import parse_metrics
from seed import seed_uploads

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def project_version():
    src = source_dir()
    with open(os.path.join(src, "CMakeLists.txt")) as f:
        m = re.search(r"project\(\s*observd\s+VERSION\s+([0-9.]+)", f.read())
    return m.group(1) if m else None


class MetricsTest(ObservdTestCase):
    def setUp(self):
        self.redis = self.start_redis()
        self.expected = seed_default_dataset(self.redis)
        self.o = self.start_observd(redis=self.redis)

    def test_seeded_data_exact_values(self):
        m = self.o.metrics()
        e = self.expected
        self.assertMetric(m, "observd_redis_up", 1)
        self.assertMetric(m, "observd_app_uploads", e["uploads"])
        self.assertMetric(m, "observd_app_uploads_window", e["uploads_1h"], window="1h")
        self.assertMetric(m, "observd_app_uploads_window", e["uploads_24h"], window="24h")
        self.assertMetric(m, "observd_app_active_users", e["active_users"])
        for status, windows in e["runs"].items():
            for window, n in windows.items():
                self.assertMetric(m, "observd_app_workflow_runs_window", n,
                                  status=status, window=window)
        self.assertEqual(len(series(m, "observd_app_workflow_runs_window")), 6,
                         series(m, "observd_app_workflow_runs_window"))

    def test_values_follow_redis_after_ttl(self):
        # New data shows up once the 1 s cache expires: the gauge is not frozen.
        seed_uploads(self.redis, [{"id": "new1", "age": 1}, {"id": "new2", "age": 2}])
        self.redis.cli("SADD", "users:active", "late-user")
        want = self.expected["uploads"] + 2
        wait_until(lambda: metric(self.o.metrics(), "observd_app_uploads") == want,
                           timeout=10, interval=0.2,
                           message=lambda: "observd_app_uploads never became %d (now %r)"
                           % (want, metric(self.o.metrics(), "observd_app_uploads")))
        m = self.o.metrics()
        self.assertMetric(m, "observd_app_uploads_window", self.expected["uploads_1h"] + 2,
                          window="1h")
        self.assertMetric(m, "observd_app_active_users", self.expected["active_users"] + 1)

    def test_build_info(self):
        m = self.o.metrics()
        bi = series(m, "observd_build_info")
        self.assertEqual(len(bi), 1, bi)
        labels, value = bi[0]
        self.assertEqual(value, 1)
        self.assertIn("version", labels)
        self.assertIn("revision", labels)
        want = project_version()
        if want:
            self.assertEqual(labels["version"], want)
        self.assertRegex(labels["revision"], r"^([0-9a-f]{7,40}|unknown)$")

    def test_content_type_and_format(self):
        r = self.o.get("/metrics")
        self.assertEqual(r.status, 200)
        self.assertEqual(r.header("Content-Type"), CONTENT_TYPE)
        self.assertIsNone(r.header("Content-Encoding"))
        text = r.text
        self.assertTrue(text.endswith("\n"), "body must end with a newline")
        # Every family has HELP and TYPE; TYPE of the app gauges is gauge.
        self.assertIn("# TYPE observd_app_uploads gauge", text)
        self.assertIn("# HELP observd_app_uploads ", text)
        self.assertIn("# TYPE observd_cache_hits_total counter", text)
        self.assertIn("# TYPE observd_http_request_duration_seconds histogram", text)
        m = parse_metrics(text)
        for name in ("process_cpu_seconds_total", "process_resident_memory_bytes",
                     "process_virtual_memory_bytes", "process_start_time_seconds",
                     "process_open_fds", "process_max_fds", "observd_redis_latency_seconds",
                     "observd_snapshot_age_seconds", "observd_cache_hit_ratio",
                     "observd_redis_errors_total"):
            self.assertTrue(series(m, name), "%s missing from /metrics" % name)

    def test_gzip(self):
        # Warm-up: lazily created series exist from now on. A request is counted after
        # its answer is written, so wait until the warm-up scrape's own count shows.
        wait_until(lambda: metric(self.o.metrics(), "observd_http_requests_total",
                                  handler="/metrics", code="200"), timeout=10)
        plain = self.o.get("/metrics")
        r = self.o.get("/metrics", headers={"Accept-Encoding": "gzip"})
        self.assertEqual(r.status, 200)
        self.assertEqual((r.header("Content-Encoding") or "").lower(), "gzip")
        self.assertEqual(r.header("Content-Type"), CONTENT_TYPE)
        body = gzip.decompress(r.body).decode("utf-8")
        self.assertLess(len(r.body), len(body), "gzip body is not smaller")
        self.assertEqual(set(parse_metrics(body)), set(parse_metrics(plain.text)))
        m = parse_metrics(body)
        self.assertEqual(metric(m, "observd_app_uploads"), self.expected["uploads"])
        # Also when gzip is one of several accepted encodings.
        r2 = self.o.get("/metrics", headers={"Accept-Encoding": "deflate, gzip;q=0.9, br"})
        self.assertEqual((r2.header("Content-Encoding") or "").lower(), "gzip")
        gzip.decompress(r2.body)

    def test_stats_json_shape(self):
        r = self.o.get("/dashboard/api/stats")
        self.assertEqual(r.status, 200)
        self.assertTrue((r.header("Content-Type") or "").startswith("application/json"),
                        r.header("Content-Type"))
        d = r.json()
        num = (int, float)
        self.assertIsInstance(d["version"], str)
        self.assertIsInstance(d["revision"], str)
        self.assertIsInstance(d["uptime_seconds"], num)
        self.assertGreaterEqual(d["uptime_seconds"], 0)
        self.assertIsInstance(d["requests_total"], int)
        self.assertIs(d["redis"]["up"], True)
        self.assertIsInstance(d["redis"]["latency_seconds"], num)
        self.assertIsInstance(d["redis"]["errors_total"], int)
        c = d["cache"]
        for k in ("hits", "misses"):
            self.assertIsInstance(c[k], int)
        self.assertIsInstance(c["ratio"], num)
        self.assertEqual(c["ttl_seconds"], 1)
        if c["hits"] + c["misses"]:
            self.assertAlmostEqual(c["ratio"], c["hits"] / (c["hits"] + c["misses"]), places=2)
        s = d["snapshot"]
        e = self.expected
        self.assertIs(s["available"], True)
        self.assertIs(s["stale"], False)
        self.assertIsInstance(s["age_seconds"], num)
        self.assertIsInstance(s["computed_at"], num)
        self.assertEqual(s["uploads_total"], e["uploads"])
        self.assertEqual(s["uploads_window"], {"1h": e["uploads_1h"], "24h": e["uploads_24h"]})
        self.assertEqual(s["active_users"], e["active_users"])
        self.assertEqual(s["workflow_runs_window"], e["runs"])
        self.assertEqual(s["recent_uploads"], e["uploads"])
        self.assertEqual(s["queries"], {})

    def test_health_and_ready(self):
        for path in ("/-/healthy", "/-/ready"):
            r = self.o.get(path)
            self.assertEqual(r.status, 200, path)

    def test_unknown_path_404(self):
        for path in ("/nope", "/metrics/extra", "/dashboard/api/nope", "/static/nope.js",
                     "/static/../../etc/passwd", "/static/%2e%2e/%2e%2e/etc/passwd"):
            r = self.o.get(path)
            self.assertEqual(r.status, 404, path)
            self.assertNotIn(b"root:x:0:0", r.body)

    def test_wrong_method_405(self):
        r = self.o.request("POST", "/metrics", body=b"x=1",
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(r.status, 405)
        for method, path in (("DELETE", "/metrics"), ("PUT", "/dashboard/api/stats"),
                             ("POST", "/-/healthy")):
            self.assertEqual(self.o.request(method, path).status, 405, (method, path))

    def test_nosniff_on_every_response(self):
        cases = [("GET", "/metrics"), ("GET", "/-/healthy"), ("GET", "/-/ready"),
                 ("GET", "/dashboard/api/stats"), ("GET", "/dashboard/api/history"),
                 ("GET", "/dashboard/api/stats-html"),
                 ("GET", "/dashboard/api/recent-uploads-html"),
                 ("GET", "/dashboard/api/metrics-html"), ("GET", "/"),
                 ("GET", "/nope"), ("POST", "/metrics")]
        for method, path in cases:
            r = self.o.request(method, path)
            self.assertEqual(r.header("X-Content-Type-Options"), "nosniff",
                             "%s %s -> %d lacks nosniff" % (method, path, r.status))
        r = self.o.get("/metrics", headers={"Accept-Encoding": "gzip"})
        self.assertEqual(r.header("X-Content-Type-Options"), "nosniff", "gzip /metrics")

    def test_http_requests_total_increments(self):
        before = self.o.metrics()
        for _ in range(3):
            self.assertEqual(self.o.get("/-/healthy").status, 200)
        for _ in range(2):
            self.assertEqual(self.o.get("/definitely-not-here").status, 404)

        # A request is counted after its answer is written: poll until the last ones
        # show (an over-count never settles and fails at the deadline).
        def deltas():
            after = self.o.metrics()
            out = []
            for (name, labels), v in after.items():
                if name == "observd_http_requests_total":
                    out.append((dict(labels), v - before.get((name, labels), 0.0)))
            return out

        def healthy_counted(d):
            return any(l["code"] == "200" and l["handler"] == "/-/healthy" and v == 3
                       for l, v in d)

        def settled():
            d = deltas()
            not_found = sum(v for l, v in d if l["code"] == "404")
            return d if healthy_counted(d) and not_found == 2 else None

        d = wait_until(settled, timeout=10, message=lambda: repr(deltas()))
        self.assertTrue(d, "observd_http_requests_total missing")
        for labels, _ in d:
            self.assertEqual(set(labels), {"handler", "code"}, labels)
        not_found = sum(v for labels, v in d if labels["code"] == "404")
        self.assertEqual(not_found, 2, d)
        self.assertTrue(healthy_counted(d),
                        "no handler counted exactly the 3 /-/healthy requests: %r" % d)

    def test_htmx_events_total(self):
        before = self.counter(self.o.metrics(), "observd_htmx_events_total")
        for path in ("/dashboard/api/stats", "/-/healthy", "/dashboard/api/stats"):
            self.o.get(path, headers={"HX-Request": "true"})
        self.o.get("/dashboard/api/stats")  # no header: not counted
        after = self.counter(self.o.metrics(), "observd_htmx_events_total")
        self.assertEqual(after - before, 3)

    def test_promtool_check_metrics(self):
        self.o.get("/-/healthy")
        self.o.get("/nope")
        text = self.o.metrics_text()
        p = promtool_check_metrics(text)
        self.assertEqual(p.returncode, 0, "promtool check metrics failed:\n%s%s"
                         % (p.stdout, p.stderr))
        self.assertNotIn("error", (p.stdout + p.stderr).lower())

    def test_metrics_html_partial_escapes(self):
        r = self.o.get("/dashboard/api/metrics-html")
        self.assertEqual(r.status, 200)
        self.assertIn("<pre", r.text)
        self.assertIn("observd_app_uploads", r.text)


if __name__ == "__main__":
    unittest.main()
