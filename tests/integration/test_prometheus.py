"""A real Prometheus server scrapes observd: the target is up and the seeded
application value arrives intact; with its default Accept it gets OpenMetrics, and the
series it stores are those of a text-format scrape of the same observd."""

import unittest

from itbase import ObservdTestCase, seed_default_dataset
from polling import wait_until
from prometheus_server import PrometheusServer


class PrometheusScrapeTest(ObservdTestCase):
    def test_prometheus_scrapes_observd(self):
        redis = self.start_redis()
        expected = seed_default_dataset(redis)
        o = self.start_observd(redis=redis, config={"cache": {"ttl": "5s"}})
        prom = PrometheusServer({"observd": ["127.0.0.1:%d" % o.port]})
        self.addCleanup(prom.cleanup)

        def value(expr):
            res = prom.query(expr)
            return float(res[0]["value"][1]) if len(res) == 1 else None

        wait_until(lambda: value('up{job="observd"}') == 1, timeout=30, interval=0.5,
                           message=lambda: "up{job=\"observd\"} never 1; targets: %r\n%s"
                           % (prom.targets(), prom.log()))
        wait_until(
            lambda: value('observd_app_uploads{job="observd"}') == expected["uploads"],
            timeout=30, interval=0.5,
            message=lambda: "observd_app_uploads in Prometheus: %r"
            % prom.query('observd_app_uploads{job="observd"}'))
        self.assertEqual(value('observd_app_uploads_window{job="observd",window="24h"}'),
                         expected["uploads_24h"])
        self.assertEqual(value('observd_build_info{job="observd"}'), 1)
        health = [t for t in prom.targets()["data"]["activeTargets"]
                  if t["labels"].get("job") == "observd"]
        self.assertEqual(len(health), 1)
        self.assertEqual(health[0]["health"], "up", health[0].get("lastError"))
        self.assertEqual(health[0].get("lastError", ""), "")

    def test_openmetrics_and_text_scrapes_store_the_same_series(self):
        redis = self.start_redis()
        expected = seed_default_dataset(redis)
        o = self.start_observd(redis=redis, config={"cache": {"ttl": "5s"}})
        # Prometheus 2.42 (Debian 12) has no scrape_protocols: the "text" job scrapes
        # through a proxy that asks for the text format only.
        proxy = harness.AcceptProxy(o.port, "text/plain;version=0.0.4")
        self.addCleanup(proxy.close)
        same = {"instance": "observd"}
        prom = harness.PrometheusServer(
            {"om": ["127.0.0.1:%d" % o.port], "text": ["127.0.0.1:%d" % proxy.port]},
            target_labels={"om": same, "text": same})
        self.addCleanup(prom.cleanup)

        def up(job):
            res = prom.query('up{job="%s"}' % job)
            return len(res) == 1 and res[0]["value"][1] == "1"

        harness.wait_until(lambda: up("om") and up("text"), timeout=30, interval=0.5,
                           message=lambda: "targets not up: %r\n%s" % (prom.targets(), prom.log()))

        def metadata(job):
            data = prom.api("targets/metadata", {"match_target": '{job="%s"}' % job})
            return {m["metric"]: m for m in data}

        # The metadata shows which format each job parsed: only OpenMetrics has info
        # families and units.
        om_meta = harness.wait_until(lambda: metadata("om").get("observd_build") and
                                     metadata("om"), timeout=30, interval=0.5,
                                     message=lambda: "metadata of job om: %r" % metadata("om"))
        self.assertEqual(om_meta["observd_build"]["type"], "info")
        self.assertEqual(om_meta["process_cpu_seconds"]["unit"], "seconds")
        self.assertEqual(om_meta["observd_http_request_duration_seconds"]["unit"], "seconds")
        text_meta = metadata("text")
        self.assertEqual(text_meta["observd_build_info"]["type"], "gauge")
        self.assertNotIn("observd_build", text_meta)
        self.assertGreater(proxy.requests, 0)

        def stored(job):
            return {frozenset((k, v) for k, v in r["metric"].items() if k != "job"):
                    float(r["value"][1]) for r in prom.query('{job="%s"}' % job)}

        def diff():
            a, b = stored("om"), stored("text")
            return "only OpenMetrics: %r\nonly text: %r" % (
                sorted(dict(k).get("__name__") for k in set(a) - set(b)),
                sorted(dict(k).get("__name__") for k in set(b) - set(a)))

        # Series appear lazily (a request counter per new code): poll until both jobs
        # have scraped the same set.
        harness.wait_until(lambda: set(stored("om")) == set(stored("text")), timeout=30,
                           interval=0.5, message=diff)
        om, text = stored("om"), stored("text")
        self.assertGreater(len(om), 100)
        names = {dict(k)["__name__"] for k in om}
        self.assertIn("observd_build_info", names)
        self.assertIn("observd_cache_hits_total", names)
        self.assertNotIn("observd_build", names)
        self.assertFalse([n for n in names if n.endswith("_created")])
        les = {dict(k).get("le") for k in om
               if dict(k)["__name__"] == "observd_http_request_duration_seconds_bucket"}
        self.assertIn("1.0", les)
        for key, value in om.items():
            name = dict(key)["__name__"]
            if name.startswith("observd_app_") or name in ("observd_build_info", "up",
                                                           "observd_redis_up"):
                self.assertEqual(value, text[key], dict(key))
        self.assertEqual(om[frozenset({("__name__", "observd_app_uploads"),
                                       ("instance", "observd")})], expected["uploads"])


if __name__ == "__main__":
    unittest.main()
