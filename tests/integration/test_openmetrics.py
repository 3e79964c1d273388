"""/metrics content negotiation against a real redis-server: the exact Content-Type per
Accept header, and the official Python client's OpenMetrics and text parsers reading
every family of both bodies with the same samples and values; gzip and concurrent
scrapes of both formats (each coalesced within its own format)."""

import gzip
import sys
import threading
import unittest

from itbase import ObservdTestCase, seed_default_dataset

try:
    import prometheus_client  # noqa: F401
except ImportError:  # a non-Debian python3 first in PATH: use Debian's package
    sys.path.append("/usr/lib/python3/dist-packages")
from prometheus_client.openmetrics import parser as om_parser  # noqa: E402
from prometheus_client import parser as text_parser  # noqa: E402

TEXT = "text/plain; version=0.0.4; charset=utf-8"
OM = "application/openmetrics-text; version=1.0.0; charset=utf-8"
# Prometheus 2.x's scrape Accept header, and 3.x's with escaping parameters.
PROMETHEUS2_ACCEPT = ("application/openmetrics-text;version=1.0.0,application/openmetrics-text;"
                      "version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1")
PROMETHEUS3_ACCEPT = ("application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,"
                      "application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;"
                      "escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2")

# Series whose values move between two scrapes (the scrapes themselves, time, memory).
MOVING = ("observd_http_request", "observd_cache_", "observd_snapshot_age", "process_",
          "observd_htmx", "observd_dashboard")


def samples(families):
    """{(sample name, frozenset(labels)): value} of parsed families."""
    out = {}
    for fam in families:
        for s in fam.samples:
            key = (s.name, frozenset(s.labels.items()))
            assert key not in out, "duplicate sample %r" % (key,)
            out[key] = s.value
    return out


class OpenMetricsTest(ObservdTestCase):
    def setUp(self):
        self.redis = self.start_redis()
        self.expected = seed_default_dataset(self.redis)
        # A long TTL: the application gauges stay put while the test scrapes.
        self.o = self.start_observd(redis=self.redis, config={"cache": {"ttl": "60s"}})
        self.o.get("/metrics")  # lazily created series exist from now on

    def scrape(self, accept=None, gzip_ok=False):
        headers = {}
        if accept is not None:
            headers["Accept"] = accept
        if gzip_ok:
            headers["Accept-Encoding"] = "gzip"
        r = self.o.get("/metrics", headers=headers)
        self.assertEqual(r.status, 200)
        body = r.body
        if gzip_ok:
            self.assertEqual(r.header("Content-Encoding"), "gzip")
            body = gzip.decompress(body)
        else:
            self.assertIsNone(r.header("Content-Encoding"))
        self.assertIn("Accept", r.header("Vary") or "", r.headers.get_all("Vary"))
        return r.header("Content-Type"), body.decode("utf-8")

    def test_content_type_follows_accept(self):
        cases = [
            (None, TEXT), ("*/*", TEXT), ("text/plain", TEXT), ("garbage;;", TEXT),
            ("application/json", TEXT),
            ("application/openmetrics-text;version=1.0.0", OM),
            ("application/openmetrics-text", OM),
            ("application/openmetrics-text;version=0.0.1",
             "application/openmetrics-text; version=0.0.1; charset=utf-8"),
            (PROMETHEUS2_ACCEPT, OM),
            (PROMETHEUS3_ACCEPT, OM + "; escaping=allow-utf-8"),
            ("application/openmetrics-text;version=1.0.0;escaping=underscores",
             OM + "; escaping=underscores"),
            ("text/plain;version=0.0.4;q=0.9,application/openmetrics-text;q=0.5", TEXT),
        ]
        for accept, want in cases:
            with self.subTest(accept=accept):
                ctype, body = self.scrape(accept)
                self.assertEqual(ctype, want)
                self.assertEqual(body.endswith("# EOF\n"), want.startswith("application/"),
                                 body[-200:])

    def test_official_parsers_read_both_formats_alike(self):
        # A first scrape creates the /metrics request series, which a scrape only
        # counts after it has answered: every scrape below then has the same series.
        self.scrape("text/plain;version=0.0.4")
        _, text1 = self.scrape("text/plain;version=0.0.4")
        _, om = self.scrape(PROMETHEUS2_ACCEPT, gzip_ok=True)
        _, text2 = self.scrape(None, gzip_ok=True)
        tfam1 = list(text_parser.text_string_to_metric_families(text1))
        ofam = list(om_parser.text_string_to_metric_families(om))
        tfam2 = list(text_parser.text_string_to_metric_families(text2))
        t1, o, t2 = samples(tfam1), samples(ofam), samples(tfam2)

        self.assertEqual(set(o), set(t1), "sample names/labels differ between the formats")
        self.assertEqual(len(ofam), len(tfam1))
        moving = 0
        for key, value in o.items():
            if key[0].startswith(MOVING):
                moving += 1
                if key[0].endswith(("_total", "_count", "_sum", "_bucket")):
                    self.assertLessEqual(t1[key], value, key)
                    self.assertLessEqual(value, t2[key], key)
            else:
                self.assertEqual(value, t1[key], key)
        self.assertGreater(len(o) - moving, 10)

        # Families: OpenMetrics types, units and names; HELP identical.
        by_name = {f.name: f for f in ofam}
        text_help = {f.name: f.documentation for f in tfam1}
        self.assertEqual(by_name["observd_build"].type, "info")
        self.assertEqual(by_name["observd_cache_hits"].type, "counter")
        self.assertEqual(by_name["process_cpu_seconds"].unit, "seconds")
        self.assertEqual(by_name["process_resident_memory_bytes"].unit, "bytes")
        self.assertEqual(by_name["observd_http_request_duration_seconds"].type, "histogram")
        self.assertEqual(by_name["observd_http_request_duration_seconds"].unit, "seconds")
        self.assertEqual(by_name["observd_redis_up"].unit, "")
        for name, fam in by_name.items():
            tname = "observd_build_info" if name == "observd_build" else name
            self.assertEqual(fam.documentation, text_help.get(tname), name)
        self.assertNotIn("_created", om)

        e = self.expected
        self.assertEqual(o[("observd_app_uploads", frozenset())], e["uploads"])
        self.assertEqual(o[("observd_app_uploads_window", frozenset({("window", "24h")}))],
                         e["uploads_24h"])
        bi = [k for k in o if k[0] == "observd_build_info"]
        self.assertEqual(len(bi), 1)
        self.assertEqual(o[bi[0]], 1)
        les = {dict(k[1])["le"] for k in o if k[0] == "observd_http_request_duration_seconds_bucket"}
        self.assertIn("1.0", les)
        self.assertIn("+Inf", les)

    def test_concurrent_scrapes_of_both_formats_get_their_own(self):
        errors = []

        def worker(i):
            accept = PROMETHEUS2_ACCEPT if i % 2 else "text/plain"
            want = OM if i % 2 else TEXT
            for _ in range(10):
                r = self.o.get("/metrics", headers={"Accept": accept,
                                                    "Accept-Encoding": "gzip"})
                body = gzip.decompress(r.body).decode("utf-8")
                if r.header("Content-Type") != want or body.endswith("# EOF\n") != (want == OM):
                    errors.append((accept, r.header("Content-Type"), body[-80:]))

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])


if __name__ == "__main__":
    unittest.main()
