"""A real Prometheus server scraping observd, and `promtool check metrics`.

Owns PrometheusServer (started on a free loopback port with its own temp dir and
config; stopped by cleanup()) and promtool_check_metrics(). Not thread-safe.
"""

import http.client
import json
import os
import shutil
import subprocess
import tempfile
from urllib.parse import urlencode

from polling import wait_until
from ports import free_port
from processes import stop_process

__all__ = ["promtool_check_metrics", "PrometheusServer"]


def promtool_check_metrics(text):
    """Pipes a scrape body to `promtool check metrics`; returns CompletedProcess."""
    return subprocess.run(["promtool", "check", "metrics"], input=text, capture_output=True,
                          text=True, timeout=60)


class PrometheusServer:
    """A real Prometheus server scraping `targets` (job name -> [host:port]) every 1s."""

    def __init__(self, jobs, scrape_interval="1s", target_labels=None):
        """`target_labels` (job -> {label: value}) are set on that job's targets, e.g.
        the same `instance` for two jobs that reach one observd by different ports."""
        self.port = free_port()
        self.tmp = tempfile.mkdtemp(prefix="observd-it-prom-")
        self.config_path = os.path.join(self.tmp, "prometheus.yml")
        self.log_path = os.path.join(self.tmp, "prometheus.log")
        target_labels = target_labels or {}
        cfg = {"global": {"scrape_interval": scrape_interval,
                          "evaluation_interval": scrape_interval,
                          "scrape_timeout": scrape_interval},
               "scrape_configs": [{"job_name": job,
                                   "static_configs": [{"targets": list(targets),
                                                       "labels": target_labels.get(job, {})}]}
                                  for job, targets in jobs.items()]}
        with open(self.config_path, "w") as f:
            json.dump(cfg, f, indent=2)
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            ["prometheus", "--config.file=" + self.config_path,
             "--storage.tsdb.path=" + os.path.join(self.tmp, "data"),
             "--web.listen-address=127.0.0.1:%d" % self.port],
            stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT)
        try:
            wait_until(self._ready, timeout=30,
                       message=lambda: "prometheus not ready; log:\n" + self.log())
        except AssertionError:
            self.cleanup()
            raise

    def _ready(self):
        if self.proc.poll() is not None:
            raise AssertionError("prometheus exited with %s; log:\n%s"
                                 % (self.proc.returncode, self.log()))
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
        try:
            conn.request("GET", "/-/ready")
            return conn.getresponse().status == 200
        finally:
            conn.close()

    def log(self):
        try:
            with open(self.log_path, "r", errors="replace") as f:
                return f.read()[-6000:]
        except OSError:
            return "(no log)"

    def query(self, expr):
        """Instant query; returns the result list of the JSON answer."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        try:
            conn.request("GET", "/api/v1/query?" + urlencode({"query": expr}))
            r = conn.getresponse()
            body = json.loads(r.read().decode("utf-8"))
        finally:
            conn.close()
        if body.get("status") != "success":
            raise AssertionError("query %r failed: %r" % (expr, body))
        return body["data"]["result"]

    def targets(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        try:
            conn.request("GET", "/api/v1/targets")
            return json.loads(conn.getresponse().read().decode("utf-8"))
        finally:
            conn.close()

    def api(self, path, params=None):
        """GET /api/v1/<path>?<params>; returns the `data` of a successful answer."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        try:
            conn.request("GET", "/api/v1/" + path + ("?" + urlencode(params) if params else ""))
            body = json.loads(conn.getresponse().read().decode("utf-8"))
        finally:
            conn.close()
        if body.get("status") != "success":
            raise AssertionError("%s failed: %r" % (path, body))
        return body["data"]

    def cleanup(self):
        stop_process(self.proc, timeout=15)
        if not self._log.closed:
            self._log.close()
        shutil.rmtree(self.tmp, ignore_errors=True)
