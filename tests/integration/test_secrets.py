"""Secrets and exposure: the Redis password (read from a file, Redis with
requirepass) never shows up in the log (at debug level), /metrics, the JSON API,
the partials, --help, --check-config or error messages, also when it is wrong or
misplaced in the Redis URL; and the default listener is loopback only."""

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import unittest
import urllib.parse

from itbase import ObservdTestCase, metric, seed_default_dataset
from observd_process import run_observd
from paths import default_templates, default_www, observd_bin
from polling import wait_until
from ports import free_port, listening_sockets
from redis_server import RedisServer

# Distinctive, with characters that tempt quoting/escaping bugs.
PASSWORD = 'S3cr3t-pw "q" %41 {x} \u00e9t\u00e9-7f3a'
WRONG = "wrong-pw-91c2e7"
ROUTES = ["/metrics", "/dashboard/api/stats", "/dashboard/api/stats-html",
          "/dashboard/api/metrics-html", "/dashboard/api/recent-uploads-html",
          "/dashboard/api/history", "/", "/-/healthy", "/-/ready"]


def leak_forms(secret):
    """The secret and the encodings it could leak in."""
    forms = {secret, urllib.parse.quote(secret), urllib.parse.quote_plus(secret),
             secret.replace('"', '\\"'), secret.encode("unicode_escape").decode("ascii")}
    for part in ("S3cr3t-pw", "7f3a", "91c2e7"):
        if part in secret:
            forms.add(part)
    return sorted(forms, key=len)


class SecretsTest(ObservdTestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="observd-it-secret-")
        self.addCleanup(shutil.rmtree, self.tmp, True)

    def pwfile(self, text, name="redis-password"):
        path = os.path.join(self.tmp, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(path, 0o600)
        return path

    def assert_no_leak(self, text, secret, where):
        for form in leak_forms(secret):
            self.assertNotIn(form, text, "the password (as %r) appears in %s" % (form, where))

    def start_redis_pw(self, password):
        r = RedisServer(password=password)
        self.addCleanup(r.cleanup)
        return r

    def test_password_never_exposed_at_debug_level(self):
        redis = self.start_redis_pw(PASSWORD)
        expected = seed_default_dataset(redis)
        pw = self.pwfile(PASSWORD + "\n")
        o = self.start_observd(redis=redis, config={"log": {"level": "debug"}},
                               extra_args=["--redis.password-file=" + pw, "--log.level=debug"])
        m = o.metrics()
        self.assertEqual(metric(m, "observd_redis_up"), 1, "AUTH with the file did not work")
        self.assertEqual(metric(m, "observd_app_uploads"), expected["uploads"])
        for path in ROUTES:
            r = o.get(path)
            self.assertEqual(r.status, 200, path)
            self.assert_no_leak(r.body.decode("utf-8", "replace"), PASSWORD, path)
        # restart Redis so the reconnect / AUTH path runs (and logs) again
        redis.stop()
        wait_until(lambda: metric(o.metrics(), "observd_redis_up") == 0, timeout=5)
        redis.start()
        wait_until(lambda: metric(o.metrics(), "observd_redis_up") == 1, timeout=10)
        o.hup()  # a reload logs too
        wait_until(lambda: "reload" in o.stderr(), timeout=5)
        self.stop_observd(o)
        self.assert_no_leak(o.stderr(), PASSWORD, "the debug log")
        with open(o.stdout_path, errors="replace") as f:
            self.assert_no_leak(f.read(), PASSWORD, "stdout")

    def test_wrong_password_error_does_not_echo_it(self):
        redis = self.start_redis_pw(PASSWORD)
        seed_default_dataset(redis)
        pw = self.pwfile(WRONG + "\n")
        o = self.start_observd(redis=redis, config={"log": {"level": "debug"}},
                               extra_args=["--redis.password-file=" + pw])
        wait_until(lambda: metric(o.metrics(), "observd_redis_up") == 0, timeout=3)
        wait_until(lambda: "AUTH" in o.stderr() or "WRONGPASS" in o.stderr(), timeout=5,
                           message=lambda: "the log does not say AUTH failed:\n" + o.stderr())
        for path in ROUTES:
            body = o.get(path).body.decode("utf-8", "replace")
            self.assert_no_leak(body, WRONG, path)
        self.assertTrue(o.running())
        self.stop_observd(o)
        self.assert_no_leak(o.stderr(), WRONG, "the log")
        self.assert_no_leak(o.stderr(), PASSWORD, "the log")

    def test_password_in_redis_url_is_not_logged(self):
        """A password put into the URL (against the docs) is refused or used, but never
        printed back: not in the error, not in the 'listening ... redis=' line."""
        redis = self.start_redis_pw(PASSWORD)
        url_pw = "urlpw-5d8e1b"
        for addr in ("redis://:%s@127.0.0.1:%d/0" % (url_pw, redis.port),
                     "redis://default:%s@127.0.0.1:%d/0" % (url_pw, redis.port)):
            with self.subTest(addr=addr):
                p = run_observd(["--check-config", "--config.file=" + self.pwfile("{}\n", "c.yml"),
                                         "--redis.addr=" + addr], timeout=10)
                self.assertNotIn(url_pw, p.stdout + p.stderr,
                                 "--check-config echoed the URL password")
                port = free_port()
                proc = subprocess.Popen(
                    [observd_bin(), "--config.file=" + self.pwfile("{}\n", "c.yml"),
                     "--web.listen-address=127.0.0.1:%d" % port, "--redis.addr=" + addr,
                     "--log.level=debug", "--web.root=" + (default_www() or self.tmp),
                     "--web.templates=" + default_templates()],
                    stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                    text=True, errors="replace")
                self.addCleanup(lambda p=proc: p.poll() is None and (p.kill(), p.wait()))
                try:
                    out, err = proc.communicate(timeout=3)
                except subprocess.TimeoutExpired:
                    proc.send_signal(signal.SIGTERM)
                    out, err = proc.communicate(timeout=10)
                self.assertNotIn(url_pw, out + err, "the URL password was logged:\n" + err)

    def test_help_and_check_config_do_not_show_the_password(self):
        pw = self.pwfile(PASSWORD + "\n")
        cfg = self.pwfile("redis:\n  password_file: %s\n" % pw, "observd.yml")
        for args in (["--help"], ["--check-config", "--config.file=" + cfg],
                     ["--check-config", "--config.file=" + cfg, "--redis.password-file=" + pw],
                     ["--version"]):
            with self.subTest(args=args):
                p = run_observd(args, timeout=10)
                self.assertEqual(p.returncode, 0, p.stderr)
                self.assert_no_leak(p.stdout + p.stderr, PASSWORD, " ".join(args))
        # a broken config next to the password file: the error names the file, not its content
        bad = self.pwfile("redis:\n  password_file: %s\ncache:\n  ttl: nope\n" % pw, "bad.yml")
        p = run_observd(["--check-config", "--config.file=" + bad], timeout=10)
        self.assertNotEqual(p.returncode, 0)
        self.assert_no_leak(p.stdout + p.stderr, PASSWORD, "a config error")
        # the password file given as the config file: the YAML error must not quote it
        p = run_observd(["--check-config", "--config.file=" + pw], timeout=10)
        self.assert_no_leak(p.stdout + p.stderr, PASSWORD,
                            "the error for a password file given as --config.file")

    def test_help_shows_loopback_default(self):
        p = run_observd(["--help"], timeout=10)
        self.assertEqual(p.returncode, 0)
        self.assertIn("127.0.0.1:9469", p.stdout, "--help does not show the loopback default")
        self.assertNotIn("0.0.0.0:9469", p.stdout)

    def test_default_listener_is_loopback_only(self):
        """With no listen address anywhere observd binds 127.0.0.1:9469 (only when that
        port is free on every interface: this box is shared)."""
        for host in ("0.0.0.0", "127.0.0.1"):
            with socket.socket() as s:
                try:
                    s.bind((host, 9469))
                except OSError:
                    self.skipTest("port 9469 is in use on this host")
        cfg = self.pwfile("log:\n  level: info\n", "observd.yml")
        redis = self.start_redis()
        proc = subprocess.Popen(
            [observd_bin(), "--config.file=" + cfg, "--redis.addr=" + redis.addr,
             "--web.root=" + (default_www() or self.tmp),
             "--web.templates=" + default_templates()],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

        def stop():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        self.addCleanup(stop)
        socks = wait_until(lambda: proc.poll() is None and
                                   listening_sockets(proc.pid), timeout=10,
                                   message="observd never listened")
        self.assertEqual(socks, [("127.0.0.1", 9469)], "default listener: %r" % socks)
        stop()

    def test_localhost_listen_address_is_loopback_only(self):
        redis = self.start_redis()
        port = free_port()
        cfg = self.pwfile("web:\n  listen_address: localhost:%d\n" % port, "observd.yml")
        proc = subprocess.Popen(
            [observd_bin(), "--config.file=" + cfg, "--redis.addr=" + redis.addr,
             "--web.root=" + (default_www() or self.tmp),
             "--web.templates=" + default_templates()],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.addCleanup(lambda: proc.poll() is None and (proc.kill(), proc.wait()))
        socks = wait_until(lambda: proc.poll() is None and
                                   listening_sockets(proc.pid), timeout=10,
                                   message="observd never listened")
        self.assertEqual(socks, [("127.0.0.1", port)], "localhost listener: %r" % socks)
        proc.send_signal(signal.SIGTERM)
        self.assertEqual(proc.wait(10), 0)

if __name__ == "__main__":
    unittest.main()
