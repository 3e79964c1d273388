"""A real Prometheus server scrapes observd: the target is up and the seeded
application value arrives intact."""

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


if __name__ == "__main__":
    unittest.main()
