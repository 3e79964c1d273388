"""Bad configuration, table-driven against the real binary (one subTest per row):
every broken file, flag or environment makes observd exit non-zero within 5 s with
ONE line on stderr that names the file (or flag / address) and the problem; and a
SIGHUP with a broken file keeps the running configuration (DESIGN.md, "Command line
and configuration")."""

import os
import shutil
import socket
import subprocess
import tempfile
import time
import unittest

from itbase import ObservdTestCase, metric, seed_default_dataset, series
from paths import default_templates, default_www, observd_bin
from polling import wait_until
from ports import free_port

EXIT_DEADLINE = 5.0

QUERY = {"name": "observd_app_queue_length", "help": "Jobs waiting.", "kind": "llen",
         "key": "jobs:queue", "labels": {"queue": "uploads"}}

# (label, config text, [regexes the single stderr line must match besides the file path])
# {dir} in the text is replaced by the test's temp dir.
BAD_FILES = [
    ("YAML syntax: unclosed flow", "cache:\n  ttl: 1s\n  key: [unclosed\n", []),
    ("YAML syntax: tab indentation", "web:\n\tnum_threads: 4\n", []),
    ("YAML syntax: bad indentation", "web:\n  num_threads: 4\n listen_address: x\n", []),
    ("not a mapping at the top", "- just\n- a list\n", []),
    ("binary garbage", "\x00\x01\x02\xff\xfe", []),
    ("wrong type: num_threads", "web:\n  num_threads: lots\n", [r"num_threads"]),
    ("wrong type: section is a scalar", "web: 42\n", [r"web"]),
    ("wrong type: queries is a mapping", "queries:\n  name: x\n", [r"queries"]),
    ("wrong type: duration", "cache:\n  ttl: banana\n", [r"ttl"]),
    ("wrong type: negative duration", "cache:\n  ttl: -5s\n", [r"ttl"]),
    ("out of range: max_sse_streams", "web:\n  max_sse_streams: -1\n", [r"max_sse_streams"]),
    ("threads too few for streams", "web:\n  num_threads: 10\n  max_sse_streams: 8\n",
     [r"num_threads"]),
    ("unknown top-level key", "log:\n  level: info\nbogus_key: 1\n", [r"bogus_key"]),
    ("unknown nested key", "web:\n  listen_adress: 127.0.0.1:1\n", [r"listen_adress"]),
    ("unknown log level", "log:\n  level: loud\n", [r"level|loud"]),
    ("invalid metric name: space and !",
     "queries:\n  - name: \"bad name!\"\n    kind: llen\n    key: q\n", [r"bad name!|name"]),
    ("invalid metric name: leading digit",
     "queries:\n  - name: 1abc\n    kind: llen\n    key: q\n", [r"1abc|name"]),
    ("invalid metric name: braces",
     "queries:\n  - name: \"observd_app_x{a=\\\"1\\\"}\"\n    kind: llen\n    key: q\n",
     [r"name"]),
    ("invalid metric name: empty", "queries:\n  - name: \"\"\n    kind: llen\n    key: q\n",
     [r"name"]),
    ("metric name of a built-in gauge",
     "queries:\n  - name: observd_redis_up\n    kind: llen\n    key: q\n", [r"observd_redis_up"]),
    ("duplicate query name",
     "queries:\n  - name: observd_app_q\n    kind: llen\n    key: q\n"
     "  - name: observd_app_q\n    kind: scard\n    key: s\n", [r"observd_app_q|duplicate"]),
    ("invalid label name",
     "queries:\n  - name: observd_app_q\n    kind: llen\n    key: q\n    labels: {\"bad-label\": x}\n",
     [r"bad-label|label"]),
    ("reserved label name",
     "queries:\n  - name: observd_app_q\n    kind: llen\n    key: q\n    labels: {__name__: x}\n",
     [r"__name__|label"]),
    ("unknown query kind", "queries:\n  - name: observd_app_x\n    kind: keys\n    key: q\n",
     [r"kind|keys"]),
    ("zcount without window", "queries:\n  - name: observd_app_x\n    kind: zcount\n    key: q\n",
     [r"window"]),
    ("bad redis address", "redis:\n  addr: ftp://nowhere\n", [r"addr|ftp"]),
    ("password file is a directory", "redis:\n  password_file: {dir}\n", [r"password"]),
    ("password file does not exist", "redis:\n  password_file: {dir}/no-such-file\n",
     [r"password|no-such-file"]),
    # the broken file here is the web config itself: the line names that file
    ("web config file does not exist", "web:\n  config_file: {dir}/no-such-web.yml\n",
     [r"(?i)no such file|cannot read|not found"], "{dir}/no-such-web.yml"),
    ("listen address without port", "web:\n  listen_address: 127.0.0.1\n", [r"listen_address"]),
    ("listen address bad port", "web:\n  listen_address: 127.0.0.1:99999\n",
     [r"listen_address|99999"]),
]

# (label, extra flags (formatted with {dir}), [regexes]); the line must name the flag.
BAD_FLAGS = [
    ("--redis.addr scheme", ["--redis.addr=ftp://nowhere"], [r"--redis\.addr"]),
    ("--redis.password-file directory", ["--redis.password-file={dir}"],
     [r"--redis\.password-file"]),
    ("--redis.password-file missing", ["--redis.password-file={dir}/missing"],
     [r"--redis\.password-file"]),
    ("--web.listen-address garbage", ["--web.listen-address=not an address"],
     [r"--web\.listen-address"]),
    ("--log.level", ["--log.level=loud"], [r"--log\.level"]),
    ("--log.format", ["--log.format=xml"], [r"--log\.format"]),
    ("--web.config.file missing", ["--web.config.file={dir}/missing-web.yml"],
     [r"(?i)no such file|cannot read|not found"], "{dir}/missing-web.yml"),
    ("unknown flag", ["--no-such-flag"], [r"no-such-flag"]),
]


def nonempty_lines(text):
    return [l for l in text.splitlines() if l.strip()]


class BadConfigTest(ObservdTestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="observd-it-badcfg-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.redis_port = free_port()  # nothing listens: the daemon must exit first

    def run_daemon(self, args):
        """Starts the daemon (not --check-config) and waits at most EXIT_DEADLINE."""
        port = free_port()
        www = default_www() or self.tmp
        cmd = [observd_bin()] + list(args)
        if not any(a.startswith("--web.listen-address") for a in args):
            cmd.append("--web.listen-address=127.0.0.1:%d" % port)
        cmd += ["--web.root=" + www, "--web.templates=" + default_templates()]
        if not any(a.startswith("--redis.addr") for a in args):
            cmd.append("--redis.addr=redis://127.0.0.1:%d/0" % self.redis_port)
        t0 = time.monotonic()
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, errors="replace")
        try:
            out, err = p.communicate(timeout=EXIT_DEADLINE)
        except subprocess.TimeoutExpired:
            p.kill()
            out, err = p.communicate()
            self.fail("observd still running %.0fs after start with %s; stderr:\n%s"
                      % (EXIT_DEADLINE, args, err[-3000:]))
        return p.returncode, out, err, time.monotonic() - t0

    def assert_one_line(self, label, rc, err, must_name, patterns):
        self.assertNotEqual(rc, 0, "%s: exited 0" % label)
        self.assertLess(rc, 128, "%s: killed by a signal / crashed (rc %d):\n%s" % (label, rc, err))
        lines = nonempty_lines(err)
        self.assertEqual(len(lines), 1, "%s: expected ONE line on stderr, got %d:\n%s"
                         % (label, len(lines), err))
        line = lines[0]
        self.assertIn(must_name, line, "%s: the line does not name %r: %s" % (label, must_name, line))
        for pat in patterns:
            self.assertRegex(line, pat, "%s: the line does not say what is wrong: %s"
                             % (label, line))
        self.assertNotRegex(line.lower(), r"terminate called|std::|what\(\)|exception",
                            "%s: a C++ exception leaked to the user: %s" % (label, line))

    def test_bad_files(self):
        for label, text, patterns, *name in BAD_FILES:
            with self.subTest(label):
                path = os.path.join(self.tmp, "observd.yml")
                with open(path, "w", errors="surrogateescape") as f:
                    f.write(text.replace("{dir}", self.tmp))
                rc, _out, err, secs = self.run_daemon(["--config.file=" + path])
                must = name[0].replace("{dir}", self.tmp) if name else path
                self.assert_one_line(label, rc, err, must, patterns)
                self.assertLess(secs, EXIT_DEADLINE)

    def test_bad_flags(self):
        good = os.path.join(self.tmp, "good.yml")
        with open(good, "w") as f:
            f.write("log:\n  level: info\n")
        for label, flags, patterns, *name in BAD_FLAGS:
            with self.subTest(label):
                args = ["--config.file=" + good] + [a.replace("{dir}", self.tmp) for a in flags]
                rc, _out, err, _ = self.run_daemon(args)
                must = name[0].replace("{dir}", self.tmp) if name else flags[0].split("=")[0]
                self.assert_one_line(label, rc, err, must, patterns)

    def test_missing_config_file(self):
        missing = os.path.join(self.tmp, "nope.yml")
        rc, _, err, _ = self.run_daemon(["--config.file=" + missing])
        self.assert_one_line("missing --config.file", rc, err, missing, [])

    def test_config_file_is_a_directory(self):
        rc, _, err, _ = self.run_daemon(["--config.file=" + self.tmp])
        self.assert_one_line("--config.file is a directory", rc, err, self.tmp, [])

    def test_tls_server_config_is_refused(self):
        web = os.path.join(self.tmp, "web.yml")
        with open(web, "w") as f:
            f.write("tls_server_config:\n  cert_file: /x.crt\n  key_file: /x.key\n")
        good = os.path.join(self.tmp, "good.yml")
        with open(good, "w") as f:
            f.write("{}\n")
        rc, _, err, _ = self.run_daemon(["--config.file=" + good, "--web.config.file=" + web])
        self.assert_one_line("tls_server_config", rc, err, web, [r"tls|TLS"])
        self.assertRegex(err, r"nginx", "the error does not point to the nginx recipe")

    def test_port_in_use(self):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind(("127.0.0.1", 0))
            s.listen(1)
            port = s.getsockname()[1]
            good = os.path.join(self.tmp, "good.yml")
            with open(good, "w") as f:
                f.write("{}\n")
            addr = "127.0.0.1:%d" % port
            rc, _, err, secs = self.run_daemon(["--config.file=" + good,
                                                "--web.listen-address=" + addr])
            self.assert_one_line("port in use", rc, err, addr,
                                 [r"(?i)in use|bind|listen|EADDRINUSE"])
            self.assertLess(secs, EXIT_DEADLINE)

    def test_unresolvable_listen_host(self):
        good = os.path.join(self.tmp, "good.yml")
        with open(good, "w") as f:
            f.write("{}\n")
        addr = "203.0.113.77:%d" % free_port()  # TEST-NET-3: not on this host
        rc, _, err, _ = self.run_daemon(["--config.file=" + good,
                                         "--web.listen-address=" + addr])
        self.assert_one_line("address not on this host", rc, err, addr, [])


class BadReloadTest(ObservdTestCase):
    """SIGHUP with a broken file: logged, and the running configuration stays."""

    def test_sighup_with_broken_files_keeps_old_config(self):
        redis = self.start_redis()
        seed_default_dataset(redis)
        redis.cli("RPUSH", "jobs:queue", "a", "b", "c")
        good = {"cache": {"ttl": "1s"}, "log": {"level": "info"}, "queries": [QUERY]}
        o = self.start_observd(redis=redis, config=good, base=False)
        self.assertMetric(o.metrics(), "observd_app_queue_length", 3, queue="uploads")
        broken_rows = [(row[0], row[1]) for row in BAD_FILES if "{dir}" not in row[1]]
        for label, text in broken_rows[:12]:
            with self.subTest(label):
                log_before = len(o.stderr())
                o.write_config(text)
                o.hup()
                wait_until(lambda: o.config_path in o.stderr()[log_before:], timeout=5,
                                   message=lambda: "%s: no log line naming %s after SIGHUP; "
                                   "new log:\n%s" % (label, o.config_path, o.stderr()[log_before:]))
                self.assertTrue(o.running(), "%s: observd exited on a broken reload" % label)
                for path in ("/metrics", "/-/healthy", "/-/ready", "/dashboard/api/stats-html"):
                    self.assertEqual(o.get(path).status, 200, "%s: %s" % (label, path))
                # after another TTL the old query is still computed and exported
                redis.cli("RPUSH", "jobs:queue", "x")
                n = redis.cli("LLEN", "jobs:queue")
                wait_until(
                    lambda: metric(o.metrics(), "observd_app_queue_length", queue="uploads") == n,
                    timeout=5, interval=0.2,
                    message=lambda: "%s: the old config's query gauge is gone or frozen: %s"
                    % (label, series(o.metrics(), "observd_app_queue_length")))
                new_log = nonempty_lines(o.stderr()[log_before:])
                self.assertTrue(any("reload" in l.lower() or "keep" in l.lower() for l in new_log),
                                "%s: the log does not say the reload failed:\n%s"
                                % (label, "\n".join(new_log)))
        # a good file afterwards is applied
        o.write_config(dict(good, queries=[]))
        o.hup()
        wait_until(lambda: series(o.metrics(), "observd_app_queue_length") == [],
                           timeout=10, interval=0.2, message="a good reload after broken ones "
                           "was not applied")
        self.stop_observd(o)


if __name__ == "__main__":
    unittest.main()
