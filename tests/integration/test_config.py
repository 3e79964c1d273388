"""Configuration against the real binary: --check-config, file:line errors, a
missing explicit file, SIGHUP reloads (broken and good), extra `queries:` gauges
of every kind, SIGTERM exiting 0 (also with an SSE stream open), and the process
running with glibc's per-thread malloc cache off unless the operator set it."""

import http.client
import json
import os
import re
import shutil
import socket
import tempfile
import time
import unittest

from itbase import ObservdTestCase, metric, seed_default_dataset, series
from observd_process import run_observd
from paths import source_dir
from polling import wait_until
from ports import free_port
from prometheus_server import promtool_check_metrics
from promtext import parse_metrics
from unit_env import unit_environment


def write(dirpath, name, text):
    path = os.path.join(dirpath, name)
    with open(path, "w") as f:
        f.write(text)
    return path


# (description, YAML text, 1-based line of the problem)
BAD_CONFIGS = [
    ("bad duration", "web:\n  listen_address: 127.0.0.1:9469\ncache:\n  ttl: banana\n", 4),
    ("unknown key", "log:\n  level: info\nbogus_key: 1\n", 3),
    ("wrong type", "web:\n  num_threads: lots\n", 2),
    ("invalid metric name",
     "queries:\n  - name: \"bad name!\"\n    kind: llen\n    key: q\n", 2),
    ("unknown query kind",
     "queries:\n  - name: observd_app_x\n    kind: keys\n    key: q\n", 3),
    ("YAML syntax", "cache:\n  ttl: 1s\n  key: [unclosed\n", None),  # any line
]

EXTRA_QUERIES = [
    {"name": "observd_app_queue_length", "help": "Jobs waiting in the upload processing queue.",
     "kind": "llen", "key": "jobs:queue", "labels": {"queue": "uploads"}},
    {"name": "observd_app_uploads_recent", "help": "Uploads in the last 15 minutes.",
     "kind": "zcount", "key": "uploads:timeline", "window": "15m"},
    {"name": "observd_app_upload_limit", "help": "Configured upload limit.",
     "kind": "get", "key": "app:upload_limit", "labels": {"tier": "free", "region": "eu"}},
    {"name": "observd_app_timeline_size", "help": "Timeline entries.",
     "kind": "zcard", "key": "uploads:timeline"},
    {"name": "observd_app_users", "help": "Active users.", "kind": "scard", "key": "users:active"},
    {"name": "observd_app_upload_fields", "help": "Fields of one upload hash.",
     "kind": "hlen", "key": "upload:h0"},
    {"name": "observd_app_events", "help": "Events stream length.", "kind": "xlen",
     "key": "events"},
    {"name": "observd_app_visitors", "help": "Distinct visitors.", "kind": "pfcount",
     "key": "visitors"},
    {"name": "observd_app_missing_list", "help": "A list that does not exist.",
     "kind": "llen", "key": "no:such:list"},
]


class ConfigTest(ObservdTestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="observd-it-cfg-")
        self.addCleanup(shutil.rmtree, self.tmp, True)

    def test_check_config_good(self):
        shipped = os.path.join(source_dir(), "packaging", "observd.yml")
        p = run_observd(["--check-config", "--config.file=" + shipped])
        self.assertEqual(p.returncode, 0, "shipped config rejected:\n" + p.stderr)
        good = write(self.tmp, "good.yml",
                     "cache:\n  ttl: 5s\nqueries:\n  - name: observd_app_q\n    kind: llen\n"
                     "    key: q\n    labels: {queue: a}\n")
        p = run_observd(["--check-config", "--config.file=" + good])
        self.assertEqual(p.returncode, 0, p.stderr)

    def test_check_config_bad_names_file_and_line(self):
        for desc, text, line in BAD_CONFIGS:
            with self.subTest(desc):
                path = write(self.tmp, "bad.yml", text)
                p = run_observd(["--check-config", "--config.file=" + path])
                self.assertNotEqual(p.returncode, 0, "%s accepted" % desc)
                want = r"\d+" if line is None else "%d" % line
                self.assertRegex(p.stderr, re.escape(path) + ":" + want + r"(\D|$)",
                                 "%s: stderr does not name %s:%s" % (desc, path, line))

    def test_bad_config_at_start_exits_before_binding(self):
        port = free_port()
        path = write(self.tmp, "bad.yml", BAD_CONFIGS[0][1])
        p = run_observd(["--config.file=" + path,
                                 "--web.listen-address=127.0.0.1:%d" % port], timeout=15)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn(path + ":4", p.stderr)

    def test_bad_flag_exits_non_zero(self):
        p = run_observd(["--no-such-flag"])
        self.assertNotEqual(p.returncode, 0)
        p = run_observd(["--check-config", "--config.file=" + write(self.tmp, "e.yml", ""),
                                 "--redis.addr=ftp://nowhere"])
        self.assertNotEqual(p.returncode, 0, "a bad --redis.addr was accepted")
        self.assertIn("--redis.addr", p.stderr)

    def test_missing_explicit_config_file(self):
        missing = os.path.join(self.tmp, "does-not-exist.yml")
        port = free_port()
        p = run_observd(["--config.file=" + missing,
                                 "--web.listen-address=127.0.0.1:%d" % port], timeout=15)
        self.assertNotEqual(p.returncode, 0, "started without its named config file")
        self.assertIn(missing, p.stderr)
        p = run_observd(["--check-config", "--config.file=" + missing])
        self.assertNotEqual(p.returncode, 0)

    def test_version_flag(self):
        p = run_observd(["--version"])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("0.", p.stdout + p.stderr)

    def test_extra_queries_become_gauges(self):
        redis = self.start_redis()
        expected = seed_default_dataset(redis)
        redis.cli("RPUSH", "jobs:queue", "a", "b", "c")
        redis.cli("SET", "app:upload_limit", "42")
        redis.cli("XADD", "events", "*", "k", "v")
        redis.cli("XADD", "events", "*", "k", "w")
        redis.cli("PFADD", "visitors", "x", "y", "z", "w")
        o = self.start_observd(redis=redis, config={"queries": EXTRA_QUERIES})
        text = o.metrics_text()
        m = parse_metrics(text)
        self.assertMetric(m, "observd_app_queue_length", 3, queue="uploads")
        self.assertMetric(m, "observd_app_uploads_recent", 2)  # ages 30 s and 5 min
        self.assertMetric(m, "observd_app_upload_limit", 42, tier="free", region="eu")
        self.assertMetric(m, "observd_app_timeline_size", expected["uploads"])
        self.assertMetric(m, "observd_app_users", expected["active_users"])
        self.assertMetric(m, "observd_app_upload_fields", 6)
        self.assertMetric(m, "observd_app_events", 2)
        self.assertMetric(m, "observd_app_visitors", 4)
        self.assertMetric(m, "observd_app_missing_list", 0)
        self.assertIn("# HELP observd_app_queue_length Jobs waiting in the upload processing "
                      "queue.\n", text)
        self.assertIn("# TYPE observd_app_queue_length gauge\n", text)
        # default gauges are still there
        self.assertMetric(m, "observd_app_uploads", expected["uploads"])
        q = o.get("/dashboard/api/stats").json()["snapshot"]["queries"]
        self.assertEqual(q.get("observd_app_queue_length"), 3, q)
        # a non-numeric GET value is unknown: omitted or NaN, never a made-up number
        redis.cli("SET", "app:upload_limit", "lots")
        redis.cli("RPUSH", "jobs:queue", "d")
        wait_until(
            lambda: metric(o.metrics(), "observd_app_queue_length", queue="uploads") == 4,
            timeout=10, interval=0.2)
        v = metric(o.metrics(), "observd_app_upload_limit", tier="free", region="eu")
        self.assertTrue(v is None or v != v, "GET of 'lots' exported as %r" % v)
        p = promtool_check_metrics(o.metrics_text())
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)

    def test_sighup_with_broken_file_keeps_serving(self):
        redis = self.start_redis()
        seed_default_dataset(redis)
        o = self.start_observd(redis=redis)
        log_before = len(o.stderr())
        o.write_config("cache:\n  ttl: banana\n")
        o.hup()
        wait_until(lambda: o.config_path in o.stderr()[log_before:], timeout=10,
                           message=lambda: "no log line naming %s after SIGHUP; new log:\n%s"
                           % (o.config_path, o.stderr()[log_before:]))
        self.assertTrue(o.running(), "observd exited on a broken reload")
        self.assertEqual(o.get("/metrics").status, 200)
        self.assertEqual(o.get("/-/healthy").status, 200)
        self.assertEqual(o.get("/-/ready").status, 200)
        self.assertEqual(metric(o.metrics(), "observd_redis_up"), 1)
        self.stop_observd(o)

    def test_sighup_with_good_file_applies_change(self):
        redis = self.start_redis()
        seed_default_dataset(redis)
        redis.cli("RPUSH", "jobs:queue", "a", "b")
        o = self.start_observd(redis=redis)
        self.assertEqual(series(o.metrics(), "observd_app_queue_length"), [])
        cfg = {"cache": {"ttl": "1s"}, "queries": [EXTRA_QUERIES[0]]}
        o.write_config(json.dumps(cfg))
        o.hup()
        wait_until(
            lambda: metric(o.metrics(), "observd_app_queue_length", queue="uploads") == 2,
            timeout=10, interval=0.2,
            message=lambda: "new query gauge not applied after SIGHUP; log:\n" + o.stderr())
        self.assertTrue(o.running())
        # and removing it again removes the gauge
        o.write_config(json.dumps({"cache": {"ttl": "1s"}}))
        o.hup()
        wait_until(lambda: series(o.metrics(), "observd_app_queue_length") == [],
                           timeout=10, interval=0.2)
        self.stop_observd(o)

    def test_sigterm_exits_zero(self):
        redis = self.start_redis()
        o = self.start_observd(redis=redis)
        self.assertEqual(o.get("/metrics").status, 200)
        t0 = time.monotonic()
        self.assertEqual(self.stop_observd(o), 0)
        self.assertLess(time.monotonic() - t0, 10)
        # the port is released
        with socket.socket() as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("127.0.0.1", o.port))

    def test_sigterm_with_open_sse_stream_exits_zero(self):
        redis = self.start_redis()
        o = self.start_observd(redis=redis, config={"web": {"sse_interval": "1s"}})
        conn = http.client.HTTPConnection("127.0.0.1", o.port, timeout=10)
        self.addCleanup(conn.close)
        conn.request("GET", "/dashboard/api/events", headers={"Accept": "text/event-stream"})
        r = conn.getresponse()
        self.assertEqual(r.status, 200)
        self.assertTrue(r.getheader("Content-Type", "").startswith("text/event-stream"))
        first = r.readline()  # the stream is chunked: read through http.client
        self.assertTrue(first.startswith(b"retry:") or first.startswith(b":")
                        or first.startswith(b"event:"), first)
        t0 = time.monotonic()
        self.assertEqual(self.stop_observd(o), 0)
        self.assertLess(time.monotonic() - t0, 10)


def environment(pid):
    """The environment process `pid` was exec'd with, as a dict."""
    with open("/proc/%d/environ" % pid, "rb") as f:
        items = [i.decode() for i in f.read().split(b"\0") if i]
    return dict(i.split("=", 1) for i in items)


class MallocTuningTest(ObservdTestCase):
    """observd runs with the environment it is started with: the pid that starts is the
    one that serves, its /proc/PID/environ is what it was given (no re-exec), and it logs
    whether glibc's per-thread cache is off. systemd/observd.service's Environment=
    turns the cache off; the harness starts every observd with it (observd_process)."""

    def start(self, env):
        redis = self.start_redis()
        o = self.start_observd(redis=redis, env=env)
        self.assertEqual(o.get("/-/ready").status, 200)
        with open("/proc/%d/cmdline" % o.proc.pid, "rb") as f:
            self.assertEqual(f.read().split(b"\0")[:-1], [a.encode() for a in o.command()])
        # Logged right after "listening", which may come after readiness.
        wait_until(lambda: "malloc: glibc's per-thread cache is " in o.stderr(), timeout=10,
                   message=lambda: "no malloc line in the log:\n" + o.stderr())
        return o

    def test_started_like_the_unit_the_thread_cache_is_off(self):
        unit = unit_environment()
        self.assertIn("glibc.malloc.tcache_count=0", unit.get("GLIBC_TUNABLES", "").split(":"))
        o = self.start(env=None)
        self.assertEqual(environment(o.proc.pid), o.environment)
        self.assertEqual(environment(o.proc.pid)["GLIBC_TUNABLES"], unit["GLIBC_TUNABLES"])
        self.assertIn("malloc: glibc's per-thread cache is off", o.stderr())

    def test_nothing_is_added_without_the_units_environment(self):
        o = self.start(env={"GLIBC_TUNABLES": None})
        self.assertNotIn("GLIBC_TUNABLES", environment(o.proc.pid))
        self.assertEqual(environment(o.proc.pid), o.environment)
        self.assertIn("malloc: glibc's per-thread cache is on (glibc's default)", o.stderr())

    def test_the_operators_setting_is_kept_and_reported(self):
        o = self.start(env={"GLIBC_TUNABLES": "glibc.malloc.tcache_count=7"})
        self.assertEqual(environment(o.proc.pid), o.environment)
        self.assertIn("malloc: glibc's per-thread cache is on (glibc.malloc.tcache_count=7)",
                      o.stderr())

    def test_the_last_of_several_tunables_counts(self):
        # glibc's loader cuts the visible /proc/PID/environ copy of a two-item
        # GLIBC_TUNABLES after the first item (both apply: `ld.so --list-tunables`);
        # observd reads its own copy, whole.
        both = "glibc.malloc.arena_max=3:glibc.malloc.tcache_count=0"
        o = self.start(env={"GLIBC_TUNABLES": both})
        self.assertEqual(environment(o.proc.pid)["GLIBC_TUNABLES"], "glibc.malloc.arena_max=3")
        self.assertIn("malloc: glibc's per-thread cache is off", o.stderr())


if __name__ == "__main__":
    unittest.main()
