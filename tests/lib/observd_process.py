"""An observd process per test, and one-shot runs of the binary.

Owns Observd (a daemon on a free loopback port with a temp config file; HTTP
helpers, /metrics read through promtext, signals, clean-exit checks), Response and
run_observd(). Every process started here is killed by cleanup(), also when a test
fails. Not thread-safe, except Observd.request()/get(), which open a fresh
connection per call.
"""

import gzip
import http.client
import json
import os
import shutil
import signal
import subprocess
import tempfile

from paths import default_templates, default_www, observd_bin
from polling import DEFAULT_DEADLINE, wait_until
from ports import free_port
from promtext import parse_metrics
from unit_env import unit_environment

__all__ = ["Response", "Observd", "run_observd", "process_environment"]


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # http.client.HTTPMessage: case-insensitive .get()
        self.body = body        # bytes, as received (not decompressed)

    @property
    def text(self):
        return self.body.decode("utf-8")

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def header(self, name, default=None):
        return self.headers.get(name, default)

    def __repr__(self):
        return "<Response %d %d bytes>" % (self.status, len(self.body))



class Observd:
    """An observd process on a free loopback port with a temp config file.

    `config` is a dict written as JSON (valid YAML) to <tmp>/observd.yml. Flags
    --web.listen-address, --web.root, --web.templates and --redis.addr are always
    passed (they override the file); `extra_args` are appended. The process gets
    the environment systemd/observd.service sets (over the test runner's), then
    `env` (a value of None removes that variable).
    """

    def __init__(self, config=None, redis_addr=None, port=None, extra_args=(),
                 start=True, wait_ready=True, ready_deadline=DEFAULT_DEADLINE,
                 env=None, pass_redis_flag=True):
        self.port = port or free_port()
        self.tmp = tempfile.mkdtemp(prefix="observd-it-")
        self.config_path = os.path.join(self.tmp, "observd.yml")
        self.stderr_path = os.path.join(self.tmp, "stderr.log")
        self.stdout_path = os.path.join(self.tmp, "stdout.log")
        self.redis_addr = redis_addr
        self.extra_args = list(extra_args)
        self.env = env
        self.pass_redis_flag = pass_redis_flag
        self.proc = None
        self.environment = None  # what start() passed to the process
        self.www = default_www()
        if self.www is None:
            # Frontend not built (sanitizer build): serve a minimal site.
            self.www = os.path.join(self.tmp, "www")
            os.makedirs(os.path.join(self.www, "pages"))
            os.makedirs(os.path.join(self.www, "static", "css"))
            for page in ("index", "observability", "uploads"):
                with open(os.path.join(self.www, "pages", page + ".html"), "w") as f:
                    f.write("<!doctype html><title>%s</title>\n" % page)
            with open(os.path.join(self.www, "static", "css", "site.css"), "w") as f:
                f.write("body{}\n")
        self.templates = default_templates()
        self.write_config(config if config is not None else {})
        if start:
            self.start(wait_ready=wait_ready, ready_deadline=ready_deadline)

    @property
    def base_url(self):
        return "http://127.0.0.1:%d" % self.port

    def write_config(self, config):
        """Writes a dict (as JSON) or raw text to the config file."""
        text = config if isinstance(config, str) else json.dumps(config, indent=2) + "\n"
        tmp = self.config_path + ".tmp"
        with open(tmp, "w") as f:
            f.write(text)
        os.replace(tmp, self.config_path)

    def command(self):
        args = [observd_bin(), "--config.file=" + self.config_path,
                "--web.listen-address=127.0.0.1:%d" % self.port,
                "--web.root=" + self.www, "--web.templates=" + self.templates]
        if self.redis_addr and self.pass_redis_flag:
            args.append("--redis.addr=" + self.redis_addr)
        return args + self.extra_args

    def start(self, wait_ready=True, ready_deadline=DEFAULT_DEADLINE):
        env = dict(os.environ)
        env.setdefault("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=0")
        env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
        self.environment = process_environment(env, self.env)
        self._stderr = open(self.stderr_path, "ab")
        self._stdout = open(self.stdout_path, "ab")
        self.proc = subprocess.Popen(self.command(), stdin=subprocess.DEVNULL,
                                     stdout=self._stdout, stderr=self._stderr,
                                     env=self.environment)
        if wait_ready:
            self.wait_ready(ready_deadline)
        return self

    def wait_ready(self, deadline=DEFAULT_DEADLINE):
        def ready():
            if self.proc.poll() is not None:
                raise AssertionError("observd exited with %s before ready; stderr:\n%s"
                                     % (self.proc.returncode, self.stderr()))
            try:
                return self.get("/-/ready", timeout=2).status == 200
            except OSError:
                return False
        try:
            wait_until(ready, timeout=deadline,
                       message=lambda: "observd not ready on port %d; stderr:\n%s"
                       % (self.port, self.stderr()))
        except AssertionError:
            self.kill()
            raise

    def stderr(self):
        try:
            with open(self.stderr_path, "r", errors="replace") as f:
                data = f.read()
        except OSError:
            return "(no stderr)"
        return data if len(data) < 20000 else "...\n" + data[-20000:]

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    # -- HTTP

    def request(self, method, path, headers=None, body=None, timeout=10):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            data = r.read()
            return Response(r.status, r.headers, data)
        finally:
            conn.close()

    def get(self, path, headers=None, timeout=10):
        return self.request("GET", path, headers=headers, timeout=timeout)

    def metrics_text(self, headers=None):
        r = self.get("/metrics", headers=headers)
        if r.status != 200:
            raise AssertionError("GET /metrics -> %d: %r" % (r.status, r.body[:500]))
        body = r.body
        if (r.header("Content-Encoding") or "").lower() == "gzip":
            body = gzip.decompress(body)
        return body.decode("utf-8")

    def metrics(self, headers=None):
        return parse_metrics(self.metrics_text(headers))

    # -- signals and lifecycle

    def signal(self, sig):
        self.proc.send_signal(sig)

    def hup(self):
        self.signal(signal.SIGHUP)

    def stop(self, timeout=10.0):
        """SIGTERM; returns the exit code. Raises AssertionError unless it is 0 in time."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                self._close_files()
                raise AssertionError("observd did not exit within %.0fs of SIGTERM; stderr:\n%s"
                                     % (timeout, self.stderr()))
        self._close_files()
        rc = self.proc.returncode
        if rc != 0:
            raise AssertionError("observd exited with %s after SIGTERM (expected 0); stderr:\n%s"
                                 % (rc, self.stderr()))
        return rc

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._close_files()

    def _close_files(self):
        for f in (getattr(self, "_stderr", None), getattr(self, "_stdout", None)):
            if f is not None and not f.closed:
                f.close()

    def cleanup(self):
        """Kills (if still running) and removes the temp dir. Safe to call twice."""
        self.kill()
        shutil.rmtree(self.tmp, ignore_errors=True)


def process_environment(base, overrides=None):
    """`base`, then the unit's Environment= (systemd/observd.service), then `overrides`
    (None removes a variable): the environment an observd under test starts with."""
    env = dict(base)
    env.update(unit_environment())
    for name, value in (overrides or {}).items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def run_observd(args, timeout=30, env=None):
    """Runs observd to completion (e.g. --check-config), with the environment
    process_environment() gives; returns CompletedProcess."""
    return subprocess.run([observd_bin()] + list(args), stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=timeout,
                          env=process_environment(os.environ, env))
